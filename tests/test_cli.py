"""The command line: outputs, exit codes and one-line errors with no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import FIXTURE, ROOT, one_line_error

from kbind import errors


def kbind(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kbind", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_audit_text_and_json(tmp_path: Path) -> None:
    out = kbind("audit", str(FIXTURE), "--bindgen-parameters",
                str(ROOT / "headers/bindgen_parameters"))
    assert out.returncode == 0, out.stderr
    assert "headers/linux/scalars.h:" in out.stdout
    assert "pub fn scalar_long(l: ffi::c_long, ul: ffi::c_ulong) -> ffi::c_long;" in out.stdout
    target = tmp_path / "r.json"
    out = kbind("audit", str(FIXTURE), "--format", "json", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert json.loads(target.read_text())["schema"] == "kbind-report/2"


def test_missing_header() -> None:
    one_line_error(kbind("audit", "nope/missing.h"), errors.EXIT_INPUT, "nope/missing.h")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.h"
    bad.write_text("int ok(void);\nstruct broken { int x }\n")
    one_line_error(kbind("audit", str(bad)), errors.EXIT_INPUT, "bad.h:2:")
    out = kbind("audit", str(bad), "--keep-going")
    assert out.returncode == 0 and "INCOMPLETE" in out.stdout


def test_unknown_profile_and_target_and_flag() -> None:
    one_line_error(kbind("audit", str(FIXTURE), "--profile", "rust"), errors.EXIT_USAGE,
                    "rust")
    one_line_error(kbind("audit", str(FIXTURE), "--target", "mips"), errors.EXIT_USAGE,
                    "mips")
    one_line_error(kbind("audit", "--no-such-flag"), errors.EXIT_USAGE)


def test_output_never_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep me")
    one_line_error(kbind("audit", str(FIXTURE), "-o", str(target)), errors.EXIT_OUTPUT,
                    "--force")
    assert target.read_text() == "keep me"
    assert kbind("audit", str(FIXTURE), "-o", str(target), "--force").returncode == 0
    assert target.read_text() != "keep me"
    one_line_error(kbind("audit", str(FIXTURE), "-o", str(tmp_path / "no/dir/x.txt")),
                    errors.EXIT_OUTPUT, "does not exist")
    assert list(tmp_path.iterdir()) == [target], "nothing half-written"


def test_help_documents_exit_codes() -> None:
    out = kbind("--help")
    assert "exit codes:" in out.stdout and "libclang" in out.stdout


def test_missing_kernel_tree(tmp_path: Path) -> None:
    one_line_error(kbind("audit", "--kernel-tree", str(tmp_path / "linux")),
                    errors.EXIT_INPUT, "linux")


def test_missing_libclang_says_how_to_install() -> None:
    code = ("import sys, clang.cindex as c; c.Config.set_library_file('/nonexistent/libclang.so');"
            "from kbind.cli import main;"
            "sys.exit(main(['audit', '--no-cache', 'headers/bindings_helper.h']))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    one_line_error(out, errors.EXIT_ENVIRONMENT, "pip install libclang")
