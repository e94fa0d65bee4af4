"""A new user's first hour: outputs that never destroy, no tracebacks, a cache of
data keyed on every dependency, diff of a report with itself (issue 18)."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support import (
    CLANG_ARGS,
    FIXTURE,
    HEADERS,
    PARAMETERS,
    ROOT,
    current_umask,
    fixture_report,
)

import kbind
from kbind import api, cli, errors, report_codec
from kbind import cache as cache_module
from kbind.cache import ResultCache
from kbind.diff import EXIT_ERROR, diff_reports
from kbind.parallel import Forked
from kbind.request import AuditRequest

SMALL = ["audit", str(FIXTURE), "--no-cache", "--", "-nostdinc", f"-I{HEADERS}"]


def _kbind(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kbind", *args], capture_output=True,
                          text=True, cwd=ROOT, **kw)  # type: ignore[call-overload]


# -- outputs -----------------------------------------------------------------

def test_dash_is_stdout(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "kbind", *SMALL[:3], "-o", "-", *SMALL[3:]],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "pub fn" in run.stdout and not (tmp_path / "-").exists()


def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    run = _kbind(*SMALL[:3], "-o", str(out), *SMALL[3:])
    assert run.returncode == 0, run.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~current_umask()


def test_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    os.chmod(real, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    refused = _kbind(*SMALL[:3], "-o", str(link), *SMALL[3:])
    assert refused.returncode == errors.EXIT_OUTPUT and real.read_text() == "old\n"
    run = _kbind(*SMALL[:3], "-o", str(link), "--force", *SMALL[3:])
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and "pub fn" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_dev_stdout_is_written_through_never_replaced(tmp_path: Path) -> None:
    sink = tmp_path / "captured"
    with open(sink, "w") as fh:
        run = subprocess.run([sys.executable, "-m", "kbind", *SMALL[:3], "-o", "/dev/stdout",
                              "--force", *SMALL[3:]], stdout=fh, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "pub fn" in sink.read_text()
    assert os.path.islink("/dev/stdout") or not os.path.isfile("/dev/stdout")


def test_full_device_is_a_write_error_not_already_exists() -> None:
    run = _kbind(*SMALL[:3], "-o", "/dev/full", *SMALL[3:])
    assert run.returncode == errors.EXIT_OUTPUT
    assert "already exists" not in run.stderr and "space" in run.stderr.lower()
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    run = _kbind(*SMALL[:3], "-o", str(fifo), *SMALL[3:])
    reader.join(timeout=60)
    assert run.returncode == 0, run.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and "pub fn" in got[0]


def test_folder_as_output_is_refused(tmp_path: Path) -> None:
    run = _kbind(*SMALL[:3], "-o", str(tmp_path), "--force", *SMALL[3:])
    assert run.returncode == errors.EXIT_OUTPUT and "folder" in run.stderr
    assert tmp_path.is_dir()


@pytest.mark.parametrize("command", [
    ["audit", str(FIXTURE)],
    ["layout", "--verify", "--header", str(FIXTURE)],
    ["const-helpers", "--header", str(FIXTURE), "--all-missing"],
    ["review", str(FIXTURE), "--base", str(FIXTURE)],
    ["portability", str(FIXTURE)],
    ["diff", str(FIXTURE), str(FIXTURE)],
])
def test_output_is_checked_before_any_work(tmp_path: Path, command: list[str],
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "out"
    existing.write_text("mine\n")

    def no_work(*_a: object, **_k: object) -> None:
        raise AssertionError("the audit ran before the output was checked")

    for name in ("audit", "audit_probed", "run", "run_probed", "const_helpers"):
        monkeypatch.setattr(api, name, no_work)
    # The modules that bind run_audits at import are patched (so imported) before
    # the runner, or they would keep the patched one after the test.
    for where in ("kbind.review", "kbind.portability", "kbind.runner"):
        monkeypatch.setattr(f"{where}.run_audits", no_work)
    monkeypatch.setattr("kbind.verify.dwarf_layout.verify", no_work)
    code = cli.main([*command, "-o", str(existing)])
    expected = EXIT_ERROR if command[0] == "diff" else errors.EXIT_OUTPUT  # abidiff's bits
    assert code == expected, capsys.readouterr().err
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == "mine\n"


# -- no tracebacks ------------------------------------------------------------

def test_closed_stdout_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kbind", *SMALL], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() == errors.EXIT_PIPE and err == b""


def test_reader_leaving_mid_output_ends_with_141(tmp_path: Path) -> None:
    # Output far larger than a pipe holds: the reader leaves while kbind is
    # blocked in the write, which a buffered write once reported as success.
    header = tmp_path / "many.h"
    header.write_text("".join(f"struct many_{i} {{ int a; long b; }};\n" for i in range(3000)))
    proc = subprocess.Popen([sys.executable, "-m", "kbind", "audit", "--no-cache", str(header)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert len(proc.stdout.read(100)) == 100
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() == errors.EXIT_PIPE and err == b""


def test_unexpected_exception_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KBIND_DEBUG", raising=False)

    def boom(_args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli.audit, "cmd_audit", boom)
    assert cli.main(["audit", str(FIXTURE)]) == errors.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("kbind: internal error: ZeroDivisionError") and "KBIND_DEBUG=1" in err


def test_exception_in_a_forked_child_is_one_line_and_debuggable(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def child_fails() -> int:
        return {}["no such key"]  # type: ignore[no-any-return]

    monkeypatch.setattr(cli.audit, "cmd_audit", lambda _a: Forked(child_fails).result())
    monkeypatch.delenv("KBIND_DEBUG", raising=False)
    assert cli.main(["audit", str(FIXTURE)]) == errors.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KeyError" in err
    monkeypatch.setenv("KBIND_DEBUG", "1")
    assert cli.main(["audit", str(FIXTURE)]) == errors.EXIT_INTERNAL
    debug = capsys.readouterr().err
    assert "Traceback" in debug and "in forked child" in debug and "child_fails" in debug


def test_exit_codes_are_documented() -> None:
    text = _kbind("audit", "--help").stdout
    assert f"{errors.EXIT_INTERNAL} internal error" in text.replace("  ", " ")
    assert str(errors.EXIT_PIPE) in text


# -- diff of a report with itself -----------------------------------------------

def test_diff_of_a_saved_report_with_itself_is_empty(tmp_path: Path) -> None:
    report = fixture_report().to_json()
    assert diff_reports(report, json.loads(json.dumps(report))).changes == []
    saved = tmp_path / "r.json"
    saved.write_text(json.dumps(report))
    run = _kbind("diff", str(saved), str(saved))
    assert run.returncode == 0, run.stdout


def test_never_defined_records_are_not_a_change() -> None:
    forward = {"kind": "struct", "name": "fwd", "rust_name": "fwd", "emitted": True,
               "reason": None, "location": {"file": "a.h", "line": 1, "column": 8},
               "fields": [{"name": "_unused", "type": "[u8; 0]", "resolved": "[u8; 0]",
                           "offset_bits": None, "c_name": None}],
               "size": None, "align": None, "opaque": False}
    doc = {"schema": "kbind-report/1", "profile": "kernel", "target": "x86_64-linux-gnu",
           "header": "a.h", "complete": True, "items": [forward], "findings": []}
    assert diff_reports(doc, doc).changes == []
    defined = {**forward, "fields": [], "size": 4, "align": 4}
    assert [c.details for c in diff_reports({**doc, "items": [defined]}, doc).changes] == \
        [("no longer defined here: only a forward declaration remains",)]


# -- the cache ------------------------------------------------------------------

def _spy_audits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = api.run_probed

    def counting(*a: object, **k: object) -> object:
        calls.append(1)
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "run_probed", counting)
    return calls


def test_other_dependency_version_misses_the_cache(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    header = tmp_path / "lib.h"
    header.write_text("struct s { long l; };\nint f(struct s *);\n")
    store = ResultCache(tmp_path / "c")
    calls = _spy_audits(monkeypatch)
    kbind.audit(str(header), cache=store, root=str(tmp_path))
    kbind.audit(str(header), cache=store, root=str(tmp_path))
    assert len(calls) == 1
    real = cache_module.dependency_versions()
    assert real is not None
    for dist in cache_module.DEPENDENCIES:
        monkeypatch.setattr(cache_module, "dependency_versions",
                            lambda d=dist: {**real, d: real[d] + ".post1"})
        kbind.audit(str(header), cache=store, root=str(tmp_path))
    assert len(calls) == 1 + len(cache_module.DEPENDENCIES)


def test_unknowable_dependency_versions_are_never_cached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "dependency_versions", lambda: None)
    header = tmp_path / "lib.h"
    header.write_text("int f(void);\n")
    report = kbind.audit(str(header), cache=ResultCache(tmp_path / "c"), root=str(tmp_path))
    assert [i.name for i in report.items] == ["f"]
    assert not (tmp_path / "c" / "audit").exists()


def test_cache_hit_names_its_own_request_s_tools(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    request = AuditRequest(str(FIXTURE), tuple(CLANG_ARGS), bindgen_args=tuple(PARAMETERS),
                           root=str(ROOT), bindgen_version="0.71.1", bindgen_source="first")
    cold = api.run(request, cache=True)

    def no_audit(_request: object) -> None:
        raise AssertionError("a warm run audits nothing")

    monkeypatch.setattr(api, "run_probed", no_audit)
    warm = api.run(request.with_(bindgen_source="`bindgen --version`"), cache=True)
    assert cold.tools is not None and warm.tools is not None
    assert (cold.tools.bindgen, cold.tools.bindgen_source) == ("0.71.1", "first")
    assert (warm.tools.bindgen, warm.tools.bindgen_source) == ("0.71.1", "`bindgen --version`")
    assert warm.items == cold.items
    assert request.key_fields() == request.with_(bindgen_source="x").key_fields()


def test_dependency_versions_are_the_installed_ones() -> None:
    from importlib import metadata

    assert cache_module.dependency_versions() == {
        d: metadata.version(d) for d in cache_module.DEPENDENCIES}


def test_cached_report_is_data_and_round_trips(tmp_path: Path) -> None:
    report = fixture_report()
    report = dataclasses.replace(report, tu=None)
    again = report_codec.loads(report_codec.dumps(report))
    # The tools stay behind: a cache hit takes them from its request (below).
    assert again.tools is None and report.tools is not None
    assert again == dataclasses.replace(report, tools=None)
    assert b"pickle" not in report_codec.dumps(report)[:64]


def test_crafted_cache_entry_runs_nothing_and_is_ignored(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    import pickle

    header = tmp_path / "lib.h"
    header.write_text("int f(void);\n")
    store = ResultCache(tmp_path / "c")
    kbind.audit(str(header), cache=store, root=str(tmp_path))
    (entry,) = (tmp_path / "c" / "audit").iterdir()
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    crafted = [pickle.dumps(Payload()),
               json.dumps({"format": report_codec.FORMAT,
                           "report": ["Report", 1, 2, 3]}).encode(),
               json.dumps({"format": report_codec.FORMAT, "report": ["Popen", "ls"]}).encode(),
               b"\x00garbage"]
    calls = _spy_audits(monkeypatch)
    for blob in crafted:
        (entry / api.REPORT_BLOB).write_bytes(blob)
        report = kbind.audit(str(header), cache=store, root=str(tmp_path))
        assert [i.name for i in report.items] == ["f"]
        assert not marker.exists()
    assert len(calls) == len(crafted)  # each crafted entry was a miss
    # The recomputed report replaced the crafted entry.
    assert report_codec.loads((entry / api.REPORT_BLOB).read_bytes()).items


def test_no_stray_binaries_are_tracked() -> None:
    """The repository holds its own sources: no wheel or archive rides along."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert tracked and not [f for f in tracked if f.endswith((".whl", ".tar.gz", ".zip"))]
