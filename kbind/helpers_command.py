"""`kbind helpers`: write rust/helpers shims for inline functions and macros,
and the RUST_CONST_HELPER_ lines for object-like macros bindgen cannot evaluate.

The CLI parses arguments; this module decides what to write. `outputs()`
returns every section kbind produces: the shim files, then the const-helper
lines as one more `Output` (`bindings_helper.h.add`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from kbind import outputs as output_files
from kbind.clang.header_probe import HeaderProbe
from kbind.errors import OutputError, UsageError
from kbind.generate import const_helpers
from kbind.generate.files import Output, Plans, helper_files, merge_into, split_plans
from kbind.generate.includes import IncludeResolver
from kbind.generate.shims import HelperIndex, Refusal, Shim
from kbind.ir.probe import ProbeResult
from kbind.report import Report

CONST_HELPERS_PATH = "rust/bindings/bindings_helper.h.add"


@dataclass
class Request:
    header: str
    clang_args: list[str]
    root: str | None
    target: str | None
    bindgen_args: list[str] = field(default_factory=list)
    helpers_dir: str | None = None
    names: list[str] = field(default_factory=list)
    all_missing: bool = False
    subsystem: str | None = None


@dataclass
class Result:
    outputs: list[Output]
    plans: Plans
    skipped: list[str]  # messages: already wrapped, left for hand work
    refused_constants: list[str] = field(default_factory=list)  # no const helper possible
    bad_names: list[str] = field(default_factory=list)  # NAMEs that need no shim or are unknown


def wrapped_names(report: Report) -> dict[str, str]:
    """name -> the already-wrapped finding's message."""
    return {f.item: f.message for f in report.findings
            if f.rule == "already-wrapped" and f.item}


def missing_names(report: Report, index: HelperIndex) -> tuple[list[str], list[str]]:
    """(names a shim can be generated for, messages about the rest) for --all-missing:
    every inline function, and every function-like macro whose signature kbind infers."""
    done = wrapped_names(report)
    names: list[str] = []
    seen: set[str] = set()
    left: list[str] = []
    for item in report.items:
        name = item.name
        if not name or name in done or name in seen or item.emitted:
            continue
        if item.kind == "function" and item.inline:
            seen.add(name)
            names.append(name)
        elif item.kind == "macro" and name in index.macros and index.macros[name].function_like:
            seen.add(name)
            if isinstance(index.plan(name), Shim):
                names.append(name)
            else:
                left.append(name)
    skipped = [f"{len(left)} function-like macros left for hand work (no signature "
               "inferred; name them to get #error stubs)"] if left else []
    return names, skipped


def outputs(report: Report, request: Request, probe: ProbeResult | None = None) -> Result:
    """The shim files, and with `probe` (kbind.api.audit_probed's) the
    RUST_CONST_HELPER_ lines for the object-like macros asked for (or all missing)."""
    tu = report.tu
    index = HelperIndex(tu)
    done = wrapped_names(report)
    skipped: list[str] = []
    bad_names: list[str] = []
    constants: list[str] = []
    if request.all_missing:
        names, skipped = missing_names(report, index)
    else:
        names = []
        for name in request.names:
            if name in done:
                skipped.append(f"{name}: {done[name]}")
                continue
            fn = index.functions.get(name)
            macro = index.macros.get(name)
            if macro is not None and not macro.function_like and probe is not None:
                constants.append(name)
                continue
            if (macro is None or not macro.function_like) and (fn is None or not fn.inline):
                what = "an ordinary function: bindgen binds it, no shim is needed" \
                    if fn is not None else "not an inline function or function-like macro"
                bad_names.append(f"{request.header}: `{name}` is {what}")
                continue
            names.append(name)
    plans = split_plans(index, names, write_stubs=not request.all_missing)
    if plans.shims:
        _drop_unwrappable(report, request, plans)
    skipped += [f"{p.name}: {p.reason}" for p in plans.refused]
    files = _shim_files(report, request, index, plans) if names else []
    if probe is not None and (constants or request.all_missing):
        lines = const_helpers.select(report, probe, constants, request.all_missing)
        skipped += [f"{h.name}: {h.reason}" for h in lines if h.line is None]
        refused = [h.name for h in lines if h.line is None]
        text = const_helpers.render(lines)
        if text:
            files.append(Output(CONST_HELPERS_PATH, text, (
                f"add the lines of {os.path.basename(CONST_HELPERS_PATH)} to "
                "rust/bindings/bindings_helper.h",), tuple(h.name for h in lines if h.line)))
        return Result(files, plans, skipped, refused, bad_names)
    return Result(files, plans, skipped, bad_names=bad_names)


