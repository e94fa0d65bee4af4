"""The cexpr emulation on its own: what becomes a constant, and why not."""

from __future__ import annotations

import pytest

from kbind.predict.items import macro_const, rust_float
from kbind.predict.macros import Unevaluable, Value, evaluate


def ev(body: str, known: dict[str, Value] | None = None) -> Value:
    return evaluate(body.split(), known or {}, {"fn_like"})


@pytest.mark.parametrize(("body", "ty", "value"), [
    ("42", "u32", 42), ("~ 0U", "i32", -1), ("~ 0UL", "i32", -1),
    ("( 1 << 12 )", "u32", 4096), ("( 1UL << 40 )", "u64", 1 << 40),
    ("- 2147483648", "i32", -(2**31)), ("( - 2147483648LL - 1 )", "i64", -(2**31) - 1),
    ("0xffffffffffffffff", "i32", -1), ("( 1 << 64 )", "u32", 1), ("09", "u32", 9),
    ("( 7 / - 2 )", "i32", -3), ("( - 7 % 2 )", "i32", -1),
])
def test_integer_macros(body: str, ty: str, value: int) -> None:
    assert macro_const(ev(body))[:2] == (ty, value)


@pytest.mark.parametrize(("body", "reason"), [
    ("( ( gfp_t ) 0x400u )", "cast"), ("sizeof ( int )", "sizeof"), ("! 0", "logical not"),
    ("( 1 && 2 )", "&&"), ("( 1 < 2 )", "comparison"), ("( 1 ? 2 : 3 )", "conditional"),
    ("fn_like ( 3 )", "function-like"), ("UNKNOWN", "not an evaluable macro"),
    ("( 1 / 0 )", "division by zero"), ("1.5e3", "exponent"), ("( 'a' + 1 )", "character"),
    ("", "empty"),
])
def test_unevaluable_macros_say_why(body: str, reason: str) -> None:
    with pytest.raises(Unevaluable, match=reason):
        ev(body)


def test_references_and_strings() -> None:
    known = {"A": Value("int", 3), "S": Value("str", b"\x01")}
    assert macro_const(ev("( A * 2 )", known))[1] == 6
    assert macro_const(ev('S "0"', known)) == ("&[u8; 3usize]", "\x010", 'b"\\x010\\0"')
    assert macro_const(ev("'w'")) == ("u8", 119, "119u8")


def test_float_formatting_matches_rust_display() -> None:
    assert rust_float(1.5) == "1.5"
    assert rust_float(1e3) == "1000.0"
    assert rust_float(1e-7) == "0.0000001"
    assert macro_const(ev("1e3"))[0] == "f64"


def test_a_macro_undefined_later_is_not_owed_a_helper() -> None:
    from pathlib import Path

    import kbind
    from kbind.predict.items import FUNCTION_LIKE_MACRO, OVERRIDDEN_MACRO

    header = Path(__file__).resolve().parent.parent / "headers/regressions/macro_overridden.h"
    report = kbind.audit(str(header), [])
    reasons = {(i.name, i.kind): i.reason for i in report.items if i.name.startswith("OV_")}
    assert reasons[("OV_GONE", "macro")] == OVERRIDDEN_MACRO
    assert reasons[("OV_TO_OBJECT", "macro")] == OVERRIDDEN_MACRO
    assert reasons[("OV_TO_OBJECT", "const")] is None  # the later `5`
    assert reasons[("OV_KEPT", "macro")] == reasons[("OV_REDEFINED", "macro")] \
        == FUNCTION_LIKE_MACRO
    rules = {(f.rule, f.item) for f in report.findings if (f.item or "").startswith("OV_")}
    assert rules == {("macro-needs-helper", "OV_KEPT"), ("macro-needs-helper", "OV_REDEFINED"),
                     ("not-emitted", "OV_GONE"), ("not-emitted", "OV_TO_OBJECT")}
