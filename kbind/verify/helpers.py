"""Proof tooling for generated shims: compile them, run bindgen's helpers pass,
and compare the Rust signatures with kbind's predictions.

Used by the tests and by scripts/helpers-check.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kbind.generate.shims import Shim
from kbind.ir import Function, FunctionType, Location
from kbind.predict.items import Predictor
from kbind.predict.options import BindgenOptions
from kbind.profile.ffi import get_profile
from kbind.profile.spelling import canonical
from kbind.profile.targets import get_target
from kbind.report import Item, Report
from kbind.verify.real_bindgen import HELPERS_C_FLAGS, run_bindgen_helpers
from kbind.verify.rust_reader import read_bindings

PREFIX = "rust_helper_"
# (params as (name, type)), return type or None
Signature = tuple[tuple[tuple[str, str], ...], str | None]

_DIAG = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|fatal error):"
                   r" (?P<msg>.*)$", re.M)


def item_signature(item: Item) -> Signature:
    """kbind's prediction for a function item, in the form bindgen output is read."""
    params = tuple((p.name, canonical(p.type)) for p in item.params)
    return params, canonical(item.ret.type) if item.ret else None


def shim_signature(predictor: Predictor, shim: Shim) -> Signature:
    """What bindgen should emit for `rust_helper_<name>`: the shim's own prototype."""
    fn = Function(f"kbind-shim:{shim.name}", shim.name, FunctionType(shim.ret, shim.params),
                  Location("<shim>", 0, 0))
    return item_signature(predictor.function(fn))


def types_of(sig: Signature) -> tuple[tuple[str, ...], str | None]:
    """The signature without parameter names (hand-written shims rename them)."""
    return tuple(t for _, t in sig[0]), sig[1]


def bindgen_shim_signatures(helpers_c: str | Path, clang_args: Sequence[str],
                            include_dir: str | Path) -> dict[str, Signature]:
    """bindgen's helpers pass over `helpers_c`: rust_helper_X's signature by X."""
    run = run_bindgen_helpers(helpers_c, clang_args, include_dir=include_dir,
                              postprocess=False)
    out: dict[str, Signature] = {}
    for it in read_bindings(run.text):
        if it.kind == "fn" and it.name.startswith(PREFIX):
            out[it.name[len(PREFIX):]] = (tuple(it.params), it.ret)
    return out


@dataclass(frozen=True)
class CompileError:
    file: str
    line: int
    message: str
    included_via: tuple[str, ...] = ()  # the include stack clang printed, outermost last


_INCLUDED = re.compile(r"^(?:In file included from|\s+from) (?P<file>[^:]+):\d+[:,]")


def compile_errors(c_file: str | Path, clang_args: Sequence[str], include_dir: str | Path,
                   mode: str = "-fsyntax-only", clang: str = "clang",
                   output: str | Path | None = None) -> list[CompileError]:
    """clang's errors for `c_file`; [] when it compiles."""
    argv = [clang, "-x", "c", mode, *clang_args, f"-I{include_dir}", *HELPERS_C_FLAGS,
            "-ferror-limit=0", "-fno-caret-diagnostics", str(c_file)]
    argv += ["-o", str(output)] if output is not None else []
    proc = subprocess.run(argv, capture_output=True, text=True)
    errors: list[CompileError] = []
    stack: list[str] = []
    fresh = False
    for line in proc.stderr.splitlines():
        inc = _INCLUDED.match(line)
        if inc:
            stack = [] if not fresh else stack
            stack.append(inc["file"])
            fresh = True
            continue
        fresh = False
        m = _DIAG.match(line)
        if m:
            errors.append(CompileError(m["file"], int(m["line"]), m["msg"], tuple(stack)))
    if proc.returncode != 0 and not errors:
        tail = proc.stderr.strip().splitlines()
        errors.append(CompileError(str(c_file), 0, tail[-1] if tail
                                   else f"clang exited {proc.returncode}"))
    return errors


_DEF = re.compile(r"\brust_helper_(\w+)\(")


def shim_lines(text: str) -> list[tuple[int, str]]:
    """(first line, name) of each shim in a generated file, in order."""
    out: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = _DEF.search(line)
        if m and not line.startswith((" ", "\t")):
            out.append((lineno, m.group(1)))
    return out


def predicted_shim_signatures(report: Report, shims: Sequence[Shim],
                              bindgen_args: Sequence[str] = ()) -> dict[str, Signature]:
    """kbind's prediction of bindgen's helpers-pass signature for each shim: the
    original inline function's item, or for a macro the inferred prototype."""
    profile = get_profile(report.profile, get_target(report.target))
    predictor = Predictor(report.tu, profile, BindgenOptions.from_argv(list(bindgen_args)))
    items = {i.name: i for i in report.items if i.kind == "function" and i.inline}
    return {s.name: item_signature(items[s.name]) if s.kind == "inline" and s.name in items
            else shim_signature(predictor, s) for s in shims}


def standalone_failures(files: Sequence[Path], clang_args: Sequence[str],
                        include_dir: str | Path, jobs: int = 2) -> dict[str, CompileError]:
    """Files that do not compile on their own (their #includes alone): {name: first error}."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda f: compile_errors(f, clang_args, include_dir), files))
    return {f.name: errs[0] for f, errs in zip(files, results, strict=True) if errs}
