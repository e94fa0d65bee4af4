"""Whole rust/helpers files: which shims go where, and their text.

`helper_files` is what `kbind helpers` writes: one kernel-style file per
subsystem, plus the `#include` line helpers.c needs for it. It returns
plain `Output`s so other sections (RUST_CONST_HELPER_ lines for
bindings_helper.h) can be added beside them.
"""

from __future__ import annotations

import posixpath
import re
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
    includes: tuple[str, ...] = ()  # its `#include` lines (shim files)
    shims: tuple[str, ...] = ()  # each shim's text, in `names` order (shim files)


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
        incs = sorted(includes.get(name, ()))
        bodies = tuple(plan_text(index, plan) for plan in groups[name])
        out.append(Output(f"{folder}/{name}.c", render_file(incs, bodies),
                          (f'#include "{name}.c"',), tuple(p.name for p in groups[name]),
                          tuple(f"#include {inc}" for inc in incs), bodies))
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


def plan_text(index: HelperIndex, plan: Shim | Refusal) -> str:
    if isinstance(plan, Shim):
        return index.function_text(plan)
    return f"/* {plan.name}: {plan.reason} */\n" + error_stub(plan.name)


def render_file(includes: list[str], bodies: tuple[str, ...]) -> str:
    parts = [SPDX + "\n"]
    if includes:
        parts.append("".join(f"#include {inc}\n" for inc in includes))
    parts.extend(bodies)
    return "\n".join(parts)


_DEFINED_SHIM = re.compile(r"\brust_helper_(\w+)\s*\(")
_ERROR_STUB = re.compile(r"#error \"kbind: cannot infer the C signature of macro (\w+);")


def names_in(text: str) -> set[str]:
    """The C names a helpers file already wraps (or holds a kbind stub for)."""
    return set(_DEFINED_SHIM.findall(text)) | set(_ERROR_STUB.findall(text))


@dataclass(frozen=True)
class Merge:
    text: str | None  # None: the file already has everything
    added: tuple[str, ...]
    kept: tuple[str, ...]  # names the file already had: left as the user wrote them


def merge_into(existing: str, out: Output) -> Merge:
    """`existing` with the shims of `out` it lacks appended and the `#include`
    lines it lacks added after its last one; every existing line is kept."""
    have = names_in(existing)
    added = [(n, body) for n, body in zip(out.names, out.shims, strict=True) if n not in have]
    kept = tuple(n for n in out.names if n in have)
    if not added:
        return Merge(None, (), kept)
    lines = existing.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    present = {line.strip() for line in lines}
    new_includes = [inc + "\n" for inc in out.includes if inc not in present]
    last_include = max((i for i, line in enumerate(lines) if line.startswith("#include")),
                       default=None)
    if new_includes:
        at = 0 if last_include is None else last_include + 1
        if last_include is None:  # after the SPDX line and its blank line, if any
            while at < len(lines) and (lines[at].startswith("//") or lines[at].startswith("/*")):
                at += 1
            if at < len(lines) and not lines[at].strip():
                at += 1
            new_includes = [*new_includes, "\n"]
        lines[at:at] = new_includes
    text = "".join(lines)
    for _, body in added:
        text += "\n" + body
    return Merge(text, tuple(n for n, _ in added), kept)


def shim_text(index: HelperIndex, name: str) -> str:
    """The shim (or `#error` stub) for one name; raises KeyError if unknown, ValueError
    when no shim can be written."""
    plan = index.plan(name)
    if isinstance(plan, Shim) or plan.stub:
        return plan_text(index, plan)
    raise ValueError(f"`{name}`: no shim can be written: {plan.reason}")
