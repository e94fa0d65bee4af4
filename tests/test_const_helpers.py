"""Const helpers: macro C types from clang, the consistency rules, the generator,
and real bindgen on the generated lines."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import CLANG_ARGS, HEADERS, PARAMETERS, ROOT, bindgen_text, describe, differential

import kbind
from kbind.checks.rust_uses import missing_bindings
from kbind.cli import main
from kbind.report import Report
from kbind.verify.rust_reader import read_bindings

OK = str(HEADERS / "consts" / "helpers_ok.h")
BAD = str(HEADERS / "consts" / "helpers_bad.h")
CONSISTENCY = {"already-wrapped", "stale-const-helper", "const-helper-mismatch",
               "const-helper-value", "const-helper-type"}


def _audit(header: str) -> Report:
    return kbind.audit(header, CLANG_ARGS, bindgen_args=PARAMETERS, root=str(ROOT))


def _findings(report: Report, rules: set[str]) -> set[tuple[str, str, str]]:
    return {(f.rule, f.severity, f.item or "") for f in report.findings if f.rule in rules}


def _message(report: Report, rule: str, item: str) -> str:
    return next(f.message for f in report.findings if f.rule == rule and f.item == item)


def test_macro_findings_carry_clangs_type() -> None:
    report = _audit(OK)
    need = "macro-needs-const-helper"
    assert "its C type is `vmf_t` (= `unsigned long`), value 8" in _message(report, need,
                                                                            "FX_SHARE")
    assert "`const vmf_t RUST_CONST_HELPER_FX_SHARE = FX_SHARE;`" in \
        _message(report, need, "FX_SHARE")
    assert "`unsigned long`" in _message(report, need, "FX_HUGE")
    assert "its C type is `int`, value -7" in _message(report, need, "FX_NEG")
    not_constant = {f.item: f.message for f in report.findings
                    if f.rule == "macro-not-constant"}
    assert "not a C expression" in not_constant["FX_NOT_EXPR"]
    assert "`void *`, not an integer or float" in not_constant["FX_PTR"]
    assert "not a compile-time constant" in not_constant["FX_COUNTER"]
    assert "above i64::MAX" in not_constant["FX_TOP_BIT"]
    assert not {"FX_SHARE", "FX_HUGE", "FX_NEG", "FX_PLAIN"} & set(not_constant)
    assert "bindgen already emits another `FX_SELF`" in _message(
        report, "macro-shadows-binding", "FX_SELF")
    # Wrapped macros no longer ask for a helper; evaluable ones never did.
    asked = {f.item for f in report.findings if f.rule == need}
    assert not asked & {"FX_READ", "FX_RW", "FX_FEAT", "FX_GFP", "FX_BLOCK_SIZE", "FX_PLAIN"}


def test_correct_helpers_are_only_already_wrapped() -> None:
    assert _findings(_audit(OK), CONSISTENCY) == {
        ("already-wrapped", "note", n)
        for n in ("FX_READ", "FX_RW", "FX_FEAT", "FX_GFP", "FX_BLOCK_SIZE")}


def test_every_mistake_is_caught() -> None:
    report = _audit(BAD)
    found = _findings(report, CONSISTENCY - {"already-wrapped"})
    h = "RUST_CONST_HELPER_"
    assert found == {
        ("const-helper-mismatch", "error", f"{h}FX_SHARE"),
        ("const-helper-mismatch", "warning", f"{h}FX_READ"),
        ("const-helper-type", "error", f"{h}FX_HUGE"),
        ("const-helper-type", "error", f"{h}FX_TOP_BIT"),
        ("const-helper-type", "warning", f"{h}FX_FEAT"),
        ("const-helper-value", "error", f"{h}FX_GFP"),
        ("stale-const-helper", "error", f"{h}FX_PLAIN"),
        ("stale-const-helper", "error", f"{h}FX_ENUMERATOR"),
    }
    # A helper holding another value wraps nothing; a wrongly typed one still wraps X.
    assert {f.item for f in report.findings if f.rule == "already-wrapped"} == {
        "FX_READ", "FX_HUGE", "FX_FEAT", "FX_TOP_BIT"}
    assert "`FX_SHARE` is 8 but `FX_EXEC` is 4" in \
        _message(report, "const-helper-mismatch", f"{h}FX_SHARE")
    assert "cannot hold `FX_HUGE` = 1099511627776" in \
        _message(report, "const-helper-type", f"{h}FX_HUGE")


def test_bad_helpers_agree_with_bindgen() -> None:
    # Including the helper above i64::MAX, which bindgen leaves an extern static.
    result = differential(BAD)
    assert not (result.differing or result.missing or result.extra), describe(result)
    statics = {i.name for i in read_bindings(bindgen_text(BAD)) if i.kind == "static"}
    assert "RUST_CONST_HELPER_FX_TOP_BIT" in statics


def test_generated_helpers_compile_and_bindgen_agrees(tmp_path: Path) -> None:
    helpers = kbind.api.const_helpers(OK, CLANG_ARGS, bindgen_args=PARAMETERS,
                                      all_missing=True, root=str(ROOT))
    lines = {h.name: h.line for h in helpers}
    assert lines["FX_SHARE"] == "const vmf_t RUST_CONST_HELPER_FX_SHARE = FX_SHARE;"
    assert lines["FX_HUGE"] == "const unsigned long RUST_CONST_HELPER_FX_HUGE = FX_HUGE;"
    assert lines["FX_NEG"] == "const int RUST_CONST_HELPER_FX_NEG = FX_NEG;"
    assert not {"FX_NOT_EXPR", "FX_PTR", "FX_COUNTER", "FX_READ", "FX_SELF"} & set(lines)
    header = tmp_path / "with_helpers.h"
    header.write_text("#include <consts/helpers_ok.h>\n" +
                      "".join(f"{line}\n" for line in lines.values()))
    subprocess.run(["clang", "-fsyntax-only", "-x", "c", *CLANG_ARGS, str(header)],
                   check=True)
    # kbind's prediction for the new header is bindgen's output, item by item...
    result = differential(str(header))
    assert not (result.differing or result.missing or result.extra), describe(result)
    # ...and each renamed constant has the macro's type and value.
    consts = {i.name: i for i in read_bindings(bindgen_text(str(header)))
              if i.kind == "const"}
    spelled = {"vmf_t": "vmf_t", "unsigned long": "ffi :: c_ulong", "int": "ffi :: c_int",
               "gfp_t": "gfp_t"}
    for h in helpers:
        assert h.type is not None
        item = consts[h.name]
        assert item.type.replace(" ", "") == spelled.get(h.type.spelling, "?").replace(" ", ""), h
        assert item.value.replace(" ", "") == str(h.value), h


def test_const_helpers_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lines.h"
    args = ["const-helpers", "--header", OK, "-o", str(out), "FX_SHARE", "FX_NEG", "--",
            *CLANG_ARGS]
    assert main(args) == 0
    assert out.read_text() == ("const vmf_t RUST_CONST_HELPER_FX_SHARE = FX_SHARE;\n"
                               "const int RUST_CONST_HELPER_FX_NEG = FX_NEG;\n")
    assert main(args) == 5  # exists, no --force
    assert main([*args[:3], "--force", *args[3:]]) == 0
    assert main(["const-helpers", "--header", OK, "FX_READ", "FX_PTR", "--", *CLANG_ARGS]) == 1
    err = capsys.readouterr().err
    assert "FX_READ: no const helper: already wrapped" in err
    assert "FX_PTR: no const helper: clang types it `void *`" in err
    assert main(["const-helpers", "--header", OK, "--", *CLANG_ARGS]) == 2
    assert main(["const-helpers", "--header", OK, "FX_SHARE", "-o", str(out)]) == 2


def test_rust_uses_missing_binding(tmp_path: Path) -> None:
    (tmp_path / "rust" / "kernel").mkdir(parents=True)
    (tmp_path / "rust" / "helpers").mkdir()
    (tmp_path / "rust" / "bindings").mkdir()
    (tmp_path / "rust" / "kernel" / "flags.rs").write_text(
        "use crate::bindings;\n"
        "// bindings::IN_A_COMMENT is not a use\n"
        "pub const R: u64 = bindings::FX_READ as u64;\n"
        "use kernel::bindings::{FX_PLAIN, FX_SHARE};\n"
        "fn f() { unsafe { bindings::fx_thing() }; let _ = bindings::NOPE; }\n"
        "type S = bindings::__kernel_size_t;\n")
    (tmp_path / "rust" / "helpers" / "fx.c").write_text(
        "int rust_helper_fx_thing(void)\n{\n\treturn 0;\n}\n")
    (tmp_path / "rust" / "bindings" / "lib.rs").write_text("type __kernel_size_t = usize;\n")
    findings = missing_bindings(_audit(OK), tmp_path)
    assert {f.item: f.location.line for f in findings} == {"FX_SHARE": 4, "NOPE": 5}
    assert "not evaluable by bindgen: cast" in next(f.message for f in findings
                                                    if f.item == "FX_SHARE")


@pytest.mark.parametrize("fork", [True, False])
def test_audit_of_a_tree_reads_its_rust_code(tmp_path: Path, fork: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The tree's Rust sources are read by a forked child where fork exists.
    if not fork:
        monkeypatch.setenv("KBIND_NO_FORK", "1")
    (tmp_path / "rust" / "kernel").mkdir(parents=True)
    flags = tmp_path / "rust" / "kernel" / "flags.rs"
    flags.write_text("fn f() { let _ = bindings::FX_SHARE; let _ = bindings::FX_READ; }\n")
    report = kbind.audit(OK, CLANG_ARGS, bindgen_args=PARAMETERS, root=str(ROOT),
                         kernel_tree=str(tmp_path))
    missing = [f for f in report.findings if f.rule == "rust-uses-missing-binding"]
    assert [(f.item, f.location.file, f.location.line) for f in missing] == \
        [("FX_SHARE", "rust/kernel/flags.rs", 1)]
    # ...and what the cache must watch: the file and its folder.
    assert str(flags) in report.read_files and str(flags.parent) in report.read_files


def test_helpers_for_the_main_fixture_agree_with_bindgen(tmp_path: Path) -> None:
    # Float, char-arithmetic, logical and enum-based macros too.
    fixture = str(HEADERS / "bindings_helper.h")
    helpers = kbind.api.const_helpers(fixture, CLANG_ARGS, bindgen_args=PARAMETERS,
                                      all_missing=True, root=str(ROOT))
    assert {"M_FLOAT_DOT_EXP", "M_CHAR_ARITH", "M_LOGICAL_NOT", "M_ENUM_REF"} <= \
        {h.name for h in helpers if h.line}
    header = tmp_path / "all.h"
    header.write_text(f'#include "{fixture}"\n' + "".join(f"{h.line}\n" for h in helpers))
    result = differential(str(header))
    assert not (result.differing or result.missing or result.extra), describe(result)


def test_broken_bodies_do_not_spoil_the_probe() -> None:
    report = _audit(str(HEADERS / "consts" / "broken.h"))
    by_rule = {(f.rule, f.item) for f in report.findings}
    for name in ("BR_OPEN", "BR_CLOSE_BRACE", "BR_SEMI", "BR_UNCLOSED_CALL"):
        assert ("macro-not-constant", name) in by_rule
    assert "its body is not a C expression (its body has unclosed `(`)" in _message(
        report, "macro-not-constant", "BR_OPEN")
    assert "its C type is `gfp_t` (= `unsigned int`), value 32" in _message(
        report, "macro-needs-const-helper", "BR_GOOD_AFTER")
    assert "value 64" in _message(report, "macro-needs-const-helper", "BR_GOOD_LAST")


def test_audit_without_macro_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--findings-only", "--no-macro-types", OK, "--", *CLANG_ARGS]) == 0
    out = capsys.readouterr().out
    assert "[macro-needs-const-helper]" in out and "its C type is" not in out
    assert "[already-wrapped]" not in out
