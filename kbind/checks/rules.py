"""Audit rules: each turns report items into findings with a stable rule id.

Every item bindgen will not emit, or will emit degraded (opaque), becomes a
finding with its reason; nothing is skipped silently. Rules decide on the
item's machine `code` (kbind.report.Code), never on the wording of its reason,
and every id they emit is registered in kbind.checks.catalog.

The passes of an audit, in this order (kbind.api._run_probed runs them):
1. item rules (`RULES`), then opaque records and Rust layouts;
2. helpers: `already-wrapped`/`stale-helper` from the tree's rust/helpers, and
   the shim plans (which turn `inline-needs-helper` into `inline-unshimmable`
   and say whether a macro's signature is inferred);
3. const helpers (kbind.checks.const_helpers.check): typed macro findings and
   the header's RUST_CONST_HELPER_ lines;
4. `--check-bodies` (kbind.checks.wrappable.refine): `inline-not-wrappable`;
5. appended, rewriting nothing: hazards, `--layout` holes, Rust uses.
Each refining pass reads only what the passes before it wrote.
"""

from __future__ import annotations

from collections.abc import Callable

from kbind.checks.helpers import HELPER_RULES, HelperStatus, plan_findings, refine
from kbind.checks.layout import layout_findings
from kbind.checks.opaque import opaque_findings
from kbind.generate.shims import HelperIndex
from kbind.ir import TranslationUnit
from kbind.predict.items import UNEVALUABLE_MACRO
from kbind.report import Code, Finding, Item, Report

# Codes of macros a macro rule reports; `not-emitted` says nothing of them.
_MACRO_RULE_CODES = frozenset({Code.FUNCTION_LIKE_MACRO, Code.UNEVALUABLE_MACRO,
                               Code.EMPTY_MACRO, Code.MACRO_PANICS_BINDGEN})


def _inline_needs_helper(item: Item) -> Finding | None:
    if item.kind == "function" and item.inline and not item.emitted:
        return Finding("inline-needs-helper", "warning",
                       f"`{item.name}` is inline: Rust cannot call it without a "
                       f"`rust_helper_{item.name}` shim in rust/helpers", item.location, item.name)
    return None


def _macro_needs_helper(item: Item) -> Finding | None:
    if item.kind == "macro" and not item.emitted and item.code == Code.FUNCTION_LIKE_MACRO:
        return Finding("macro-needs-helper", "note",
                       f"function-like macro `{item.name}`: Rust sees nothing; wrap it in a "
                       f"`rust_helper_{item.name}` shim if Rust needs it", item.location, item.name)
    return None


def _macro_crashes_bindgen(item: Item) -> Finding | None:
    if item.kind == "macro" and not item.emitted and item.code == Code.MACRO_PANICS_BINDGEN:
        why = (item.reason or "").removeprefix(UNEVALUABLE_MACRO)
        return Finding("macro-crashes-bindgen", "error",
                       f"macro `{item.name}`: {why}, "
                       "so the whole bindings build fails; fix the expression or #undef it "
                       "for bindgen (__BINDGEN__)", item.location, item.name)
    return None


def needs_const_helper(item: Item) -> bool:
    """An object-like macro cexpr cannot evaluate (an empty one, an include
    guard, carries no value worth a helper; one that crashes bindgen is worse)."""
    return item.kind == "macro" and not item.emitted and item.code == Code.UNEVALUABLE_MACRO


def _macro_needs_const_helper(item: Item) -> Finding | None:
    if needs_const_helper(item):
        return Finding("macro-needs-const-helper", "note",
                       f"macro `{item.name}` is not a Rust constant ({item.reason}); add "
                       f"`RUST_CONST_HELPER_{item.name}` to bindings_helper.h if Rust needs it",
                       item.location, item.name)
    return None


def _opaque(item: Item) -> Finding | None:
    if item.kind in ("struct", "union") and item.opaque:
        return Finding("opaque-type", "warning",
                       f"{item.kind} `{item.name}` becomes an opaque blob ({item.reason}): "
                       "Rust cannot reach its fields", item.location, item.name)
    return None


def _repr_conflict(item: Item) -> Finding | None:
    if item.kind in ("struct", "union") and item.emitted and not item.opaque:
        if item.code == Code.REPR_CONFLICT:
            return Finding("repr-conflict", "error",
                           f"{item.kind} `{item.name or item.rust_name}` will not compile: "
                           f"{item.reason}; drop its "
                           "packed or aligned attribute, or block it and write the type by hand",
                           item.location, item.name)
        # RUST_LAYOUT_DIFFERS reasons are reported by kbind.checks.layout
        # (`rust-layout-mismatch`), with the cause.
    return None


def _other_not_emitted(item: Item) -> Finding | None:
    if item.emitted or (item.kind == "function" and item.inline):
        return None
    if item.kind == "macro" and item.code in _MACRO_RULE_CODES:
        return None  # the macro rules above
    rule = "blocklisted" if item.code == Code.BLOCKLISTED else "not-emitted"
    return Finding(rule, "note", f"{item.kind} `{item.name}` not emitted: {item.reason}",
                   item.location, item.name)


RULES: tuple[Callable[[Item], Finding | None], ...] = (
    _inline_needs_helper, _macro_needs_helper, _macro_crashes_bindgen,
    _macro_needs_const_helper, _opaque,
    _repr_conflict, _other_not_emitted,
)


def run_rules(report: Report, tu: TranslationUnit,
              helpers: list[HelperStatus] | None = None,
              planned: Callable[[], list[Finding | None]] | None = None) -> list[Finding]:
    """Every finding; `helpers` (kbind.checks.helpers.classify) marks what is
    wrapped; `planned` gives `plan_helpers` results made meanwhile (it is
    called last, so a process making them has the longest time)."""
    findings = _item_findings(report)
    findings += opaque_findings(report, tu)
    findings += layout_findings(report, tu)
    index = HelperIndex(tu)
    plans = None
    if planned is not None:
        plans = {f: p or f for f, p in zip(_helper_findings(findings), planned(), strict=True)}
    return refine(findings, report, index, helpers, plans)


def plan_helpers(report: Report, tu: TranslationUnit) -> list[Finding | None]:
    """The shim plans `run_rules` writes into its helper findings (see
    kbind.checks.helpers.plan_findings), in their order, None where a finding
    stays as it is: a forked process makes them meanwhile and sends little."""
    findings = _helper_findings(_item_findings(report))
    plans = plan_findings(findings, HelperIndex(tu))
    return [None if plans.get(f, f) == f else plans[f] for f in findings]


def _helper_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule in HELPER_RULES]


def _item_findings(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    for item in report.items:
        for rule in RULES:
            finding = rule(item)
            if finding is not None:
                findings.append(finding)
    return findings
