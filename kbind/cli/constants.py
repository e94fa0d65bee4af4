"""Subcommands about constants and layouts: `kbind const-helpers`, `kbind layout`.

Kept apart from cli.py so that it only needs one line to register them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from kbind import errors
from kbind.cli.common import add_bindgen_version_option, bindgen_parameters, clang_arguments
from kbind.errors import UsageError


@dataclass(frozen=True)
class Inputs:
    header: str
    clang_args: list[str]
    bindgen_args: list[str]
    root: str | None
    target: str | None
    tree: str | None
    bindgen_version: str  # the release predicted (--bindgen-version or detected)


def add_input_options(p: argparse.ArgumentParser) -> None:
    """The header options `kbind audit` takes, as options (NAMEs are positional)."""
    p.add_argument("--header", help="the header (default with --kernel-tree: "
                   "rust/bindings/bindings_helper.h)")
    p.add_argument("--kernel-tree", metavar="DIR", help="a configured, prepared kernel tree")
    p.add_argument("-I", dest="include", action="append", default=[], metavar="DIR")
    p.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=V]")
    p.add_argument("--target", default=None, help="target triple or arch")
    p.add_argument("--bindgen-parameters", metavar="FILE",
                   help="extra bindgen options in rust/bindgen_parameters format")
    p.add_argument("--keep-going", action="store_true",
                   help="go on when clang reports errors in the header")
    add_bindgen_version_option(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output")


def split_names(args: argparse.Namespace) -> None:
    """NAME... -- CLANG_ARGS: argparse leaves both in one list."""
    rest = list(args.names)
    cut = rest.index("--") if "--" in rest else len(rest)
    args.names, args.clang_args = rest[:cut], rest[cut + 1:] + list(
        getattr(args, "passthrough", []))
    bad = [n for n in args.names if n.startswith("-")]
    if bad:
        raise UsageError(f"kbind: {bad[0]}: options go before the names; clang "
                         "arguments after --")


def resolve_inputs(args: argparse.Namespace, command: str) -> Inputs:
    split_names(args)
    cli_clang, extra_bindgen = clang_arguments(args), bindgen_parameters(args)
    from kbind.request import resolve_bindgen

    version, _ = resolve_bindgen(args.bindgen_version, args.kernel_tree)
    if args.kernel_tree:
        from kbind.request import AuditRequest

        req = AuditRequest.for_kernel_tree(args.kernel_tree, args.header, clang_args=cli_clang,
                                           bindgen_args=extra_bindgen, target=args.target,
                                           find_helpers=False)
        return Inputs(req.header, list(req.clang_args), list(req.bindgen_args), req.root,
                      req.target, req.root, version)
    if args.header is None:
        raise UsageError(f"kbind {command}: give --header FILE, or --kernel-tree DIR")
    return Inputs(args.header, cli_clang, extra_bindgen, None, args.target, None, version)


def register(sub: argparse._SubParsersAction, epilog: str) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    ch = sub.add_parser("const-helpers", epilog=epilog, formatter_class=fmt,
                        help="write RUST_CONST_HELPER_ lines for macros bindgen cannot "
                             "evaluate")
    add_input_options(ch)
    ch.add_argument("--all-missing", action="store_true",
                    help="every macro that needs a helper and has none")
    ch.add_argument("names", nargs=argparse.REMAINDER, metavar="NAME... [-- CLANG_ARGS]",
                    help="macros to wrap (after the options), then clang arguments")
    ch.set_defaults(func=cmd_const_helpers)

    lay = sub.add_parser("layout", epilog=epilog, formatter_class=fmt,
                         help="prove struct and union layouts against the compiler's DWARF")
    add_input_options(lay)
    lay.add_argument("--verify", action="store_true", required=True,
                     help="compile a probe object with -g and compare its DWARF")
    lay.add_argument("--format", default="text", choices=["text", "json"])
    lay.add_argument("names", nargs=argparse.REMAINDER, metavar="TYPE... [-- CLANG_ARGS]",
                     help="only these structs/unions (Rust names; default all), then "
                          "clang arguments")
    lay.set_defaults(func=cmd_layout)


def cmd_const_helpers(args: argparse.Namespace) -> int:
    from kbind import api, outputs
    from kbind.generate.const_helpers import render

    inputs = resolve_inputs(args, "const-helpers")
    if bool(args.names) == bool(args.all_missing):
        raise UsageError("kbind const-helpers: give NAME... or --all-missing (not both)")
    out = outputs.check(args.output, args.force)
    helpers = api.const_helpers(inputs.header, inputs.clang_args, inputs.target,
                                inputs.bindgen_args, args.names, args.all_missing,
                                args.keep_going, inputs.root,
                                bindgen_version=inputs.bindgen_version)
    outputs.write(render(helpers), out)
    refused = [h for h in helpers if h.line is None]
    for h in refused:
        print(f"kbind: {h.name}: no const helper: {h.reason}", file=sys.stderr)
    return errors.EXIT_FINDINGS if refused and args.names else errors.EXIT_OK


def cmd_layout(args: argparse.Namespace) -> int:
    from kbind import outputs
    from kbind.verify import dwarf_layout

    inputs = resolve_inputs(args, "layout")
    out = outputs.check(args.output, args.force)
    result = dwarf_layout.verify(inputs.header, inputs.clang_args, inputs.target,
                                 inputs.bindgen_args, types=args.names, root=inputs.root,
                                 keep_going=args.keep_going,
                                 bindgen_version=inputs.bindgen_version)
    text = dwarf_layout.render_json(result) if args.format == "json" \
        else dwarf_layout.render_text(result)
    outputs.write(text, out)
    return errors.EXIT_FINDINGS if result.mismatches else errors.EXIT_OK
