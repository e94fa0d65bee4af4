"""`kbind diff` on the fixture pair headers/review/diff/{old,new}.h: every change class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import CLANG_ARGS, GOLDEN, HEADERS, ROOT, check_golden, validate_sarif

import kbind
from kbind.cli import main
from kbind.diff import diff_reports
from kbind.render import diff as render_diff

OLD, NEW = HEADERS / "review" / "diff" / "old.h", HEADERS / "review" / "diff" / "new.h"
INC = [f"-I{HEADERS}"]

# (kind, name) -> (change, class): what each item of the pair is there to show.
EXPECTED = {
    ("const", "DEV_MAX"): ("changed", "breaking"),
    ("const", "DEV_MIN"): ("added", "compatible"),
    ("enum", "dev_mode"): ("changed", "compatible"),
    ("enum", "dev_prio"): ("changed", "breaking"),
    ("enum", "dev_state"): ("changed", "breaking"),
    ("function", "dev_add"): ("added", "compatible"),
    ("function", "dev_close"): ("removed", "breaking"),
    ("function", "dev_ioctl"): ("changed", "breaking"),
    ("function", "dev_is_on"): ("changed", "breaking"),
    ("function", "dev_open"): ("changed", "compatible"),
    ("function", "dev_poll"): ("removed", "breaking"),
    ("function", "dev_reset"): ("changed", "compatible"),
    ("struct", "dev"): ("changed", "breaking"),
    ("struct", "dev_cfg"): ("changed", "breaking"),
    ("struct", "dev_hdr"): ("changed", "breaking"),
    ("struct", "dev_stats"): ("changed", "compatible"),
    ("typedef", "dev_flags_t"): ("changed", "compatible"),
    ("typedef", "dev_id_t"): ("changed", "breaking"),
    ("var", "dev_limit"): ("changed", "breaking"),
}


def _report(header: Path, **kw) -> dict:
    return kbind.audit(str(header), CLANG_ARGS, root=str(ROOT), **kw).to_json()


def _diff():
    return diff_reports(_report(OLD), _report(NEW), "old.h", "new.h")


def test_each_change_class_on_the_fixture_pair() -> None:
    got = {(c.kind, c.name): (c.change, c.severity) for c in _diff().changes}
    assert got == EXPECTED


def test_change_details() -> None:
    by_name = {c.name: c for c in _diff().changes}
    assert "field `flags`: `ffi::c_long` -> `ffi::c_int`" in by_name["dev"].details
    assert "field `gone` removed" in by_name["dev"].details
    assert any("held by value" in d for d in by_name["dev_cfg"].details)
    assert any("only used through pointers" in d for d in by_name["dev_stats"].details)
    assert "parameter 2 renamed `flags` -> `mode`" in by_name["dev_open"].details
    assert by_name["dev_poll"].details[0].startswith("now: static inline")
    assert "value 16 -> 32" in by_name["DEV_MAX"].details


def test_diff_goldens() -> None:
    report = _diff()
    check_golden(GOLDEN / "diff.fixture.json", render_diff.to_json(report))
    check_golden(GOLDEN / "diff.fixture.md", render_diff.markdown(report))


def test_diff_sarif_is_valid() -> None:
    doc = validate_sarif(render_diff.to_sarif(_diff(), "test"))
    rules = {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert {"item-added", "item-removed", "item-changed-breaking",
            "item-changed-compatible"} <= rules


def test_same_input_exits_0(capsys) -> None:
    assert main(["diff", str(OLD), str(OLD), *INC]) == 0
    assert "0 added, 0 removed, 0 changed" in capsys.readouterr().out


def test_breaking_exits_12_and_compatible_4(tmp_path: Path, capsys) -> None:
    assert main(["diff", str(OLD), str(NEW), *INC]) == 12
    # Only additions: OLD is a header that NEW extends.
    small = tmp_path / "small.h"
    small.write_text("#include <linux/types.h>\nint f(int a);\n")
    big = tmp_path / "big.h"
    big.write_text("#include <linux/types.h>\nint f(int a);\nint g(u32 b);\n")
    assert main(["diff", str(small), str(big), *INC]) == 4


def test_saved_json_reports_diff_like_headers(tmp_path: Path, capsys) -> None:
    for name, header in (("old.json", OLD), ("new.json", NEW)):
        assert main(["audit", str(header), *INC, "--format", "json", "-o",
                     str(tmp_path / name)]) == 0
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                 "--format", "json"]) == 12
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "kbind-diff/1"
    assert {(c["kind"], c["name"]): (c["change"], c["class"])
            for c in data["changes"]} == EXPECTED


def test_one_header_two_targets(capsys) -> None:
    # Under stock core::ffi, `long` is i64 on x86_64 and i32 on arm.
    code = main(["diff", str(OLD), *INC, "--profile", "stock", "--old-target", "x86_64",
                 "--new-target", "arm"])
    out = capsys.readouterr().out
    assert code == 12
    assert "dev_ioctl" in out and "struct `dev` changed (breaking)" in out


def test_one_header_two_profiles(capsys) -> None:
    assert main(["diff", str(OLD), *INC, "--old-profile", "stock",
                 "--new-profile", "kernel"]) == 12


@pytest.mark.parametrize(("argv", "code"), [
    (["diff", "no/such.h", "also/missing.h"], 1),
    (["diff", str(OLD)], 2),
    (["diff", str(OLD), str(NEW), "--bogus"], 2),
])
def test_diff_error_bits(argv: list[str], code: int, capsys) -> None:
    assert main(argv) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_not_a_report(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "other/1"}')
    assert main(["diff", str(bad), str(bad)]) == 1
    assert "not a kbind-report/2 report" in capsys.readouterr().err
