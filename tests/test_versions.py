"""The bindgen version model (issue 15): the switches, detection, the CLI option.

The truth for each switch is real bindgen: `scripts/kernel-check --bindgen-version
0.71|0.72` compares with Debian 13's and unstable's bindgen on Linux 6.12. These
tests hold the switch table, the detection order and the plumbing.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import kbind
from kbind.errors import UsageError
from kbind.kernel.toolchain import detect_bindgen
from kbind.predict.versions import MODELLED, Behaviour, BindgenVersion, checked

ROOT = Path(__file__).resolve().parent.parent
V = BindgenVersion.parse


@pytest.mark.parametrize(("version", "size_t", "suffix", "immutable"), [
    ("0.60.1", False, "usize", False),
    ("0.61.0", True, "usize", True),
    ("0.65.1", True, "usize", True),
    ("0.66.0", True, "", True),
    ("0.71.1", True, "", True),
])
def test_switches_follow_the_releases(version: str, size_t: bool, suffix: str,
                                      immutable: bool) -> None:
    b = Behaviour(V(version))
    assert b.size_t_is_usize is size_t
    assert b.byte_string_length_suffix == suffix
    assert b.const_incomplete_array_is_immutable is immutable


def test_explicit_size_t_option_wins() -> None:
    assert Behaviour(V("0.60.1"), size_t_option=True).size_t_is_usize  # Linux 6.1's command
    assert not Behaviour(V("0.71.1"), size_t_option=False).size_t_is_usize


@pytest.mark.parametrize(("version", "top", "nested"), [
    ("0.60.1", False, False), ("0.65.1", True, True), ("0.69.2", True, True),
    ("0.69.3", True, False), ("0.72.1", True, False)])
def test_noreturn_from_the_type_spelling(version: str, top: bool, nested: bool) -> None:
    b = Behaviour(V(version))
    assert b.returns_never("top") is top and b.returns_never("nested") is nested
    assert not b.returns_never(None)


def test_versions_parse_and_are_bounded() -> None:
    assert str(V("bindgen 0.71.1")) == "0.71.1" and V("0.72") == BindgenVersion(0, 72, 0)
    assert [str(checked(V(m))) for m in MODELLED] == list(MODELLED)
    for bad in ("0.59.2", "0.73.0", "1.0.0"):
        with pytest.raises(UsageError):
            checked(V(bad))
    with pytest.raises(UsageError):
        V("latest")


def test_prediction_follows_the_version(tmp_path: Path) -> None:
    header = tmp_path / "v.h"
    header.write_text('typedef unsigned long size_t;\nsize_t len(const char *s);\n'
                      '#define GREETING "hello"\n'
                      'void die(void) __attribute__((noreturn));\n'
                      'extern const int table[];\n')
    old = {i.name: i for i in kbind.audit(str(header), ["-nostdinc"], root=str(tmp_path))
           .items}
    new = {i.name: i for i in kbind.audit(str(header), ["-nostdinc"], root=str(tmp_path),
                                          bindgen_version="0.71.1").items}
    assert old["size_t"].emitted and not new["size_t"].emitted
    assert old["len"].ret.type == "size_t" and new["len"].ret.type == "usize"  # type: ignore[union-attr]
    assert old["GREETING"].type == "&[u8; 6usize]" and new["GREETING"].type == "&[u8; 6]"
    assert old["die"].ret is None and new["die"].ret.type == "!"  # type: ignore[union-attr]
    assert old["table"].mutable and not new["table"].mutable


def _fake_bindgen(folder: Path, version: str) -> Path:
    path = folder / "bindgen"
    path.write_text(f"#!/bin/sh\necho 'bindgen {version}'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_detection_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "tree"
    (tree / "scripts").mkdir(parents=True)
    (tree / "scripts" / "min-tool-version.sh").write_text(
        "case \"$1\" in\nbindgen)\n\techo 0.65.1\n\t;;\nesac\n")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("BINDGEN", raising=False)
    assert detect_bindgen(None, "0.72.1")[0] == "0.72.1"
    assert detect_bindgen(tree, "0.72.1") == ("0.65.1",
                                              "scripts/min-tool-version.sh (the tree's minimum)")
    (tree / ".config").write_text('CONFIG_BINDGEN_VERSION_TEXT="bindgen 0.69.5"\n')
    assert detect_bindgen(tree, "0.72.1")[0] == "0.69.5"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_bindgen(bin_dir, "0.71.1")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert detect_bindgen(tree, "0.72.1")[0] == "0.71.1"
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("BINDGEN", str(_fake_bindgen(other, "0.72.1")))
    assert detect_bindgen(tree, "0.72.1") == ("0.72.1", "`$BINDGEN --version`")


def test_cli_option_and_detected_default(tmp_path: Path) -> None:
    header = tmp_path / "h.h"
    header.write_text("typedef unsigned long size_t;\nsize_t f(void);\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kbind", "audit", str(header),
                               "--no-cache", "--format", "json", *args, "--", "-nostdinc"],
                              capture_output=True, text=True, env={**env, **extra})

    spelled_size_t = '"type": "size_t"'
    assert spelled_size_t not in run("--bindgen-version", "0.71").stdout
    assert spelled_size_t in run("--bindgen-version", "0.60").stdout
    _fake_bindgen(tmp_path, "0.72.1")
    assert spelled_size_t not in run(BINDGEN=str(tmp_path / "bindgen")).stdout
    _fake_bindgen(tmp_path, "0.60.1")
    assert spelled_size_t in run(BINDGEN=str(tmp_path / "bindgen")).stdout
    too_old = run("--bindgen-version", "0.59.2")
    assert too_old.returncode == 2 and too_old.stderr.count("\n") == 1
    assert "0.60.1" in too_old.stderr


@pytest.mark.parametrize(("version", "opaque", "const", "tracker"), [
    ("0.60.1", False, False, False), ("0.65.1", False, True, False),
    ("0.69.2", False, True, False), ("0.69.3", False, True, True),
    ("0.71.0", True, True, True), ("0.72.1", True, True, True)])
def test_later_switches(version: str, opaque: bool, const: bool, tracker: bool) -> None:
    b = Behaviour(V(version))
    assert (b.ffi_safe_opaque_types, b.array_const_correct, b.tracker_0693) == \
        (opaque, const, tracker)


def test_the_library_refuses_an_unmodelled_release(tmp_path: Path) -> None:
    header = tmp_path / "h.h"
    header.write_text("int f(void);\n")
    with pytest.raises(UsageError):
        kbind.audit(str(header), ["-nostdinc"], root=str(tmp_path), bindgen_version="0.99.0")


def test_a_minor_release_names_the_modelled_patch_level() -> None:
    from kbind.predict.versions import release

    assert [str(release(v)) for v in ("0.60", "0.65", "0.69", "0.71", "0.72")] == \
        list(MODELLED)
    assert str(release("0.71.0")) == "0.71.0" and str(release("0.70")) == "0.70.0"
    with pytest.raises(UsageError):
        release("0.59")


@pytest.mark.parametrize(("old", "new"), [("0.60.1", "0.71.1"), ("0.71.1", "0.72.1")])
def test_bindgen_upgrade_diff_is_what_real_bindgen_changes(old: str, new: str) -> None:
    """`kbind diff --old-bindgen-version A --new-bindgen-version B` names exactly
    the items whose Rust real bindgen A and B write differently."""
    from support import FIXTURE, bindgen_text, fixture_report

    from kbind.diff import diff_reports
    from kbind.verify.compare import flatten_bindgen
    from kbind.verify.rust_reader import read_bindings

    def real(version: str) -> dict[tuple[str, str], object]:
        text = bindgen_text(str(FIXTURE), "kernel", "x86_64-linux-gnu", version)
        return {(f.kind, f.name): f.signature for f in flatten_bindgen(read_bindings(text))}

    before, after = real(old), real(new)
    truth = {name for kind, name in before.keys() | after.keys()
             if before.get((kind, name)) != after.get((kind, name))}
    reports = [fixture_report(bindgen_version=v) for v in (old, new)]
    rust_names = {i.name: i.rust_name for r in reports for i in r.items if i.rust_name}
    changes = diff_reports(*(r.to_json() for r in reports)).changes
    assert {rust_names.get(c.name, c.name) for c in changes} == truth
    if old == "0.60.1":
        assert truth, "the two releases write this fixture differently"


def test_other_commands_take_the_release_and_every_format_names_it(tmp_path: Path) -> None:
    header = tmp_path / "h.h"
    header.write_text("typedef unsigned long size_t;\nstatic inline size_t f(size_t n) "
                      "{ return n; }\nsize_t g(void);\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def kbind_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kbind", *args], capture_output=True,
                              text=True, env=env, cwd=tmp_path)

    import json

    for fmt in ("text", "json", "markdown", "sarif"):
        out = kbind_cli("audit", str(header), "--no-cache", "--bindgen-version", "0.71",
                        "--format", fmt, "--", "-nostdinc")
        assert out.returncode == 0, out.stderr
        assert "0.71.1" in out.stdout and "--bindgen-version" in out.stdout, fmt
    sarif = json.loads(kbind_cli("audit", str(header), "--no-cache", "--bindgen-version",
                                 "0.72", "--format", "sarif", "--", "-nostdinc").stdout)
    tool = sarif["runs"][0]["tool"]
    assert tool["driver"]["properties"]["bindgenModelled"] == "0.72.1"
    assert {e["name"]: e["version"] for e in tool["extensions"]}["bindgen"] == "0.72.1"
    review = kbind_cli("review", str(header), "--bindgen-version", "0.60", "--format", "json")
    assert review.returncode == 0, review.stderr
    assert json.loads(review.stdout)["tools"]["bindgen"] == "0.60.1"
    port = kbind_cli("portability", str(header), "--bindgen-version", "0.65", "--format",
                     "json", "--target", "x86_64", "--target", "arm64")
    assert port.returncode == 0, port.stderr
    assert json.loads(port.stdout)["tools"]["bindgen"] == "0.65.1"
    stub = kbind_cli("helpers", "f", "--header", str(header), "--bindgen-version", "0.72",
                     "--clang-arg=-nostdinc")
    assert stub.returncode == 0 and "rust_helper_f" in stub.stdout, stub.stderr
    bad = kbind_cli("review", str(header), "--bindgen-version", "0.59")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "0.60.1" in bad.stderr
    upgrade = kbind_cli("diff", str(header), "--old-bindgen-version", "0.60",
                        "--new-bindgen-version", "0.72")
    assert upgrade.returncode == 12, upgrade.stderr  # size_t is gone: a breaking change
    assert "typedef `size_t` removed" in upgrade.stdout
    assert "bindgen 0.60.1 modelled (from --old-bindgen-version)" in upgrade.stdout
