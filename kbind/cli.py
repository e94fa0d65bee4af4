"""Command-line interface: argparse, output files and exit codes. No logic here."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kbind import errors, outputs
from kbind.cache import ResultCache, request_key
from kbind.errors import KbindError, UsageError
from kbind.inputs import check_include_dirs
from kbind.limits import paused_gc
from kbind.request import AuditRequest

if TYPE_CHECKING:
    from kbind.report import Report

EPILOG = f"""\
exit codes:
  {errors.EXIT_OK}  success
  {errors.EXIT_FINDINGS}  findings at or above --fail-on were reported
  {errors.EXIT_USAGE}  usage error: bad flag, unknown profile or target
  {errors.EXIT_INPUT}  bad input: missing or unreadable header or tree, C that does not parse
  {errors.EXIT_ENVIRONMENT}  libclang is missing or unusable (pip install libclang)
  {errors.EXIT_OUTPUT}  cannot write the output file (missing folder, or exists without --force)
  {errors.EXIT_INTERNAL} internal error: a bug in kbind (KBIND_DEBUG=1 shows the traceback)
  {errors.EXIT_PIPE} stdout was closed by its reader (`kbind ... | head`)
`kbind diff` uses abidiff's bits instead: see `kbind diff --help`.
"""

SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}
FORMATS = ["text", "json", "markdown", "sarif"]


def add_hazard_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hazards", default=None, metavar="SET",
                        help="hazard rules to run: audit (the default of audit), all (the "
                             "default of review), none, or rule ids separated by commas")
    parser.add_argument("--layout", action="append", default=[], metavar="TYPE",
                        help="print the pahole-style layout (offsets, holes, padding) of "
                             "this struct or union; repeatable")


def hazard_ids(choice: str | None, default: str = "audit") -> list[str]:
    from kbind.checks.catalog import AUDIT_HAZARDS, BY_ID, CATALOG

    choice = choice or default
    if choice == "audit":
        return list(AUDIT_HAZARDS)
    if choice == "all":
        return [r.id for r in CATALOG]
    if choice == "none":
        return []
    ids = [c.strip() for c in choice.split(",") if c.strip()]
    unknown = [i for i in ids if i not in BY_ID]
    if unknown:
        raise UsageError(f"--hazards: unknown rule {', '.join(unknown)}; see the rule "
                         "table in README.md")
    return ids


def render_report(report: Report, fmt: str) -> str:
    """Markdown or SARIF of an audit report."""
    if fmt == "markdown":
        from kbind.render import markdown

        return markdown.render(report)
    from kbind.render import sarif

    return sarif.render(report.findings, _version().split()[-1],
                        properties={"header": report.header, "profile": report.profile,
                                    "target": report.target})


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kbind",
        description="Predict and audit the Rust bindings bindgen generates for the Linux "
                    "kernel's bindings_helper.h.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    audit = sub.add_parser(
        "audit", help="report what bindgen will emit for a header, and what needs a helper",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("header", nargs="?", help="the header (default with --kernel-tree: "
                       "rust/bindings/bindings_helper.h)")
    audit.add_argument("-I", dest="include", action="append", default=[], metavar="DIR",
                       help="add an include directory")
    audit.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=V]",
                       help="define a macro")
    audit.add_argument("--profile", default="kernel", help="kernel (ffi crate) or stock "
                       "(core::ffi); default kernel")
    audit.add_argument("--target", action="append", default=[], help="target triple or arch "
                       "(x86_64, arm64, riscv64, arm); default x86_64-linux-gnu. Repeat it "
                       "to add target-dependent-layout findings for items that differ on "
                       "the other targets")
    audit.add_argument("--kernel-tree", metavar="DIR", help="a configured, prepared kernel "
                       "tree: take its flags and rust/bindgen_parameters")
    audit.add_argument("--bindgen-parameters", metavar="FILE",
                       help="extra bindgen options in rust/bindgen_parameters format")
    audit.add_argument("--helpers-dir", metavar="DIR", help="a tree's rust/helpers: recognise "
                       "existing shims (default with --kernel-tree: its rust/helpers)")
    audit.add_argument("--check-bodies", action="store_true",
                       help="read inline function bodies: report those no shim can wrap "
                            "(inline-not-wrappable)")
    audit.add_argument("--format", default="text", choices=FORMATS)
    add_hazard_options(audit)
    audit.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    audit.add_argument("--force", action="store_true", help="overwrite an existing --output")
    audit.add_argument("--keep-going", action="store_true",
                       help="report what parses even when clang reports errors (marked "
                            "incomplete)")
    audit.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the result cache "
                            "($XDG_CACHE_HOME/kbind)")
    audit.add_argument("--no-macro-types", action="store_true",
                       help="skip the extra clang parse that types macros bindgen cannot "
                            "evaluate and checks RUST_CONST_HELPER_ lines (faster)")
    audit.add_argument("--findings-only", action="store_true",
                       help="text format: print findings, not every item")
    audit.add_argument("--fail-on", choices=["note", "warning", "error"], default=None,
                       help=f"exit {errors.EXIT_FINDINGS} when a finding of this severity "
                            "or worse is reported")
    audit.add_argument("clang_args", nargs="*", metavar="-- CLANG_ARGS",
                       help="extra arguments for clang, after --")
    audit.set_defaults(func=cmd_audit)

    helpers = sub.add_parser(
        "helpers", help="write rust/helpers shims for inline functions and function-like macros",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    helpers.add_argument("names", nargs="*", metavar="NAME",
                         help="inline functions or function-like macros to wrap")
    helpers.add_argument("--all-missing", action="store_true",
                         help="every inline function (and inferable macro) not yet wrapped")
    helpers.add_argument("--header", help="the header (default with --kernel-tree: "
                         "rust/bindings/bindings_helper.h)")
    helpers.add_argument("--kernel-tree", metavar="DIR", help="a configured, prepared tree")
    helpers.add_argument("--helpers-dir", metavar="DIR", help="existing shims (default with "
                         "--kernel-tree: its rust/helpers)")
    helpers.add_argument("--subsystem", metavar="NAME", help="put every shim in "
                         "rust/helpers/NAME.c (default: one file per header)")
    helpers.add_argument("-I", dest="include", action="append", default=[], metavar="DIR")
    helpers.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=V]")
    helpers.add_argument("--target", default=None, help="target triple or arch")
    helpers.add_argument("--clang-arg", dest="clang_args", action="append", default=[],
                         metavar="ARG", help="an extra clang argument (repeatable)")
    helpers.add_argument("-o", "--output", metavar="DIR",
                         help="write the files into DIR (default: print them)")
    helpers.add_argument("--force", action="store_true", help="overwrite existing files")
    helpers.set_defaults(func=cmd_helpers)

    flags = sub.add_parser("flags", help="print the clang flags derived from a kernel tree",
                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    flags.add_argument("--kernel-tree", metavar="DIR", required=True)
    flags.add_argument("header", nargs="?")
    flags.set_defaults(func=cmd_flags)

    from kbind import cli_extra, commands

    commands.register(sub)
    cli_extra.register(sub, EPILOG)
    return parser


def _version() -> str:
    from kbind import __version__

    return f"kbind {__version__}"


def audit_request(args: argparse.Namespace) -> AuditRequest:
    """The request `kbind audit` makes of its arguments (a kernel tree's flags first)."""
    cli_clang = [f"-I{d}" for d in args.include] + [f"-D{d}" for d in args.define] + \
        list(args.clang_args)
    extra_bindgen: list[str] = []
    if args.bindgen_parameters:
        from kbind.clang.kernel_flags import read_bindgen_parameters

        extra_bindgen = list(read_bindgen_parameters(args.bindgen_parameters).argv)
    target = args.target[0] if args.target else None
    options = dict(profile=args.profile, keep_going=args.keep_going,
                   hazards=tuple(hazard_ids(args.hazards)), layouts=tuple(args.layout or ()),
                   macro_types=not args.no_macro_types, helpers_dir=args.helpers_dir,
                   check_bodies=args.check_bodies)
    if args.kernel_tree:
        if len(args.target) > 1:
            raise UsageError("kbind audit: a kernel tree builds one architecture; use `kbind "
                             "portability --kernel-tree A --kernel-tree B` to compare trees")
        return AuditRequest.for_kernel_tree(args.kernel_tree, args.header, clang_args=cli_clang,
                                            bindgen_args=extra_bindgen, target=target,
                                            **options)
    if args.header is None:
        raise UsageError("kbind audit: give a HEADER, or --kernel-tree DIR")
    return AuditRequest(args.header, tuple(cli_clang), target=target,
                        bindgen_args=tuple(extra_bindgen), **options)


def cmd_audit(args: argparse.Namespace) -> int:
    request = audit_request(args)
    check_include_dirs([f"-I{d}" for d in args.include] + list(args.clang_args))
    out = outputs.check(args.output, args.force)
    key = None if args.no_cache else _audit_cache_key(args, request)
    store = None if key is None else ResultCache()
    blob = f"out-{args.format}{'-findings' if args.findings_only else ''}"
    if store is not None and key is not None:
        found = store.get_all(key, [blob, blob + ".meta"])
        if found is not None:
            facts = json.loads(found[1])
            return _finish_audit(args, out, found[0], facts["diagnostics"],
                                 facts["worst"])

    from kbind import api

    report = api.run(request)
    if len(args.target) > 1:
        from kbind.portability import add_target_findings

        add_target_findings(report, request.header, request.clang_args, args.profile,
                            args.target[1:], request.bindgen_args, keep_going=args.keep_going)
    if args.format == "json":
        from kbind.render import json_report

        text = json_report.render(report)
    elif args.format in ("markdown", "sarif"):
        text = render_report(report, args.format)
    else:
        from kbind.render import text as text_render

        text = text_render.render(report, show_items=not args.findings_only)
    worst = max((SEVERITY_RANK[f.severity] for f in report.findings), default=-1)
    if store is not None and key is not None:
        meta_text = json.dumps({"diagnostics": report.diagnostics, "worst": worst})
        store.put(key, report.read_files, {blob: text.encode(), blob + ".meta":
                                           meta_text.encode()})
    return _finish_audit(args, out, text, report.diagnostics, worst)


def _audit_cache_key(args: argparse.Namespace, request: AuditRequest) -> str | None:
    # The rendered text also depends on the format and the other targets.
    return request_key({"command": "audit", **request.key_fields(), "format": args.format,
                        "findings_only": args.findings_only, "targets": list(args.target)})


def _finish_audit(args: argparse.Namespace, out: outputs.Target, text: str | bytes,
                  diagnostics: list[str], worst: int) -> int:
    outputs.write(text, out)
    for line in diagnostics:
        print(line, file=sys.stderr)
    if args.fail_on is not None and worst >= SEVERITY_RANK[args.fail_on]:
        return errors.EXIT_FINDINGS
    return errors.EXIT_OK


def cmd_helpers(args: argparse.Namespace) -> int:
    from kbind import api
    from kbind import helpers_command as command

    clang_args = [f"-I{d}" for d in args.include] + [f"-D{d}" for d in args.define] + \
        list(args.clang_args)
    if args.kernel_tree:
        base = AuditRequest.for_kernel_tree(args.kernel_tree, args.header,
                                            clang_args=clang_args, target=args.target,
                                            scan_rust=False, helpers_dir=args.helpers_dir)
    elif args.header is None:
        raise UsageError("kbind helpers: give --header HEADER, or --kernel-tree DIR")
    else:
        base = AuditRequest(args.header, tuple(clang_args), target=args.target,
                            helpers_dir=args.helpers_dir)
    header, root, target = base.header, base.root, base.target
    clang_args, bindgen_args = list(base.clang_args), list(base.bindgen_args)
    helpers_dir = base.helpers_dir
    request = command.Request(header, clang_args, root, target, bindgen_args, helpers_dir,
                              list(args.names), args.all_missing, args.subsystem)
    command.validate(request)
    if args.output:
        command.plan_writes([], args.output, args.force)
    report, probe = api.run_probed(base)
    result = command.outputs(report, request, probe)
    for line in result.bad_names:
        print(f"kbind: error: {line}", file=sys.stderr)
    for line in result.skipped:
        print(f"kbind: {line}", file=sys.stderr)
    # A NAME asked for by hand that gets no shim (variadic...) is a finding; a
    # NAME that needs none is bad input. Either way the other NAMEs are written.
    refused = result.plans.refused or result.refused_constants
    status = errors.EXIT_FINDINGS if refused and not args.all_missing else errors.EXIT_OK
    if result.bad_names:
        status = errors.EXIT_INPUT
    if not result.outputs:
        return status
    helpers_c = [os.path.join(d, "helpers.c") for d in (args.output, helpers_dir) if d]
    if args.output:
        writes = command.plan_writes(result.outputs, args.output, args.force)
        for write in writes:
            if write.text is not None:
                outputs.write(write.text, write.target)
            for name in write.kept:
                print(f"kbind: {write.target.path}: already has rust_helper_{name}; kept as "
                      "it is", file=sys.stderr)
        instructions = [line for w in writes if w.text is not None
                        for line in w.output.instructions]
        stream = sys.stdout
    else:
        for out in result.outputs:
            if len(result.outputs) > 1:
                sys.stdout.write(f"/* ---- {out.path} ---- */\n")
            sys.stdout.write(out.text)
        instructions = [line for out in result.outputs for line in out.instructions]
        stream = sys.stderr
    includes = command.missing_includes(
        [line for line in instructions if line.startswith("#include")], helpers_c)
    others = [line for line in instructions if not line.startswith("#include")]
    if includes:
        prefix = "" if args.output else "kbind: "
        print(f"{prefix}add to rust/helpers/helpers.c:", file=stream)
    for line in includes + others:
        print(line, file=stream)
    return status


def cmd_flags(args: argparse.Namespace) -> int:
    import shlex

    from kbind.clang.kernel_flags import derive_flags

    kflags = derive_flags(args.kernel_tree, args.header)
    print(f"# header: {kflags.header}")
    print(f"# target: {kflags.target} (ARCH={kflags.arch}, "
          f"{'LLVM' if kflags.llvm else 'GCC'} build; flags from {kflags.source})")
    print(f"# bindgen parameters: {shlex.join(kflags.bindgen_parameters.argv)}")
    print(shlex.join(kflags.clang_args))
    return errors.EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # Everything after the first `--` goes to clang untouched; argparse
        # cannot place it when options sit between HEADER and `--`.
        passthrough: list[str] = []
        if "--" in argv:
            cut = argv.index("--")
            argv, passthrough = argv[:cut], argv[cut + 1:]
        args = build_parser().parse_args(argv)
        args.passthrough = passthrough
        if passthrough:
            if hasattr(args, "clang_args"):
                args.clang_args = list(args.clang_args) + passthrough
            elif not hasattr(args, "names"):  # NAME... commands split them themselves
                raise UsageError(f"kbind {args.command}: takes no clang arguments after --")
        if args.command is None:
            build_parser().print_help()
            return errors.EXIT_USAGE
        # A command runs once and exits: the collector would only walk the
        # report's few million objects again and again (kbind.limits).
        with paused_gc(freeze=True):
            return int(args.func(args))
    except KbindError as exc:
        print(f"kbind: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return _stdout_closed()
    except OSError as exc:  # a file problem no check foresaw: still one line, no traceback
        where = exc.filename if exc.filename is not None else "kbind"
        print(f"kbind: error: {where}: {exc.strerror or exc}; check this file and its "
              "permissions", file=sys.stderr)
        return errors.EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        return _internal_error(exc)


def _stdout_closed() -> int:
    """The reader went away (`kbind ... | head`): end quietly, as Unix tools do.
    stdout is pointed at /dev/null so the interpreter's final flush is silent too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return errors.EXIT_PIPE


def _internal_error(exc: BaseException) -> int:
    if os.environ.get("KBIND_DEBUG") == "1":
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        for text in getattr(exc, "kbind_child_traceback", ()):
            sys.stderr.write(text)
    detail = str(exc).splitlines()[0] if str(exc) else ""
    print(f"kbind: internal error: {type(exc).__name__}{': ' + detail if detail else ''}; "
          "rerun with KBIND_DEBUG=1 for the traceback", file=sys.stderr)
    return errors.EXIT_INTERNAL
