"""`RUST_CONST_HELPER_` lines for bindings_helper.h, built from pycparser's C AST.

The kernel's form is one line per macro bindgen cannot evaluate,

    const gfp_t RUST_CONST_HELPER_GFP_KERNEL = GFP_KERNEL;

where the type is the macro's own C type (clang's, typedef sugar kept), so
bindgen emits the constant with that type and rust/Makefile's sed renames it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kbind.generate import c_nodes
from kbind.ir.probe import CONST_HELPER_PREFIX, CExprType, MacroExpr, ProbeResult
from kbind.predict.items import I64_MAX
from kbind.report import Code, Report

_TAGS = ("struct", "union", "enum")


NEEDS = "macro-needs-const-helper"  # the rule whose macros get a line
CONSTANT_KINDS = ("int", "bool", "float")


def constant_reason(expr: MacroExpr) -> str | None:
    """Why no const helper can hold this macro (None: one can)."""
    if expr.type is None:
        why = expr.error if (expr.error or "").startswith("its body") \
            else f"clang: {expr.error}"
        return f"its body is not a C expression ({why})"
    if expr.type.kind not in CONSTANT_KINDS:
        return f"clang types it `{expr.type.spelling}`, not an integer or float"
    if expr.value is None:
        why = f" (clang: {expr.error})" if expr.error else ""
        return f"clang types it `{expr.type.spelling}` but it is not a compile-time " \
               f"constant{why}"
    if isinstance(expr.value, int) and expr.value > I64_MAX:
        return f"its value {expr.value} is above i64::MAX: bindgen 0.60 reads clang's " \
               "value as an i64 and emits an extern static instead of a constant"
    return None


@dataclass(frozen=True)
class ConstHelper:
    """One proposed helper: its line, or the reason there is none."""

    name: str
    line: str | None
    reason: str | None = None
    type: CExprType | None = None
    value: int | float | None = None


def _type_node(spelling: str) -> c_nodes.Node:
    words = spelling.split()
    if words[0] in _TAGS and len(words) == 2:
        return c_nodes.tag_reference(words[0], words[1])
    return c_nodes.identifier_type(words)


def declaration(name: str, ctype: CExprType) -> c_nodes.Node:
    """`const <type> RUST_CONST_HELPER_<name> = <name>` as a C AST node."""
    helper = f"{CONST_HELPER_PREFIX}{name}"
    decl_type = c_nodes.type_decl(helper, ["const"], _type_node(ctype.spelling))
    return c_nodes.declaration(helper, decl_type, quals=["const"], init=c_nodes.identifier(name))


def render_line(name: str, ctype: CExprType) -> str:
    return c_nodes.to_c(declaration(name, ctype)) + ";"


def propose(expr: MacroExpr) -> ConstHelper:
    reason = constant_reason(expr)
    if reason is not None or expr.type is None:
        return ConstHelper(expr.name, None, reason, expr.type, expr.value)
    return ConstHelper(expr.name, render_line(expr.name, expr.type), None, expr.type,
                       expr.value)


def render(helpers: list[ConstHelper]) -> str:
    """The lines to paste into bindings_helper.h, in the order given."""
    return "".join(f"{h.line}\n" for h in helpers if h.line is not None)


def select(report: Report, probe: ProbeResult, names: Sequence[str] = (),
           all_missing: bool = False) -> list[ConstHelper]:
    """Helpers for `names` (or every macro still missing one) from an audit and its probe."""
    if all_missing:
        # A macro redefined after #undef has one finding per definition.
        names = list(dict.fromkeys(f.item for f in report.findings
                                   if f.rule == NEEDS and f.item))
    items = {i.name: i for i in report.items if i.kind in ("macro", "const") and i.name}
    wrapped = {h.name: h for h in probe.helpers}
    emitted = report.emitted_names()
    out: list[ConstHelper] = []
    for name in names:
        item = items.get(name)
        if name in wrapped:
            where = wrapped[name].location
            out.append(ConstHelper(name, None, f"already wrapped at {where.file}:{where.line}"))
        elif item is None or item.code == Code.FUNCTION_LIKE_MACRO:
            out.append(ConstHelper(name, None, "no object-like macro of that name"))
        elif item.emitted:
            out.append(ConstHelper(name, None, "bindgen already emits it as a constant"))
        elif name in emitted:
            out.append(ConstHelper(name, None, f"bindgen already emits another `{name}`"))
        elif name in probe.macros:
            out.append(propose(probe.macros[name]))
        else:
            out.append(ConstHelper(name, None, item.reason or "not emitted"))
    return out
