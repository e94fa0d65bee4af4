"""Library entry points: what the CLI calls, and what users import."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from kbind import report_codec
from kbind.cache import ResultCache, request_key
from kbind.checks import const_helpers as const_helper_rules
from kbind.checks import hazards as hz
from kbind.checks.catalog import AUDIT_HAZARDS
from kbind.checks.rules import plan_helpers, run_rules
from kbind.clang.lower import Lowerer
from kbind.clang.parse import build_args, load
from kbind.generate.const_helpers import ConstHelper
from kbind.inputs import check_header
from kbind.ir import TranslationUnit
from kbind.ir.probe import ProbeResult
from kbind.limits import deep_recursion, paused_gc
from kbind.parallel import Forked, can_fork
from kbind.paths import report_diagnostic, report_path
from kbind.pipeline import parse_and_predict
from kbind.predict.options import BindgenOptions
from kbind.predict.versions import DEFAULT as DEFAULT_VERSION
from kbind.predict.versions import BindgenVersion, checked
from kbind.profile.ffi import get_profile
from kbind.profile.targets import get_target
from kbind.report import Finding, Report, Tools
from kbind.request import AuditRequest
from kbind.version import __version__

if TYPE_CHECKING:
    from kbind.checks.helpers import HelperStatus

# Below this many items a forked shim planner costs more than it saves.
PARALLEL_MIN_ITEMS = 5000
DEFAULT_BINDGEN = str(DEFAULT_VERSION)
REPORT_BLOB = "report.json"  # kbind.report_codec's data, never pickle
T = TypeVar("T")


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
          keep_going: bool = False, root: str | None = None,
          hazards: Sequence[str] | None = None, layouts: Sequence[str] = (),
          strict_layouts: bool = True, cache: bool | ResultCache = False, *,
          macro_types: bool = True, kernel_tree: str | None = None,
          helpers_dir: str | None = None, check_bodies: bool = False,
          bindgen_version: str = DEFAULT_BINDGEN) -> Report:
    """Predict every item bindgen emits for `header`, and audit them.

    `bindgen_args` are extra bindgen options as in rust/bindgen_parameters
    (`--opaque-type`, `--blocklist-type`...). `hazards` names the hazard rules
    to run (default: the audit-scope ones of kbind.checks.catalog); `layouts`
    names structs to lay out pahole-style. `macro_types` runs one extra clang
    parse to type the macros bindgen cannot evaluate and to check the header's
    const helpers. `kernel_tree` also checks the tree's Rust code for
    `bindings::` names bindgen does not emit. `helpers_dir` is a tree's
    rust/helpers: its shims are recognised (`already-wrapped`, `stale-helper`).
    `check_bodies` reparses with function bodies to find the inline functions
    no shim can wrap (`inline-not-wrappable`). With `cache` (True, or a
    ResultCache), an unchanged rerun is answered from `$XDG_CACHE_HOME/kbind`
    (such a report carries no translation unit: `helper_stub` needs a fresh one).
    `bindgen_version` is the bindgen release predicted (kbind.predict.versions.MODELLED;
    the CLI detects the one that would run). The same as `run(AuditRequest(...), cache)`.
    """
    return run(AuditRequest(header, tuple(clang_args), profile, target, tuple(bindgen_args),
                            keep_going, root, None if hazards is None else tuple(hazards),
                            tuple(layouts), strict_layouts, macro_types, kernel_tree,
                            helpers_dir, check_bodies, bindgen_version), cache)


def tools_of(request: AuditRequest) -> Tools:
    """The tool versions a report of `request` names."""
    from kbind.clang._compat import libclang_version

    return Tools(kbind=__version__, bindgen=request.bindgen_version,
                 bindgen_source=request.bindgen_source, libclang=libclang_version(),
                 kernel=request.kernel_release, kernel_config=request.kernel_config)


def run(request: AuditRequest, cache: bool | ResultCache = False) -> Report:
    """Audit `request` (see `audit` for what each input does)."""
    store = (ResultCache() if cache is True else cache) or None
    key = None if store is None else request_key({"call": "audit", **request.key_fields()})
    if store is not None and key is not None:
        hit = store.get(key, REPORT_BLOB)
        if hit is not None:
            try:
                cached = report_codec.loads(hit)
                cached.tools = tools_of(request)  # the source may differ; nothing else
                return cached
            except report_codec.InvalidEntry:
                pass  # not an entry this kbind wrote: a miss, recomputed and replaced
    report, _ = run_probed(request)
    if store is not None and key is not None:
        store.put(key, report.read_files, {REPORT_BLOB: report_codec.dumps(report)})
    return report


def audit_probed(header: str, clang_args: Sequence[str] = (), profile: str = "kernel",
                 target: str | None = None, bindgen_args: Sequence[str] = (),
                 keep_going: bool = False, root: str | None = None,
                 hazards: Sequence[str] | None = None, layouts: Sequence[str] = (),
                 strict_layouts: bool = True, *, macro_types: bool = True,
                 kernel_tree: str | None = None, helpers_dir: str | None = None,
                 check_bodies: bool = False) -> tuple[Report, ProbeResult | None]:
    """`audit` without the cache, also returning the macro probe (None when
    `macro_types` is off)."""
    return run_probed(AuditRequest(
        header, tuple(clang_args), profile, target, tuple(bindgen_args), keep_going, root,
        None if hazards is None else tuple(hazards), tuple(layouts), strict_layouts,
        macro_types, kernel_tree, helpers_dir, check_bodies))


def run_probed(request: AuditRequest) -> tuple[Report, ProbeResult | None]:
    """`run` without the cache, also returning the macro probe (None when
    `request.macro_types` is off)."""
    check_header(request.header)
    with deep_recursion(request.header), paused_gc():
        return _run_probed(request)


def _run_probed(request: AuditRequest) -> tuple[Report, ProbeResult | None]:
    header, clang_args, root = request.header, list(request.clang_args), request.root
    kernel_tree, helpers_dir = request.kernel_tree, request.helpers_dir
    tgt = get_target(request.target)
    prof = get_profile(request.profile, tgt)
    # A release kbind does not model is refused, never predicted as the nearest.
    options = BindgenOptions.from_argv(list(request.bindgen_args),
                                       checked(BindgenVersion.parse(request.bindgen_version)))
    helpers_job = None
    if helpers_dir is not None:
        # The shims' own parse (helpers.c with bodies) is as big as the audit's:
        # a forked child does it meanwhile where fork exists.
        job = functools.partial(_helper_statuses, helpers_dir,
                                [*clang_args, f"-I{os.path.dirname(os.path.abspath(header))}"],
                                tgt.triple, root)
        helpers_job = Forked(job) if can_fork() else _Done(job())
    rust_scan = None
    if kernel_tree is not None:
        from kbind.checks.rust_uses import scan_tree

        # Walking the tree and reading its Rust files is mostly system calls:
        # a forked child does it while libclang parses.
        scan = functools.partial(scan_tree, kernel_tree, tgt.triple)
        rust_scan = Forked(scan) if can_fork() else _Done(scan())
    ir, predictor, items, probed = parse_and_predict(header, clang_args, prof, options,
                                                     request.keep_going, root,
                                                     request.macro_types)
    ir.diagnostics = [report_diagnostic(line, root) for line in ir.diagnostics]
    report = Report(header=display_path(header, root), profile=prof.name,
                    target=tgt.triple, items=items,
                    complete=not ir.diagnostics, diagnostics=ir.diagnostics,
                    tools=tools_of(request))
    report.read_files = list(ir.read_files)
    # Planning the shims is a third of the rules' time: a forked child does it
    # while this process finds the rest.
    plans = Forked(functools.partial(plan_helpers, report, ir)) \
        if can_fork() and len(items) >= PARALLEL_MIN_ITEMS else None
    # Findings that read only the items, ahead of the ones that wait for the plans.
    hazards = request.hazards
    hazard_findings = hz.find_hazards(report, ir, predictor,
                                      list(AUDIT_HAZARDS if hazards is None else hazards))
    rust_findings: list[Finding] = []
    if kernel_tree is not None and rust_scan is not None:
        from kbind.checks.rust_uses import missing_bindings, scanned_paths

        sources, uses = rust_scan.result()
        rust_findings = missing_bindings(report, kernel_tree, uses)
        # The cache must notice an edited, added or removed Rust file too.
        report.read_files += scanned_paths(kernel_tree, sources)
    statuses = None
    if helpers_job is not None:
        statuses, helper_files = helpers_job.result()
        report.read_files += helper_files
    report.findings = run_rules(report, ir, statuses,
                                plans.result if plans is not None else None)
    report.tu = ir
    if probed is not None:
        report.findings = const_helper_rules.check(report, ir, probed)
    if request.check_bodies:
        from kbind.checks import wrappable
        from kbind.clang.bodies import BodyAnalyser

        analyser = BodyAnalyser(header, list(clang_args), tgt.triple, root)
        report.findings = wrappable.refine(report.findings, report, analyser)
    report.findings += hazard_findings
    if request.layouts:
        report.layouts, holey = hz.layouts(ir, predictor, list(request.layouts),
                                           request.strict_layouts)
        report.findings += holey
    report.findings += rust_findings
    return report, probed


def _helper_statuses(helpers_dir: str, clang_args: list[str], triple: str, root: str | None
                     ) -> tuple[list[HelperStatus], list[str]]:
    from kbind.checks.helpers import classify
    from kbind.clang.helpers_tu import read_helpers

    tree = read_helpers(helpers_dir, clang_args, triple, root)
    return classify(tree), tree.read_files


class _Done(Generic[T]):
    """A result computed already, shaped like Forked."""

    def __init__(self, value: T) -> None:
        self._value = value

    def result(self) -> T:
        return self._value


def const_helpers(header: str, clang_args: Sequence[str] = (), target: str | None = None,
                  bindgen_args: Sequence[str] = (), names: Sequence[str] = (),
                  all_missing: bool = False, keep_going: bool = False,
                  root: str | None = None, *,
                  bindgen_version: str = DEFAULT_BINDGEN) -> list[ConstHelper]:
    """`RUST_CONST_HELPER_` lines for `names`, or for every macro still missing one.

    A name that needs no helper, or cannot have one, comes back with `line`
    None and the reason. With a report already at hand, use
    `kbind.generate.const_helpers.select` instead.
    """
    from kbind.generate.const_helpers import select

    report, probed = run_probed(AuditRequest(header, tuple(clang_args), "kernel", target,
                                             tuple(bindgen_args), keep_going, root,
                                             bindgen_version=bindgen_version))
    assert probed is not None
    return select(report, probed, names, all_missing)


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
        raise ValueError("this report carries no translation unit (it came from the "
                         "cache); audit without the cache, or use kbind.parse")
    return shim_text(HelperIndex(tu), name)
