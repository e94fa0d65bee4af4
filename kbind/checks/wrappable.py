"""Rule `inline-not-wrappable`: an inline function (or forwarding macro) whose
body only compiles for constant arguments, so a shim would break the build.

The body analysis is `kbind.clang.bodies`; this module applies it to shims:
an inline function is checked with every argument unknown; a macro through
the function it forwards to, with its constant arguments' values where
kbind knows them.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbind.clang.bodies import DYNAMIC, UNKNOWN, BodyAnalyser, NotWrappable
from kbind.generate.shims import Shim
from kbind.ir import Enum
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


def check_shim(analyser: BodyAnalyser, shim: Shim, constants: dict[str, int]
               ) -> NotWrappable | None:
    if shim.signature is None:
        return analyser.check(shim.name)
    sig = shim.signature
    for name in sig.calls:
        if analyser.is_error_function(name):
            return NotWrappable(f"its expansion calls `{name}`, declared with an error or "
                                "warning attribute", shim.header)
    params = {p.name for p in shim.params}
    values: list[object] = []
    for arg in sig.callee_args:
        if len(arg) == 1 and (arg[0] in params or arg[0] == "__VA_ARGS__"):
            values.append(DYNAMIC)
        else:
            values.append(_literal(arg, constants))
    found = analyser.check(sig.callee, values)
    if found is not None:
        return NotWrappable(f"{found.reason} (through `{sig.callee}`)", found.where)
    return None


def _literal(tokens: tuple[str, ...], constants: dict[str, int]) -> object:
    if len(tokens) != 1:
        return UNKNOWN
    tok = tokens[0]
    try:
        return int(tok.rstrip("uUlL"), 0)
    except ValueError:
        return constants.get(tok, UNKNOWN)


def findings(report: Report, analyser: BodyAnalyser, shims: Iterable[Shim],
             where: dict[str, Finding]) -> dict[str, Finding]:
    """{name: inline-not-wrappable finding} for the shims that cannot compile."""
    constants = constant_values(report)
    out: dict[str, Finding] = {}
    for shim in shims:
        found = check_shim(analyser, shim, constants)
        base = where.get(shim.name)
        if found is not None and base is not None:
            out[shim.name] = Finding(RULE, "warning",
                                     f"`{shim.name}` cannot be wrapped: its body {found.reason} "
                                     f"({found.where}); a shim would only compile for constant "
                                     "arguments, so Rust needs a hand-written helper",
                                     base.location, shim.name)
    return out
