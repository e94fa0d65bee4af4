"""Library entry points: what the CLI calls, and what users import."""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence

from kbind.cache import ResultCache, request_key
from kbind.checks import hazards as hz
from kbind.checks.catalog import AUDIT_HAZARDS
from kbind.checks.rules import run_rules
from kbind.clang.lower import Lowerer
from kbind.clang.parse import build_args, load
from kbind.ir import TranslationUnit
from kbind.pipeline import parse_and_predict
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
          hazards: Sequence[str] | None = None, layouts: Sequence[str] = (),
          strict_layouts: bool = True, cache: bool | ResultCache = False) -> Report:
    """Predict every item bindgen emits for `header`, and audit them.

    `bindgen_args` are extra bindgen options as in rust/bindgen_parameters
    (`--opaque-type`, `--blocklist-type`...). `hazards` names the hazard rules
    to run (default: the audit-scope ones of kbind.checks.catalog); `layouts`
    names structs to lay out pahole-style. With `cache` (True, or a
    ResultCache), an unchanged rerun is answered from `$XDG_CACHE_HOME/kbind`.
    """
    tgt = get_target(target)
    prof = get_profile(profile, tgt)
    store = (ResultCache() if cache is True else cache) or None
    hazard_ids = list(AUDIT_HAZARDS if hazards is None else hazards)
    key = request_key({
        "call": "audit", "header": os.path.abspath(header), "clang_args": list(clang_args),
        "profile": prof.name, "target": tgt.triple, "bindgen_args": list(bindgen_args),
        "keep_going": keep_going, "root": os.path.abspath(root or os.getcwd()),
        "hazards": hazard_ids, "layouts": list(layouts), "strict_layouts": strict_layouts,
    })
    if store is not None:
        hit = store.get(key, "report.pickle")
        if hit is not None:
            report: Report = pickle.loads(hit)
            return report
    options = BindgenOptions.from_argv(list(bindgen_args))
    ir, predictor, items = parse_and_predict(header, clang_args, prof, options, keep_going,
                                             root)
    report = Report(header=display_path(header, root), profile=prof.name,
                    target=tgt.triple, items=items,
                    complete=not ir.diagnostics, diagnostics=ir.diagnostics)
    report.findings = run_rules(report, ir)
    report.findings += hz.find_hazards(report, ir, predictor, hazard_ids)
    if layouts:
        report.layouts, holey = hz.layouts(ir, predictor, layouts, strict_layouts)
        report.findings += holey
    report.read_files = list(ir.read_files)
    if store is not None:
        store.put(key, report.read_files, {"report.pickle": pickle.dumps(report, protocol=5)})
    return report
