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

    assert '"usize"' in run("--bindgen-version", "0.71").stdout
    assert '"usize"' not in run("--bindgen-version", "0.60").stdout
    _fake_bindgen(tmp_path, "0.72.1")
    assert '"usize"' in run(BINDGEN=str(tmp_path / "bindgen")).stdout
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
