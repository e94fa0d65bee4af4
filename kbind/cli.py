"""Command-line interface: argparse, output files and exit codes. No logic here."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence

from kbind import errors
from kbind.errors import KbindError, OutputError, UsageError
from kbind.inputs import check_include_dirs

EPILOG = f"""\
exit codes:
  {errors.EXIT_OK}  success
  {errors.EXIT_FINDINGS}  findings at or above --fail-on were reported
  {errors.EXIT_USAGE}  usage error: bad flag, unknown profile or target
  {errors.EXIT_INPUT}  bad input: missing or unreadable header or tree, C that does not parse
  {errors.EXIT_ENVIRONMENT}  libclang is missing or unusable (pip install libclang)
  {errors.EXIT_OUTPUT}  cannot write the output file (missing folder, or exists without --force)
"""

SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}


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
    audit.add_argument("--target", default=None, help="target triple or arch "
                       "(x86_64, arm64, riscv64, arm); default x86_64-linux-gnu")
    audit.add_argument("--kernel-tree", metavar="DIR", help="a configured, prepared kernel "
                       "tree: take its flags and rust/bindgen_parameters")
    audit.add_argument("--bindgen-parameters", metavar="FILE",
                       help="extra bindgen options in rust/bindgen_parameters format")
    audit.add_argument("--format", default="text", choices=["text", "json"])
    audit.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    audit.add_argument("--force", action="store_true", help="overwrite an existing --output")
    audit.add_argument("--keep-going", action="store_true",
                       help="report what parses even when clang reports errors (marked "
                            "incomplete)")
    audit.add_argument("--findings-only", action="store_true",
                       help="text format: print findings, not every item")
    audit.add_argument("--fail-on", choices=["note", "warning", "error"], default=None,
                       help=f"exit {errors.EXIT_FINDINGS} when a finding of this severity "
                            "or worse is reported")
    audit.add_argument("clang_args", nargs="*", metavar="-- CLANG_ARGS",
                       help="extra arguments for clang, after --")
    audit.set_defaults(func=cmd_audit)

    flags = sub.add_parser("flags", help="print the clang flags derived from a kernel tree",
                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    flags.add_argument("--kernel-tree", metavar="DIR", required=True)
    flags.add_argument("header", nargs="?")
    flags.set_defaults(func=cmd_flags)
    return parser


def _version() -> str:
    from kbind import __version__

    return f"kbind {__version__}"


def cmd_audit(args: argparse.Namespace) -> int:
    from kbind import api

    clang_args = [f"-I{d}" for d in args.include] + [f"-D{d}" for d in args.define]
    bindgen_args: list[str] = []
    header = args.header
    root = None
    target = args.target
    if args.kernel_tree:
        from kbind.clang.kernel_flags import derive_flags

        kflags = derive_flags(args.kernel_tree, header)
        header = str(kflags.header)
        clang_args = list(kflags.clang_args) + clang_args
        bindgen_args = list(kflags.bindgen_parameters.argv)
        root = str(kflags.tree)
        target = target or kflags.target
    if header is None:
        raise UsageError("kbind audit: give a HEADER, or --kernel-tree DIR")
    if args.bindgen_parameters:
        from kbind.clang.kernel_flags import read_bindgen_parameters

        bindgen_args += read_bindgen_parameters(args.bindgen_parameters).argv
    check_include_dirs([f"-I{d}" for d in args.include] + list(args.clang_args))
    _check_output(args.output, args.force)
    report = api.audit(header, clang_args + list(args.clang_args), profile=args.profile,
                       target=target, bindgen_args=bindgen_args, keep_going=args.keep_going,
                       root=root)
    if args.format == "json":
        from kbind.render import json_report

        text = json_report.render(report)
    else:
        from kbind.render import text as text_render

        text = text_render.render(report, show_items=not args.findings_only)
    write_output(text, args.output, args.force)
    for line in report.diagnostics:
        print(line, file=sys.stderr)
    if args.fail_on is not None:
        worst = max((SEVERITY_RANK[f.severity] for f in report.findings), default=-1)
        if worst >= SEVERITY_RANK[args.fail_on]:
            return errors.EXIT_FINDINGS
    return errors.EXIT_OK


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


def _check_output(path: str | None, force: bool) -> None:
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: folder {folder} does not exist; create it first")
    if os.path.exists(path) and not force:
        raise OutputError(f"{path}: already exists; pass --force to overwrite it")


def write_output(text: str, path: str | None, force: bool) -> None:
    """Write atomically: a temporary file in the same folder, then rename."""
    if path is None:
        sys.stdout.write(text)
        return
    _check_output(path, force)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kbind-", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {folder} ({exc.strerror}); "
                          "choose a writable folder") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # Everything after `--` is clang's, wherever HEADER and options sit
        # (argparse alone loses `--` arguments that follow an option).
        tail: list[str] = []
        if "--" in argv:
            cut = argv.index("--")
            argv, tail = argv[:cut], argv[cut + 1:]
        args = build_parser().parse_args(argv)
        if tail:
            if not hasattr(args, "clang_args"):
                raise UsageError(f"kbind {args.command}: takes no clang arguments after --")
            args.clang_args = list(args.clang_args) + tail
        if args.command is None:
            build_parser().print_help()
            return errors.EXIT_USAGE
        return int(args.func(args))
    except KbindError as exc:
        print(f"kbind: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a file problem no check foresaw: still one line, no traceback
        print(f"kbind: error: {exc.filename}: {exc.strerror}; check this file and its "
              "permissions", file=sys.stderr)
        return errors.EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return errors.EXIT_OK
