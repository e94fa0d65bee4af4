"""`kbind review` and `kbind portability` on fixture headers (no kernel tree needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import GOLDEN, HEADERS, check_golden, describe, differential, validate_sarif

from kbind.cli import main

RINGBUF = HEADERS / "review" / "subsys" / "ringbuf.h"
BASE = HEADERS / "bindings_helper.h"
ARGS = [f"-I{HEADERS}", "--bindgen-parameters", str(HEADERS / "bindgen_parameters"),
        "--jobs", "1"]


def _review(capsys, *extra: str, header: Path = RINGBUF) -> tuple[int, str]:
    code = main(["review", str(header.relative_to(Path.cwd())) if header.is_relative_to(
        Path.cwd()) else str(header), "--base", str(BASE), *ARGS, *extra])
    return code, capsys.readouterr().out


def test_review_reports_only_what_is_new(capsys) -> None:
    code, out = _review(capsys, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "kbind-review/1"
    (h,) = data["headers"]
    names = {i["name"] or i["rust_name"] for i in h["items"]}
    assert names == {"RINGBUF_MAX_ORDER", "ringbuf_ops", "ringbuf", "ringbuf__bindgen_ty_1",
                     "ringbuf_init", "ringbuf_push", "device"}
    # records.h is included by both: none of its items is news.
    assert not any(i["location"]["file"].endswith("records.h") for i in h["items"])
    # `struct device` was only declared by the base; now Rust sees its fields.
    (dev,) = [i for i in h["items"] if i["name"] == "device"]
    assert [f["name"] for f in dev["fields"]] == ["init_name", "rb"]
    assert {f["item"] for f in h["helpers"]} == {"ringbuf_used", "ringbuf_is_empty"}
    assert {f["item"] for f in h["const_helpers"]} == {"RINGBUF_DEFAULT_FLAGS"}
    rules = {f["rule"] for f in h["hazards"]}
    assert {"bitfield", "flexible-array", "anonymous-member", "generated-name", "union-type",
            "undefined-pointee", "keyword-escaped", "target-dependent-type"} <= rules
    assert all(f["location"]["file"].endswith("ringbuf.h") for f in h["hazards"])


def test_review_without_base_counts_everything(capsys) -> None:
    code = main(["review", str(RINGBUF), *ARGS, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["base_items"] == 0
    assert any(i["location"]["file"].endswith("records.h") for i in data["headers"][0]["items"])


def test_review_goldens(capsys, monkeypatch) -> None:
    monkeypatch.chdir(HEADERS.parent)
    rel = RINGBUF.relative_to(HEADERS.parent)
    base = ["review", str(rel), "--base", "headers/bindings_helper.h", "-Iheaders",
            "--bindgen-parameters", "headers/bindgen_parameters", "--jobs", "1",
            "--layout", "ringbuf", "--bindgen-version", "0.60.1"]
    for fmt, name in (("markdown", "review.ringbuf.md"), ("json", "review.ringbuf.json"),
                      ("text", "review.ringbuf.txt")):
        assert main([*base, "--format", fmt]) == 0
        check_golden(GOLDEN / name, capsys.readouterr().out)
    assert main([*base, "--format", "sarif"]) == 0
    validate_sarif(capsys.readouterr().out)


def test_review_several_headers_in_processes(capsys, tmp_path: Path) -> None:
    other = tmp_path / "other.h"
    other.write_text("#include <linux/types.h>\nstruct other { long v; };\n")
    code = main(["review", str(RINGBUF), str(other), "--base", str(BASE), *ARGS[:3],
                 "--jobs", "2", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [len(h["items"]) for h in data["headers"]] == [7, 1]


def test_review_several_targets_flags_layout_differences(capsys) -> None:
    code, out = _review(capsys, "--target", "x86_64", "--target", "arm", "--format", "json")
    data = json.loads(out)
    assert data["targets"] == ["x86_64-linux-gnu", "arm-linux-gnueabi"]
    port = [f for f in data["headers"][0]["hazards"] if f["rule"] == "target-dependent-layout"]
    assert {f["item"] for f in port} >= {"ringbuf"}  # pointers shrink on arm


def test_review_missing_header_is_input_error(capsys) -> None:
    assert main(["review", "headers/nope.h", "--base", str(BASE)]) == 3
    assert "header not found" in capsys.readouterr().err


def test_review_unknown_layout_is_usage_error(capsys) -> None:
    code, _ = _review(capsys, "--layout", "no_such_struct")
    assert code == 2


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_portability_of_fixture(fmt: str, capsys) -> None:
    code = main(["portability", str(BASE), *ARGS, "--target", "x86_64", "--target", "arm",
                 "--format", fmt])
    out = capsys.readouterr().out
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["schema"] == "kbind-portability/1"
        by_name = {i["name"]: i for i in data["items"]}
        assert "plain" in by_name  # pointers are 4 bytes on arm
        assert "u128" in by_name  # __int128 does not exist on 32-bit arm
        assert "scalar_long" not in by_name  # ffi::c_long is the same Rust type everywhere
    elif fmt == "sarif":
        validate_sarif(out)


def test_audit_with_several_targets_adds_layout_findings(capsys) -> None:
    assert main(["audit", str(BASE), *ARGS[:3], "--target", "x86_64", "--target", "arm",
                 "--findings-only"]) == 0
    out = capsys.readouterr().out
    assert "struct `plain` differs from x86_64-linux-gnu: arm-linux-gnueabi:" in out
    assert main(["audit", "--kernel-tree", "/nonexistent", "--target", "x86_64",
                 "--target", "arm"]) == 2


def test_progress_only_on_a_terminal(capsys) -> None:
    from kbind import runner

    assert runner._progress(2, None) is None  # pytest's stderr is not a terminal
    assert runner._progress(2, True) is not None
    _review(capsys)
    assert capsys.readouterr().err == ""


def test_errors_in_worker_processes_keep_their_exit_code(tmp_path: Path) -> None:
    from kbind.request import AuditRequest
    from kbind.runner import AuditJob, JobError, run_audits

    bad = tmp_path / "bad.h"
    bad.write_text("int broken(;\n")
    jobs = [AuditJob("good", AuditRequest(str(RINGBUF), (f"-I{HEADERS}",))),
            AuditJob("bad", AuditRequest(str(bad)))]
    with pytest.raises(JobError) as info:
        run_audits(jobs, n_jobs=2, progress=False)
    assert info.value.exit_code == 3 and "bad:" in str(info.value)


def test_review_fixture_agrees_with_bindgen() -> None:
    result = differential(str(RINGBUF))
    assert not (result.differing or result.missing or result.extra), describe(result)


def test_review_of_a_header_the_base_includes_is_empty(capsys) -> None:
    code, out = _review(capsys, header=HEADERS / "linux" / "records.h")
    assert code == 0 and "nothing new: the base already brings" in out
