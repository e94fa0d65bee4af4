"""Library entry points: what the CLI calls, and what users import."""

from __future__ import annotations

from collections.abc import Sequence

from kbind.checks.rules import run_rules
from kbind.clang.lower import Lowerer
from kbind.clang.parse import build_args, load
from kbind.inputs import check_header
from kbind.ir import TranslationUnit
from kbind.limits import deep_recursion
from kbind.paths import report_diagnostic, report_path
from kbind.predict.items import Predictor
from kbind.predict.options import BindgenOptions
from kbind.profile.ffi import get_profile
from kbind.profile.targets import get_target
from kbind.report import Report


def display_path(path: str, root: str | None) -> str:
    """Paths in reports are relative to the tree (or the working folder)."""
    return report_path(path, root)


def parse(header: str, clang_args: Sequence[str] = (), target: str | None = None,
          keep_going: bool = False, root: str | None = None) -> TranslationUnit:
    """Parse a header and everything it includes into kbind's IR."""
    tgt = get_target(target)
    check_header(header)
    args = build_args(header, list(clang_args), tgt.triple)
    index, tu, errors = load(header, args, keep_going)
    with deep_recursion(header):
        ir = Lowerer(tu, header, tgt.triple, root).run()
    ir.diagnostics = [report_diagnostic(line, root) for line in errors]
    del index
    return ir


def audit(header: str, clang_args: Sequence[str] = (), profile: str = "kernel",
          target: str | None = None, bindgen_args: Sequence[str] = (),
          keep_going: bool = False, root: str | None = None) -> Report:
    """Predict every item bindgen emits for `header`, and audit them.

    `bindgen_args` are extra bindgen options as in rust/bindgen_parameters
    (`--opaque-type`, `--blocklist-type`...).
    """
    tgt = get_target(target)
    prof = get_profile(profile, tgt)
    ir = parse(header, clang_args, tgt.triple, keep_going, root)
    options = BindgenOptions.from_argv(list(bindgen_args))
    with deep_recursion(header):
        items = Predictor(ir, prof, options).items()
        report = Report(header=display_path(header, root), profile=prof.name,
                        target=tgt.triple, items=items,
                        complete=not ir.diagnostics, diagnostics=ir.diagnostics)
        report.findings = run_rules(report, ir)
    return report
