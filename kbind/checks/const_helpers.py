"""Const-helper rules: what a macro's C type is, and whether the header's
`RUST_CONST_HELPER_` lines still say what they mean.

Rules (stable ids):

- `macro-needs-const-helper` (note): bindgen cannot evaluate the macro; the
  finding names the C type clang gives it and the line to add.
- `macro-shadows-binding` (note): bindgen cannot evaluate the macro, but it
  already emits another item of that name (a `#define X X` over an enumerator).
- `macro-not-constant` (note): the macro is not a C expression, or not an
  integer/float compile-time constant, so no const helper can hold it.
- `already-wrapped` (note): a `RUST_CONST_HELPER_X` line exists for macro X.
- `stale-const-helper` (warning/error): the helper's macro is gone, or bindgen
  now evaluates the macro itself (two `X` constants after the rename).
- `const-helper-mismatch` (error, or warning when the values agree today):
  `RUST_CONST_HELPER_X = Y` with Y not X.
- `const-helper-value` (error): the helper's value differs from X's.
- `const-helper-type` (error/warning): the declared type cannot hold X's value,
  or changes its signedness.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbind.checks.rules import needs_const_helper
from kbind.generate.const_helpers import NEEDS, constant_reason
from kbind.ir import Macro, TranslationUnit
from kbind.ir.probe import CONST_HELPER_PREFIX, ConstHelperDecl, MacroExpr, ProbeResult
from kbind.predict.items import I64_MAX
from kbind.report import Finding, Item, Report


def candidates(items: Iterable[Item]) -> list[str]:
    """Macros whose C type the findings need: those bindgen cannot evaluate."""
    return sorted({i.name for i in items if i.name and needs_const_helper(i)})


def helper_names(variables: Iterable[str]) -> set[str]:
    """X for every `RUST_CONST_HELPER_X` among the header's variable names."""
    return {name[len(CONST_HELPER_PREFIX):] for name in variables
            if name.startswith(CONST_HELPER_PREFIX)}


def _type_words(expr: MacroExpr) -> str:
    assert expr.type is not None
    t = expr.type
    same = t.spelling == t.canonical
    return f"`{t.spelling}`" + ("" if same else f" (= `{t.canonical}`)")


def _retyped(finding: Finding, expr: MacroExpr | None) -> Finding:
    """The cexpr finding, now with clang's type, or the reason none fits."""
    if expr is None:
        return finding
    reason = constant_reason(expr)
    if reason is not None:
        return Finding("macro-not-constant", "note",
                       f"macro `{expr.name}` cannot become a Rust constant: {reason}",
                       finding.location, finding.item)
    assert expr.type is not None
    line = f"const {expr.type.spelling} {CONST_HELPER_PREFIX}{expr.name} = {expr.name};"
    base = finding.message.split("; add `")[0]
    return Finding(NEEDS, finding.severity,
                   f"{base}; its C type is {_type_words(expr)}, value {expr.value}: add "
                   f"`{line}` to bindings_helper.h if Rust needs it",
                   finding.location, finding.item)


def check(report: Report, tu: TranslationUnit, probe: ProbeResult) -> list[Finding]:
    """The report's findings with macro types filled in, plus the helper rules."""
    wrapped = {h.name for h in probe.helpers}
    emitted = report.emitted_names()
    out: list[Finding] = []
    for f in report.findings:
        if f.rule == NEEDS and f.item in wrapped:
            continue  # `already-wrapped` below says it instead
        if f.rule == NEEDS and f.item in emitted:
            out.append(Finding(
                "macro-shadows-binding", "note",
                f"macro `{f.item}` is not a Rust constant, but bindgen already emits another "
                f"`{f.item}` (an enumerator, variable or function); a const helper would "
                "define it twice", f.location, f.item))
            continue
        out.append(_retyped(f, probe.macros.get(f.item or "")) if f.rule == NEEDS else f)
    macros = {d.name for d in tu.decls if isinstance(d, Macro) and not d.function_like}
    evaluable = {i.name for i in report.items
                 if i.kind == "const" and i.emitted and i.name in macros}
    for helper in probe.helpers:
        out.extend(helper_findings(helper, probe.macros, macros, evaluable))
    return out


