"""Whole rust/helpers files: which shims go where, and their text.

`helper_files` is what `kbind helpers` writes: one kernel-style file per
subsystem, plus the `#include` line helpers.c needs for it. It returns
plain `Output`s so other sections (RUST_CONST_HELPER_ lines for
bindings_helper.h) can be added beside them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from kbind.generate.includes import IncludeResolver
from kbind.generate.shims import SPDX, HelperIndex, Refusal, Shim, error_stub


@dataclass(frozen=True)
class Output:
    """One thing `kbind helpers` produces."""

    path: str  # where it belongs in the tree, e.g. rust/helpers/refcount.c
    text: str
    instructions: tuple[str, ...] = ()  # lines to add elsewhere (helpers.c)
    names: tuple[str, ...] = ()  # the C names it wraps


@dataclass
class Plans:
    shims: list[Shim] = field(default_factory=list)
    stubs: list[Refusal] = field(default_factory=list)  # #error stubs (macros)
    refused: list[Refusal] = field(default_factory=list)  # nothing written


def split_plans(index: HelperIndex, names: list[str], write_stubs: bool = True) -> Plans:
    plans = Plans()
    for name in names:
        plan = index.plan(name)
        if isinstance(plan, Shim):
            plans.shims.append(plan)
        elif plan.stub and write_stubs:
            plans.stubs.append(plan)
        else:
            plans.refused.append(plan)
    return plans


def subsystem_of(include: str | None, fallback: str = "helpers_new") -> str:
    """`<linux/sched/signal.h>` -> `signal`: the kernel names files after the header."""
    if not include:
        return fallback
    base = posixpath.basename(include.strip("<>"))
    return base[:-2] if base.endswith(".h") else base


def helper_files(index: HelperIndex, resolver: IncludeResolver, plans: Plans,
                 subsystem: str | None = None, folder: str = "rust/helpers") -> list[Output]:
    """Group the shims and stubs into files, one per subsystem."""
    groups: dict[str, list[Shim | Refusal]] = {}
    includes: dict[str, set[str]] = {}
    for plan in [*plans.shims, *plans.stubs]:
        types = [plan.ret, *(p.type for p in plan.params)] if isinstance(plan, Shim) else []
        incs = resolver.includes_for(plan.header, types, _uses(index, plan)) \
            if plan.header else []
        name = subsystem or subsystem_of(incs[0] if incs else None)
        groups.setdefault(name, []).append(plan)
        includes.setdefault(name, set()).update(incs)
    out: list[Output] = []
    for name in sorted(groups):
        text = render_file(index, groups[name], sorted(includes.get(name, ())))
        out.append(Output(f"{folder}/{name}.c", text, (f'#include "{name}.c"',),
                          tuple(p.name for p in groups[name])))
    return out


def _uses(index: HelperIndex, plan: Shim | Refusal) -> list[str]:
    """Files a macro's expansion needs: where each function it calls, macro it
    expands and constant it passes is declared (the macro's own header may not
    include them: they resolve where the macro is used)."""
    if not isinstance(plan, Shim) or plan.signature is None:
        return []
    sig = plan.signature
    params = {p.name for p in plan.params}
    names = {sig.callee, *sig.via, *sig.calls} | {
        t for arg in sig.callee_args for t in arg if t.isidentifier() and t not in params}
    files: list[str] = []
    for name in sorted(names):
        if name in index.functions:
            files.append(index.functions[name].location.file)
        elif name in index.macros:
            files.append(index.macros[name].location.file)
        elif name in index.known:
            files.append(index.known[name])
    return files


def render_file(index: HelperIndex, plans: list[Shim | Refusal], includes: list[str]) -> str:
    parts = [SPDX + "\n"]
    if includes:
        parts.append("".join(f"#include {inc}\n" for inc in includes))
    for plan in plans:
        if isinstance(plan, Shim):
            parts.append(index.function_text(plan))
        else:
            parts.append(f"/* {plan.name}: {plan.reason} */\n" + error_stub(plan.name))
    return "\n".join(parts)


def shim_text(index: HelperIndex, name: str) -> str:
    """The shim (or `#error` stub) for one name; raises KeyError if unknown, ValueError
    when no shim can be written."""
    plan = index.plan(name)
    if isinstance(plan, Shim):
        return index.function_text(plan)
    if plan.stub:
        return f"/* {plan.name}: {plan.reason} */\n" + error_stub(plan.name)
    raise ValueError(f"`{name}`: no shim can be written: {plan.reason}")
