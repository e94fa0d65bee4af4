"""Load a translation unit with libclang and turn clang's errors into ours."""

from __future__ import annotations

import os

from kbind.clang._compat import cindex
from kbind.errors import InputError, ParseError

_OPTIONS = (
    cindex.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
    | cindex.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES
)


def build_args(header: str, clang_args: list[str], triple: str) -> list[str]:
    """clang arguments: the target, C mode, the user's flags, the header's folder."""
    args = ["-x", "c"]
    if not any(a.startswith(("--target", "-target")) for a in clang_args):
        args.append(f"--target={triple}")
    args.extend(clang_args)
    # Skipping bodies makes clang call static functions in headers unused;
    # under the kernel's -Werror that would be an error bindgen never sees.
    args.append("-Wno-unused-function")
    args.append(f"-I{os.path.dirname(os.path.abspath(header))}")
    return args


def load(header: str, args: list[str], keep_going: bool = False
         ) -> tuple[cindex.Index, cindex.TranslationUnit, list[str]]:
    """Parse `header`; return (index, tu, error lines). Keep the index alive."""
    if not os.path.exists(header):
        raise InputError(f"{header}: no such file; check the path")
    if not os.path.isfile(header) or not os.access(header, os.R_OK):
        raise InputError(f"{header}: not a readable file; check its permissions")
    index = cindex.Index.create()
    try:
        tu = index.parse(header, args=args, options=_OPTIONS)
    except cindex.TranslationUnitLoadError as exc:
        raise InputError(f"{header}: clang could not load it ({exc}); "
                         "check the flags passed after --") from None
    errors = [_format(d) for d in tu.diagnostics if d.severity >= cindex.Diagnostic.Error]
    if errors and not keep_going:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ParseError(f"{first}{more}; fix the header or flags, or pass --keep-going",
                         errors)
    return index, tu, errors


def _format(diag: cindex.Diagnostic) -> str:
    loc = diag.location
    where = f"{loc.file.name}:{loc.line}:{loc.column}" if loc.file else "<command line>"
    return f"{where}: error: {diag.spelling}"