def helper_findings(helper: ConstHelperDecl, exprs: dict[str, MacroExpr],
                    macros: set[str], evaluable: set[str]) -> list[Finding]:
    """Every rule about one `RUST_CONST_HELPER_` line."""
    name, loc = helper.name, helper.location
    item = f"{CONST_HELPER_PREFIX}{name}"
    rhs = helper.rhs_macro
    target = exprs.get(name)
    source = exprs.get(rhs) if rhs else None
    found: list[Finding] = []
    if rhs is not None and rhs not in macros:
        found.append(Finding("stale-const-helper", "error",
                             f"`{item}` is stale: its right-hand side `{rhs}` is no longer "
                             "a macro",
                             loc, item))
        return found
    # A helper named after no macro, set from a literal or an expression, wraps
    # nothing and cannot go stale; only its value and type are checked below.
    if name in evaluable:
        found.append(Finding("stale-const-helper", "error",
                             f"`{item}` is stale: bindgen now evaluates macro `{name}` "
                             f"itself, so after the rename Rust sees two `{name}` constants",
                             loc, item))
    wrong: Finding | None = None  # the helper holds something other than X
    if rhs is not None and rhs != name:
        wrong = _mismatch(helper, item, rhs, target, source)
    elif rhs is None and target is not None and target.value is not None \
            and helper.value is not None and helper.value != target.value:
        wrong = Finding("const-helper-value", "error",
                        f"`{item}` = {helper.value}, but macro `{name}` is {target.value} "
                        f"under this config (it reads `{' '.join(helper.rhs)}`)", loc, item)
    if name in macros and name not in evaluable and (wrong is None or wrong.severity != "error"):
        found.append(Finding("already-wrapped", "note",
                             f"macro `{name}` is already wrapped by `{item}`", loc, name))
    if wrong is not None:
        found.append(wrong)
    if isinstance(helper.value, int) and helper.value > I64_MAX:
        found.append(Finding("const-helper-type", "error",
                             f"`{item}` = {helper.value}, above i64::MAX: bindgen 0.60 emits "
                             "an extern static, not a constant, and no rename reaches it",
                             loc, item))
    typed = _type_finding(helper, item, source if rhs else target)
    if typed is not None:
        found.append(typed)
    return found


def _mismatch(helper: ConstHelperDecl, item: str, rhs: str, target: MacroExpr | None,
              source: MacroExpr | None) -> Finding:
    values = (target.value if target else None, source.value if source else None)
    if None not in values and values[0] == values[1]:
        return Finding("const-helper-mismatch", "warning",
                       f"`{item}` is initialised from `{rhs}`, not `{helper.name}`; both are "
                       f"{values[0]} under this config, but nothing keeps them equal",
                       helper.location, item)
    if target is None or target.value is None:
        detail = f"`{helper.name}` has no value to compare"
    else:
        detail = f"`{helper.name}` is {values[0]} but `{rhs}` is {values[1]}"
    return Finding("const-helper-mismatch", "error",
                   f"`{item}` is initialised from `{rhs}`, not `{helper.name}`: {detail}",
                   helper.location, item)


def _type_finding(helper: ConstHelperDecl, item: str, expr: MacroExpr | None
                  ) -> Finding | None:
    declared = helper.type
    if expr is None or expr.type is None or not isinstance(expr.value, int) \
            or declared.kind not in ("int", "bool") or expr.type.kind not in ("int", "bool"):
        return None
    value = expr.value
    if not declared.holds(value):
        return Finding("const-helper-type", "error",
                       f"`{item}` is declared `{declared.spelling}`, which cannot hold "
                       f"`{expr.name}` = {value} (of type `{expr.type.spelling}`): Rust sees "
                       f"{_converted(value, declared.size, declared.signed)}",
                       helper.location, item)
    if declared.signed != expr.type.signed and declared.kind == expr.type.kind == "int":
        sign = "signed" if declared.signed else "unsigned"
        return Finding("const-helper-type", "warning",
                       f"`{item}` is declared `{declared.spelling}` ({sign}), but `{expr.name}` "
                       f"has type `{expr.type.spelling}`: the helper changes its signedness",
                       helper.location, item)
    return None


def _converted(value: int, size: int, signed: bool) -> int:
    """C's conversion of `value` to an integer type of `size` bytes."""
    bits = size * 8
    value &= (1 << bits) - 1
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


