"""Library entry points: what the CLI calls, and what users import."""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence

from kbind.cache import ResultCache, request_key
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
          cache: bool | ResultCache = False) -> Report:
    """Predict every item bindgen emits for `header`, and audit them.

    `bindgen_args` are extra bindgen options as in rust/bindgen_parameters
    (`--opaque-type`, `--blocklist-type`...). With `cache` (True, or a
    ResultCache), an unchanged rerun is answered from `$XDG_CACHE_HOME/kbind`.
    """
    tgt = get_target(target)
    prof = get_profile(profile, tgt)
    store = (ResultCache() if cache is True else cache) or None
    key = audit_key(header, clang_args, prof.name, tgt.triple, bindgen_args, keep_going, root)
    if store is not None:
        hit = store.get(key, "report.pickle")
        if hit is not None:
            report: Report = pickle.loads(hit)
            return report
    options = BindgenOptions.from_argv(list(bindgen_args))
    ir, items = parse_and_predict(header, clang_args, prof, options, keep_going, root)
    report = Report(header=display_path(header, root), profile=prof.name,
                    target=tgt.triple, items=items,
                    complete=not ir.diagnostics, diagnostics=ir.diagnostics)
    report.findings = run_rules(report, ir)
    report.read_files = list(ir.read_files)
    if store is not None:
        store.put(key, report.read_files, {"report.pickle": pickle.dumps(report, protocol=5)})
    return report


def audit_key(header: str, clang_args: Sequence[str], profile: str, triple: str,
              bindgen_args: Sequence[str], keep_going: bool, root: str | None) -> str:
    """The cache key of an audit request (file contents are checked separately)."""
    return request_key({
        "header": os.path.abspath(header), "clang_args": list(clang_args),
        "profile": profile, "target": triple, "bindgen_args": list(bindgen_args),
        "keep_going": keep_going, "root": os.path.abspath(root or os.getcwd()),
    })
