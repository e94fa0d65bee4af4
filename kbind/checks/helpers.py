"""Helper findings: what is already wrapped, what is stale, what cannot be shimmed.

Refines the base rules' `inline-needs-helper` and `macro-needs-helper`
findings with what kbind can generate (`kbind.generate.shims`), and, given
a tree's rust/helpers, recognises the shims that already exist.

Rule ids:
- `inline-unshimmable`: an inline function no shim can wrap (variadic, or a
  type C cannot name outside its declaration);
- `macro-needs-helper`: says whether kbind inferred the macro's signature;
- `already-wrapped`: a `rust_helper_X` exists; nothing is owed;
- `stale-helper`: a shim whose body no longer compiles or whose signature
  no longer matches what it wraps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from pycparser import c_generator

from kbind.generate.shims import PREFIX, HelperIndex, Refusal, Shim
from kbind.ir import Builtin, CType, Function, FunctionType, Location
from kbind.ir.ctypes import Param
from kbind.ir.helpers import HelperDef, HelpersTree
from kbind.report import Finding, Report

# What an existing shim is, once compared with the headers.
WRAPS_INLINE, WRAPS_MACRO, WRAPS_FUNCTION, CUSTOM, STALE = (
    "wraps an inline function", "wraps a macro", "wraps a function",
    "hand-written (no C function or macro of that name is called)", "stale")


@dataclass(frozen=True)
class HelperStatus:
    name: str
    location: Location
    status: str
    detail: str = ""


def c_signature(index: HelperIndex, name: str, ret: CType, params: tuple[Param, ...]) -> str:
    decl = index.declarators.function(name, ret, params)
    return c_generator.CGenerator().visit(decl)


def classify(tree: HelpersTree) -> list[HelperStatus]:
    """Compare each shim of `tree` with what it wraps, in the shims' own TU."""
    assert tree.tu is not None
    index = HelperIndex(tree.tu, tree.functions, tree.macros, tree.known)
    return [_classify_one(index, h) for h in tree.helpers]


def _classify_one(index: HelperIndex, helper: HelperDef) -> HelperStatus:
    loc = helper.function.location
    name = helper.name
    if helper.errors:
        first = helper.errors[0].split(": error: ", 1)[-1]  # the finding has the place
        return HelperStatus(name, loc, STALE, f"its body no longer compiles: {first}")
    macro = index.macros.get(name)
    fn = index.functions.get(name)
    if name not in helper.uses or (macro is None and fn is None):
        return HelperStatus(name, loc, CUSTOM)
    mine = helper.function.type
    assert isinstance(mine, FunctionType)
    if macro is not None and macro.function_like:
        plan = index.plan(name)
        if isinstance(plan, Shim) and not _same(mine, plan.ret, plan.params) and not (
                _is_void(mine.ret) and _same(mine, mine.ret, plan.params)):
            return HelperStatus(name, loc, STALE, _mismatch(index, helper, plan.ret, plan.params,
                                                            f"macro `{name}` (via `{plan.via}`)"))
        return HelperStatus(name, loc, WRAPS_MACRO)
    if macro is not None:
        return HelperStatus(name, loc, WRAPS_MACRO)
    assert isinstance(fn, Function)
    theirs = fn.type
    status = WRAPS_INLINE if fn.inline else WRAPS_FUNCTION
    if isinstance(theirs, FunctionType) and not _same(mine, theirs.ret, theirs.params):
        if _is_void(mine.ret) and _same(mine, mine.ret, theirs.params):
            return HelperStatus(name, loc, status, "it drops the return value")
        return HelperStatus(name, loc, STALE,
                            _mismatch(index, helper, theirs.ret, theirs.params, f"`{name}`"))
    return HelperStatus(name, loc, status)


def _is_void(t: CType) -> bool:
    return isinstance(t, Builtin) and t.name == "void"


def _bare(t: CType) -> CType:
    """A parameter's type as C compares prototypes: top-level qualifiers dropped."""
    return replace(t, const=False, volatile=False) if t.const or t.volatile else t


def _same(mine: FunctionType, ret: CType, params: tuple[Param, ...]) -> bool:
    return mine.ret == ret and len(mine.params) == len(params) and all(
        _bare(a.type) == _bare(b.type) for a, b in zip(mine.params, params, strict=True))


def _mismatch(index: HelperIndex, helper: HelperDef, ret: CType, params: tuple[Param, ...],
              what: str) -> str:
    mine = helper.function.type
    assert isinstance(mine, FunctionType)
    have = c_signature(index, PREFIX + helper.name, mine.ret, mine.params)
    want = c_signature(index, helper.name, ret, params)
    return f"its signature `{have}` no longer matches {what}: `{want}`"


# -- audit findings ---------------------------------------------------------

HELPER_RULES = ("inline-needs-helper", "macro-needs-helper")


def plan_findings(findings: list[Finding], index: HelperIndex) -> dict[Finding, Finding]:
    """Each helper finding rewritten with kbind's plan for its shim: the costly
    half of `refine`, apart, so another process can do it meanwhile. A finding
    the plan leaves as it is maps to itself."""
    return {f: _planned(f, index) for f in findings
            if f.rule in HELPER_RULES and f.item is not None}


def refine(findings: list[Finding], report: Report, index: HelperIndex,
           statuses: list[HelperStatus] | None = None,
           planned: Mapping[Finding, Finding] | None = None) -> list[Finding]:
    """Rewrite the helper findings with what kbind can generate and what exists.

    `planned` holds `plan_findings` results made already; a helper finding it
    lacks is planned here."""
    wrapped = {s.name: s for s in statuses or [] if s.status != STALE}
    planned = planned or {}
    out: list[Finding] = []
    for f in findings:
        if f.rule not in HELPER_RULES or f.item is None:
            out.append(f)
            continue
        done = wrapped.get(f.item)
        if done is not None:
            out.append(Finding("already-wrapped", "note",
                               f"`{f.item}` is already wrapped by `{PREFIX}{f.item}` "
                               f"({done.location.file}:{done.location.line}); nothing is owed",
                               f.location, f.item))
            continue
        done_plan = planned.get(f)
        out.append(done_plan if done_plan is not None else _planned(f, index))
    for s in statuses or []:
        if s.status == STALE:
            out.append(Finding("stale-helper", "warning",
                               f"`{PREFIX}{s.name}` is stale: {s.detail}", s.location, s.name))
    return out


def _planned(f: Finding, index: HelperIndex) -> Finding:
    assert f.item is not None
    try:
        plan = index.plan(f.item)
    except KeyError:
        return f
    if isinstance(plan, Refusal):
        if plan.rule == "inline-unshimmable":
            return Finding("inline-unshimmable", "warning",
                           f"`{f.item}` is inline but no shim can wrap it: {plan.reason}; "
                           "Rust needs a hand-written wrapper", f.location, f.item)
        return Finding(f.rule, f.severity,
                       f"function-like macro `{f.item}`: Rust sees nothing; {plan.reason}, so "
                       f"`kbind helpers` writes an #error stub: choose the types by hand",
                       f.location, f.item)
    if plan.kind == "macro":
        sig = c_signature(index, f.item, plan.ret, plan.params)
        return Finding(f.rule, f.severity,
                       f"function-like macro `{f.item}`: Rust sees nothing; kbind infers "
                       f"`{sig}` (it forwards to `{plan.via}`): `kbind helpers {f.item}` "
                       "writes the shim", f.location, f.item)
    return f
