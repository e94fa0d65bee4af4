"""Library entry points: what the CLI calls, and what users import."""

from __future__ import annotations

import os
from collections.abc import Sequence

from kbind.checks.rules import run_rules
from kbind.clang.lower import Lowerer
from kbind.clang.parse import build_args, load
from kbind.ir import TranslationUnit
from kbind.predict.items import Predictor
from kbind.predict.options import BindgenOptions
from kbind.profile.ffi import get_profile
from kbind.profile.targets import get_target
from kbind.report import Report


def display_path(path: str, root: str | None) -> str:
    """Paths in reports are relative to the tree (or the working folder)."""
    base = os.path.abspath(root or os.getcwd())
    rel = os.path.relpath(os.path.abspath(path), base)
    return path if rel.startswith("..") else rel


def parse(header: str, clang_args: Sequence[str] = (), target: str | None = None,
          keep_going: bool = False, root: str | None = None) -> TranslationUnit:
    """Parse a header and everything it includes into kbind's IR."""
    tgt = get_target(target)
    args = build_args(header, list(clang_args), tgt.triple)
    index, tu, errors = load(header, args, keep_going)
    ir = Lowerer(tu, header, tgt.triple, root).run()
    ir.diagnostics = errors
    del index
    return ir


def audit(header: str, clang_args: Sequence[str] = (), profile: str = "kernel",
          target: str | None = None, bindgen_args: Sequence[str] = (),
          keep_going: bool = False, root: str | None = None,
          helpers_dir: str | None = None, check_bodies: bool = False) -> Report:
    """Predict every item bindgen emits for `header`, and audit them.

    `bindgen_args` are extra bindgen options as in rust/bindgen_parameters
    (`--opaque-type`, `--blocklist-type`...). `helpers_dir` is a tree's
    rust/helpers: its shims are recognised (`already-wrapped`, `stale-helper`).
    `check_bodies` reparses with function bodies to find the inline functions
    no shim can wrap (`inline-not-wrappable`).
    """
    tgt = get_target(target)
    prof = get_profile(profile, tgt)
    ir = parse(header, clang_args, tgt.triple, keep_going, root)
    options = BindgenOptions.from_argv(list(bindgen_args))
    items = Predictor(ir, prof, options).items()
    report = Report(header=display_path(header, root), profile=prof.name,
                    target=tgt.triple, items=items,
                    complete=not ir.diagnostics, diagnostics=ir.diagnostics)
    statuses = None
    if helpers_dir is not None:
        from kbind.checks.helpers import classify
        from kbind.clang.helpers_tu import read_helpers

        # The shims include the same headers; the header's folder is on the path.
        helper_args = [*clang_args, f"-I{os.path.dirname(os.path.abspath(header))}"]
        statuses = classify(read_helpers(helpers_dir, helper_args, tgt.triple, root))
    report.findings = run_rules(report, ir, statuses)
    report.tu = ir
    if check_bodies:
        from kbind.checks import wrappable
        from kbind.clang.bodies import BodyAnalyser

        analyser = BodyAnalyser(header, list(clang_args), tgt.triple, root)
        report.findings = wrappable.refine(report.findings, report, analyser)
    return report


def helper_stub(source: Report | TranslationUnit, name: str) -> str:
    """The kernel-style `rust_helper_<name>` shim for an inline function or
    function-like macro, or its `#error` stub when kbind cannot infer the types.

    `source` is a report from `audit` or a translation unit from `parse`.
    Raises KeyError for an unknown name, ValueError when no shim can exist
    (a variadic function).
    """
    from kbind.generate.files import shim_text
    from kbind.generate.shims import HelperIndex

    tu = source.tu if isinstance(source, Report) else source
    if tu is None:
        raise ValueError("this report carries no translation unit; use kbind.audit's")
    return shim_text(HelperIndex(tu), name)
