"""`kbind audit` and `kbind flags`: their options, and the exit code of a run."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kbind import errors, outputs
from kbind.cache import ResultCache, request_key
from kbind.cli.common import (
    EPILOG,
    FORMATS,
    SEVERITY_RANK,
    add_bindgen_version_option,
    add_hazard_options,
    bindgen_parameters,
    clang_arguments,
    hazard_ids,
    render_report,
)
from kbind.errors import UsageError
from kbind.inputs import check_include_dirs
from kbind.request import AuditRequest, resolve_bindgen


def register(sub: Any) -> None:
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
    add_bindgen_version_option(audit)
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


    flags = sub.add_parser("flags", help="print the clang flags derived from a kernel tree",
                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    flags.add_argument("--kernel-tree", metavar="DIR", required=True)
    flags.add_argument("header", nargs="?")
    flags.set_defaults(func=cmd_flags)


def audit_request(args: argparse.Namespace) -> AuditRequest:
    """The request `kbind audit` makes of its arguments (a kernel tree's flags first)."""
    cli_clang, extra_bindgen = clang_arguments(args), bindgen_parameters(args)
    target = args.target[0] if args.target else None
    version, source = resolve_bindgen(args.bindgen_version, args.kernel_tree)
    options = dict(bindgen_version=version, bindgen_source=source, profile=args.profile,
                   keep_going=args.keep_going,
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

        add_target_findings(report, request, args.target[1:])
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
                        "bindgen_source": request.bindgen_source,
                        "findings_only": args.findings_only, "targets": list(args.target)})


def _finish_audit(args: argparse.Namespace, out: outputs.Target, text: str | bytes,
                  diagnostics: list[str], worst: int) -> int:
    outputs.write(text, out)
    for line in diagnostics:
        print(line, file=sys.stderr)
    if args.fail_on is not None and worst >= SEVERITY_RANK[args.fail_on]:
        return errors.EXIT_FINDINGS
    return errors.EXIT_OK


def cmd_flags(args: argparse.Namespace) -> int:
    import shlex

    from kbind.kernel.flags import derive_flags

    kflags = derive_flags(args.kernel_tree, args.header)
    print(f"# header: {kflags.header}")
    print(f"# target: {kflags.target} (ARCH={kflags.arch}, "
          f"{'LLVM' if kflags.llvm else 'GCC'} build; flags from {kflags.source})")
    print(f"# bindgen parameters: {shlex.join(kflags.bindgen_parameters.argv)}")
    print(shlex.join(kflags.clang_args))
    return errors.EXIT_OK