def _shim_files(report: Report, request: Request, index: HelperIndex, plans: Plans
                ) -> list[Output]:
    from kbind.clang.parse import build_args

    folder = os.path.dirname(os.path.abspath(request.header))
    probe = HeaderProbe([*request.clang_args, f"-I{folder}"], report.target, folder)
    resolver = IncludeResolver(report.tu, build_args(request.header, request.clang_args,
                                                     report.target), request.root,
                               probe.compiles)
    return helper_files(index, resolver, plans, request.subsystem)


def _drop_unwrappable(report: Report, request: Request, plans: Plans) -> None:
    """A shim whose body needs constant arguments would break the build: refuse it."""
    from kbind.checks.wrappable import RULE, check_shim, constant_values
    from kbind.clang.bodies import BodyAnalyser

    analyser = BodyAnalyser(request.header, request.clang_args, report.target, request.root)
    constants = constant_values(report)
    keep: list[Shim] = []
    for shim in plans.shims:
        found = check_shim(analyser, shim, constants)
        if found is None:
            keep.append(shim)
        else:
            plans.refused.append(Refusal(shim.name, shim.kind, f"it {found.reason} "
                                         f"({found.where}): a shim compiles only for constant "
                                         "arguments", RULE, shim.header))
    plans.shims = keep


@dataclass(frozen=True)
class Write:
    """What writing one output does: a new file, lines added to an existing
    helpers file, or (with --force) a replaced non-shim file."""

    output: Output
    target: output_files.Target
    text: str | None  # None: nothing to write (the file already has every shim)
    added: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # shims the file already has, left untouched


def plan_writes(outputs_: Sequence[Output], folder: str, force: bool) -> list[Write]:
    """Where each output goes under `folder`, decided (and refused) before writing
    anything. Shim files that exist are merged; other files need --force."""
    if not os.path.isdir(folder):
        raise OutputError(f"{folder}: no such folder; create it first")
    writes: list[Write] = []
    for out in outputs_:
        path = os.path.join(folder, os.path.basename(out.path))
        merging = bool(out.shims) and os.path.isfile(path)
        target = output_files.check(path, force or merging)
        if not merging:
            writes.append(Write(out, target, out.text, out.names))
            continue
        try:
            with open(target.real or path, encoding="utf-8") as fh:
                existing = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise OutputError(f"{path}: cannot read it to add shims ({exc}); fix its "
                              "permissions or choose another folder") from None
        merged = merge_into(existing, out)
        writes.append(Write(out, target, merged.text, merged.added, merged.kept))
    return writes


def missing_includes(instructions: Sequence[str], helpers_c: Sequence[str]) -> list[str]:
    """The `#include "x.c"` lines none of the `helpers_c` files already has."""
    have: set[str] = set()
    for path in helpers_c:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                have |= {line.strip() for line in fh}
        except OSError:
            continue
    return [line for line in instructions if line.strip() not in have]


def validate(request: Request) -> None:
    if request.all_missing and request.names:
        raise UsageError("kbind helpers: give NAMEs or --all-missing, not both")
    if not request.all_missing and not request.names:
        raise UsageError("kbind helpers: give the NAMEs to wrap, or --all-missing")
