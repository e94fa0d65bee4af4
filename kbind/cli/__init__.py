"""Command-line interface: argparse, output files and exit codes.

One module per command group (audit and flags, helpers, compare: diff, review
and portability, constants: const-helpers and layout); `common` holds what
they share. Nothing here imports the CLI back.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from kbind import errors
from kbind.cli import audit, compare, constants, helpers
from kbind.cli.common import EPILOG, render_report, version_text
from kbind.errors import KbindError, UsageError
from kbind.limits import paused_gc

__all__ = ["build_parser", "main", "render_report"]


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
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    audit.register(sub)
    helpers.register(sub)
    compare.register(sub)
    constants.register(sub, EPILOG)
    return parser


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
            status = int(args.func(args))
        sys.stdout.flush()  # here, so a reader that left is seen as one (exit 141)
        return status
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
