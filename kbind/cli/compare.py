"""The reviewer's subcommands: `review`, `diff` and `portability` (argparse and glue).

cli.py registers them with `register(sub)`; the work is in kbind.review,
kbind.diff and kbind.portability.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from kbind import outputs
from kbind.cli import common as cli
from kbind.errors import KbindError, UsageError
from kbind.sources import Common
from kbind.version import __version__

DIFF_EPILOG = """\
OLD and NEW are each a saved report (`kbind audit --format json`), a header,
or a configured kernel tree. With one argument, --old-target/--new-target or
--old-profile/--new-profile give the two sides.

exit codes (abidiff's bits; add them up):
  0   no Rust-visible change
  1   error: kbind could not run (bad input, libclang, output file)
  2   usage error
  4   changes, all compatible with existing Rust callers
  12  changes, some breaking (4 + 8)
  70  internal error: a bug in kbind (KBIND_DEBUG=1 shows the traceback)
  141 stdout was closed by its reader (`kbind diff ... | head`)
"""


def _common_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-I", dest="include", action="append", default=[], metavar="DIR",
                   help="add an include directory")
    p.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=V]",
                   help="define a macro")
    p.add_argument("--bindgen-parameters", metavar="FILE",
                   help="extra bindgen options in rust/bindgen_parameters format")
    p.add_argument("--profile", default="kernel", help="kernel (ffi) or stock (core::ffi)")
    p.add_argument("--format", default="text", choices=cli.FORMATS)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output")
    cli.add_bindgen_version_option(p)
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="parse N translation units at once (default: the number of CPUs)")


def _common(args: argparse.Namespace, hazards: list[str] | None = None,
            layouts: list[str] | None = None) -> Common:
    return Common(tuple(cli.clang_arguments(args)), tuple(cli.bindgen_parameters(args)),
                  args.profile,
                  None if hazards is None else tuple(hazards), tuple(layouts or ()),
                  bindgen_version=args.bindgen_version)


def register(sub: Any) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    review = sub.add_parser(
        "review", help="what adding headers to bindings_helper.h would bring to Rust",
        description="Audit bindings_helper.h plus each HEADER, minus what bindings_helper.h "
                    "already brings: the new items with their Rust types, the helpers owed "
                    "and the hazards a reviewer must know.",
        epilog=cli.EPILOG, formatter_class=fmt)
    review.add_argument("headers", nargs="+", metavar="HEADER",
                        help="a header to add (a path, or <linux/x.h> style name inside the "
                             "tree's include/ folder)")
    review.add_argument("--kernel-tree", metavar="DIR",
                        help="a prepared kernel tree: the base is its bindings_helper.h")
    review.add_argument("--base", metavar="HEADER",
                        help="without a tree: the header whose items are already known")
    review.add_argument("--target", action="append", default=[],
                        help="target (repeat for several: differences across them become "
                             "target-dependent-layout findings)")
    _common_options(review)
    cli.add_hazard_options(review)
    review.add_argument("--no-cache", action="store_true",
                        help="audit the base afresh instead of reusing its cached report "
                             "($XDG_CACHE_HOME/kbind)")
    review.add_argument("--all-items", action="store_true",
                        help="text format: list every new item, not only the first 50 per "
                             "header")
    review.set_defaults(func=cmd_review)

    diff = sub.add_parser(
        "diff", help="Rust-visible changes between two reports, trees, targets or profiles",
        description="List items added, removed or changed for Rust callers, each compatible "
                    "or breaking.", epilog=DIFF_EPILOG, formatter_class=fmt)
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW", nargs="?")
    diff.add_argument("--target", default=None, help="target of both sides (headers)")
    diff.add_argument("--old-target", default=None)
    diff.add_argument("--new-target", default=None)
    diff.add_argument("--old-profile", default=None)
    diff.add_argument("--new-profile", default=None)
    cli.add_bindgen_version_option(diff, "--old-bindgen-version", " for OLD")
    cli.add_bindgen_version_option(diff, "--new-bindgen-version", " for NEW")
    _common_options(diff)
    diff.set_defaults(func=cmd_diff)

    port = sub.add_parser(
        "portability", help="items whose Rust type or layout differs across targets",
        description="Audit a header (or several kernel trees, one per architecture) for "
                    "each target and list the items that differ.",
        epilog=cli.EPILOG, formatter_class=fmt)
    port.add_argument("sources", nargs="*", metavar="HEADER|TREE",
                      help="one header (audited for each --target), or one kernel tree per "
                           "architecture")
    port.add_argument("--kernel-tree", action="append", default=[], metavar="DIR",
                      help="a prepared tree (repeat: one per architecture)")
    port.add_argument("--target", action="append", default=[],
                      help="a target to compare (repeat; default x86_64, arm64, riscv64, arm)")
    _common_options(port)
    port.set_defaults(func=cmd_portability)


def cmd_diff(args: argparse.Namespace) -> int:
    from kbind.diff import EXIT_ERROR

    try:
        return _diff(args)
    except UsageError:
        raise
    except KbindError as exc:
        # diff reports every failure as abidiff's error bit.
        err = KbindError(str(exc))
        err.exit_code = EXIT_ERROR
        raise err from None


def _diff(args: argparse.Namespace) -> int:
    from kbind.diff import diff_reports
    from kbind.render import diff as render_diff
    from kbind.runner import AuditJob, run_audits
    from kbind.sources import job_for, with_profile

    common = _common(args, hazards=[])
    out = outputs.check(args.output, args.force)
    two_sides = args.old_target or args.new_target or args.old_profile or args.new_profile \
        or args.old_bindgen_version or args.new_bindgen_version
    new_arg = args.new
    if new_arg is None:
        if not two_sides:
            raise UsageError("kbind diff: give OLD and NEW, or one input with "
                             "--old-target/--new-target, --old-profile/--new-profile or "
                             "--old-bindgen-version/--new-bindgen-version")
        new_arg = args.old
    old_t = args.old_target or args.target
    new_t = args.new_target or args.target
    old_common, new_common = (
        replace(common, bindgen_version=given, bindgen_flag=flag) if given else common
        for given, flag in ((args.old_bindgen_version, "--old-bindgen-version"),
                            (args.new_bindgen_version, "--new-bindgen-version")))
    sides = [job_for(args.old, old_common, old_t), job_for(new_arg, new_common, new_t)]
    sides = [with_profile(s, p) if isinstance(s, AuditJob) else s
             for s, p in zip(sides, (args.old_profile, args.new_profile), strict=True)]
    jobs = [s for s in sides if isinstance(s, AuditJob)]
    reports = iter(r.to_json() for r in run_audits(jobs, args.jobs)) if jobs else iter(())
    old, new = (next(reports) if isinstance(s, AuditJob) else s for s in sides)
    report = diff_reports(old, new, _label(args.old, old_t, args.old_profile,
                                           args.old_bindgen_version),
                          _label(new_arg, new_t, args.new_profile, args.new_bindgen_version))
    outputs.write(render_diff.render(report, args.format, __version__), out)
    return report.exit_code()


def _label(source: str, target: str | None, profile: str | None,
           bindgen: str | None = None) -> str:
    extra = " ".join(x for x in (target, profile, bindgen and f"bindgen {bindgen}") if x)
    return f"{source} [{extra}]" if extra else source


def cmd_review(args: argparse.Namespace) -> int:
    from kbind.render import review as render_review
    from kbind.review import review

    common = _common(args, hazards=cli.hazard_ids(args.hazards, default="all"),
                     layouts=args.layout)
    out = outputs.check(args.output, args.force)
    result = review(args.headers, common, kernel_tree=args.kernel_tree, base=args.base,
                    targets=args.target, jobs=args.jobs, cache=not args.no_cache)
    outputs.write(render_review.render(result, args.format, __version__, args.all_items), out)
    return 0


def cmd_portability(args: argparse.Namespace) -> int:
    from kbind.portability import portability
    from kbind.render import portability as render_port

    common = _common(args, hazards=[])
    out = outputs.check(args.output, args.force)
    result = portability(list(args.sources), args.kernel_tree, args.target, common, args.jobs)
    outputs.write(render_port.render(result, args.format, __version__), out)
    return 0
