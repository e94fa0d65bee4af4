"""Rule `inline-not-wrappable`: an inline function (or forwarding macro) whose
body only compiles for constant arguments, so a shim would break the build.

The body analysis is `kbind.clang.bodies` (seen here as
`kbind.ir.bodies.BodyFacts`); this module applies it to shims: an inline
function is checked with every argument unknown; a macro through the function
it forwards to, with its constant arguments' values where kbind knows them.
"""

from __future__ import annotations

from kbind.generate.shims import HelperIndex, Shim
from kbind.ir import Enum, Location
from kbind.ir.bodies import DYNAMIC, UNKNOWN, BodyFacts, NotWrappable
from kbind.report import Finding, Report

RULE = "inline-not-wrappable"


def constant_values(report: Report) -> dict[str, int]:
    """Enumerators and the macros bindgen evaluates, by name (`true` -> 1)."""
    values = {i.name: i.value for i in report.items
              if i.kind == "const" and i.name and isinstance(i.value, int)
              and not isinstance(i.value, bool)}
    for decl in report.tu.decls if report.tu is not None else ():
        if isinstance(decl, Enum):
            values.update((c.name, c.value) for c in decl.constants)
    return values


def check_shim(analyser: BodyFacts, shim: Shim, constants: dict[str, int]
               ) -> NotWrappable | None:
    if shim.signature is None:
        return analyser.check(shim.name)
    sig = shim.signature
    for name in sig.calls:
        if analyser.is_error_function(name):
            return NotWrappable(f"calls `{name}`, declared with an error or warning "
                                "attribute, in its expansion", shim.header)
    params = {p.name for p in shim.params}
    values: list[object] = []
    for arg in sig.callee_args:
        if len(arg) == 1 and (arg[0] in params or arg[0] == "__VA_ARGS__"):
            values.append(DYNAMIC)
        else:
            values.append(_literal(arg, constants))
    found = analyser.check(sig.callee, values)
    if found is not None:
        return NotWrappable(f"{found.reason} (through `{sig.callee}`)", found.where, found.kind)
    return None


def _literal(tokens: tuple[str, ...], constants: dict[str, int]) -> object:
    if len(tokens) != 1:
        return UNKNOWN
    tok = tokens[0]
    try:
        return int(tok.rstrip("uUlL"), 0)
    except ValueError:
        return constants.get(tok, UNKNOWN)


def refine(findings: list[Finding], report: Report, analyser: BodyFacts) -> list[Finding]:
    """Turn `inline-needs-helper` / `macro-needs-helper` into `inline-not-wrappable`
    where the body only compiles for constant arguments."""
    index = HelperIndex(report.tu)
    constants = constant_values(report)
    out: list[Finding] = []
    for f in findings:
        if f.rule in ("inline-needs-helper", "macro-needs-helper") and f.item:
            plan = index.plan(f.item)
            found = check_shim(analyser, plan, constants) if isinstance(plan, Shim) else None
            if found is not None:
                f = not_wrappable(f.item, found, f.location)
        out.append(f)
    return out


def not_wrappable(name: str, found: NotWrappable, location: Location) -> Finding:
    return Finding(RULE, "warning",
                   f"`{name}` cannot be wrapped: it {found.reason} ({found.where}); a "
                   "shim compiles only for constant arguments, so Rust needs a hand-written "
                   "helper", location, name)
