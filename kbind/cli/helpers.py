"""`kbind helpers`: its options; what to write is decided in kbind.helpers_command."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from kbind import errors, outputs
from kbind.cli.common import EPILOG, add_bindgen_version_option, clang_arguments
from kbind.errors import UsageError
from kbind.request import AuditRequest, resolve_bindgen


def register(sub: Any) -> None:
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
    add_bindgen_version_option(helpers)
    helpers.add_argument("-o", "--output", metavar="DIR",
                         help="write the files into DIR (default: print them)")
    helpers.add_argument("--force", action="store_true", help="overwrite existing files")
    helpers.set_defaults(func=cmd_helpers)


def cmd_helpers(args: argparse.Namespace) -> int:
    from kbind import api
    from kbind import helpers_command as command

    clang_args = clang_arguments(args)
    version, source = resolve_bindgen(args.bindgen_version, args.kernel_tree)
    bindgen = {"bindgen_version": version, "bindgen_source": source}
    if args.kernel_tree:
        base = AuditRequest.for_kernel_tree(args.kernel_tree, args.header,
                                            clang_args=clang_args, target=args.target,
                                            scan_rust=False, helpers_dir=args.helpers_dir,
                                            **bindgen)
    elif args.header is None:
        raise UsageError("kbind helpers: give --header HEADER, or --kernel-tree DIR")
    else:
        base = AuditRequest(args.header, tuple(clang_args), target=args.target,
                            helpers_dir=args.helpers_dir, **bindgen)
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
