"""Ask clang what type and value object-like macros have, in one extra parse.

bindgen's cexpr cannot type a macro such as `((__force gfp_t)0x400u)`, but
clang can: a probe translation unit includes the header and declares, for
each macro asked about,

    static const __typeof__((NAME)) __kbind_probe_NAME = NAME;

The initializer keeps clang's typedef sugar (`gfp_t` stays `gfp_t`), the
variable's evaluation gives the value under the current config, and a clang
error on that line says why the macro is not an expression or not a
constant. The same parse reads the header's own `RUST_CONST_HELPER_` lines.
The probe is held in memory (an unsaved file): nothing is written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence

from kbind.clang import _compat
from kbind.clang._compat import cindex
from kbind.clang.parse import build_args
from kbind.errors import InputError
from kbind.ir import Location
from kbind.ir.probe import CONST_HELPER_PREFIX, CExprType, ConstHelperDecl, MacroExpr, ProbeResult

CK = cindex.CursorKind
TK = cindex.TypeKind
_CK_VAR_DECL = CK.VAR_DECL.value
_TK_INVALID = TK.INVALID.value
_EXPRESSION_KINDS = frozenset(k.value for k in CK.get_all_kinds() if k.is_expression())
PROBE_PREFIX = "__kbind_probe_"

_SIGNED = {TK.CHAR_S, TK.SCHAR, TK.SHORT, TK.INT, TK.LONG, TK.LONGLONG, TK.INT128}
_UNSIGNED = {TK.CHAR_U, TK.UCHAR, TK.USHORT, TK.UINT, TK.ULONG, TK.ULONGLONG, TK.UINT128}
_KINDS = {
    TK.BOOL: "bool", TK.FLOAT: "float", TK.DOUBLE: "float", TK.LONGDOUBLE: "float",
    TK.POINTER: "pointer", TK.VOID: "void", TK.FUNCTIONPROTO: "function",
    TK.FUNCTIONNOPROTO: "function", TK.CONSTANTARRAY: "array", TK.INCOMPLETEARRAY: "array",
}
# Spellings that cannot be written back into C as they are.
_UNWRITABLE = ("typeof", "(unnamed", "(anonymous", "<")


def expr_type(t: cindex.Type) -> CExprType:
    """kbind's view of a clang expression type, sugar kept in `spelling`."""
    canonical = t.get_canonical()
    kind_id = canonical.kind
    if kind_id == TK.ENUM:
        canonical_int = canonical.get_declaration().enum_type.get_canonical()
        signed = canonical_int.kind in _SIGNED
        kind = "int"
    elif kind_id in _SIGNED or kind_id in _UNSIGNED:
        signed, kind = kind_id in _SIGNED, "int"
    else:
        signed, kind = kind_id in (TK.FLOAT, TK.DOUBLE, TK.LONGDOUBLE), \
            _KINDS.get(kind_id, "other")
    spelling = _strip_const(t.spelling)
    canon = _strip_const(canonical.spelling)
    if any(bad in spelling for bad in _UNWRITABLE):
        spelling = canon
    return CExprType(spelling, canon, kind, canonical.get_size(), signed)


def _strip_const(spelling: str) -> str:
    return spelling[len("const "):] if spelling.startswith("const ") else spelling


def probe_source(header: str, names: Sequence[str]) -> str:
    """The probe translation unit: the header, then one line per macro."""
    lines = [f'#include "{os.path.abspath(header)}"']
    # The initializer is written as a const helper writes it (no parentheses), so
    # a body that only works parenthesized (`0x66,0x90`) fails here too.
    lines += [f"static const __typeof__(({n})) {PROBE_PREFIX}{n} = {n};" for n in names]
    return "\n".join(lines) + "\n"


_PAIRS = {")": "(", "]": "[", "}": "{"}


def screen(tokens: Sequence[str]) -> str | None:
    """Why a body cannot be probed without breaking the probes after it.

    Unbalanced brackets or a `;` outside braces would swallow the following
    probe lines, so such a body is never an expression and is not probed.
    """
    stack: list[str] = []
    for tok in tokens:
        # libclang spells a token that starts a continued line with the
        # backslash-newline in front (bindgen's cexpr then gives up on it).
        tok = tok.replace("\\\n", "").replace("\\\r\n", "")
        if tok in ("(", "[", "{"):
            stack.append(tok)
        elif tok in _PAIRS:
            if not stack or stack.pop() != _PAIRS[tok]:
                return f"unbalanced `{tok}`"
        elif tok == ";" and "{" not in stack:
            return "a `;` outside braces"
    return f"unclosed `{stack[-1]}`" if stack else None


def probe(header: str, clang_args: Sequence[str], triple: str, names: Iterable[str],
          root: str | None = None, bodies: Mapping[str, Sequence[str]] | None = None
          ) -> ProbeResult:
    """Type and evaluate each macro in `names`; read the header's const helpers.

    `bodies` (macro tokens, when known) screens out bodies that would break
    the probe lines after them.
    """
    start = time.perf_counter()
    result = ProbeResult()
    screened = {n: screen(bodies[n]) for n in names if bodies and n in bodies}
    for name, why in screened.items():
        if why is not None:
            result.macros[name] = MacroExpr(name, None, None, f"its body has {why}")
    names = sorted(set(names) - set(result.macros))
    if not os.path.isfile(header):
        raise InputError(f"{header}: no such file; check the path")
    path = os.path.join(os.path.dirname(os.path.abspath(header)), "__kbind_probe__.c")
    args = build_args(header, list(clang_args), triple) + ["-ferror-limit=0", "-w"]
    index = cindex.Index.create()
    try:
        tu = index.parse(path, args=args, unsaved_files=[(path, probe_source(header, names))],
                         options=cindex.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES)
    except cindex.TranslationUnitLoadError as exc:
        raise InputError(f"{header}: clang could not load the macro probe ({exc})") from None
    errors: dict[int, str] = {}
    for diag in tu.diagnostics:
        loc = diag.location
        if diag.severity >= cindex.Diagnostic.Error and loc.file is not None \
                and loc.file.name == path:
            errors.setdefault(loc.line, diag.spelling)
    line_of = {n: i + 2 for i, n in enumerate(names)}
    seen: dict[str, cindex.Cursor] = {}
    probe_file: int | None = None  # libclang's handle on the unsaved probe file
    for cursor in _compat.children(tu.cursor):
        if cursor._kind_id != _CK_VAR_DECL:
            continue
        spelling = _compat.spelling(cursor)
        if spelling.startswith(PROBE_PREFIX):
            handle = _compat.location(cursor)[0]
            if handle is not None and (handle == probe_file or (
                    probe_file is None and _compat.file_name(handle) == path)):
                probe_file = handle
                seen[spelling[len(PROBE_PREFIX):]] = cursor
        elif spelling.startswith(CONST_HELPER_PREFIX):
            result.helpers.append(_helper(cursor, root))
    types: dict[tuple[int, int], CExprType] = {}
    for name in names:
        result.macros[name] = _macro(name, seen.get(name), errors.get(line_of[name]), types)
    result.seconds = time.perf_counter() - start
    del index
    return result


def _init_expr(cursor: cindex.Cursor) -> cindex.Cursor | None:
    for child in _compat.children(cursor):
        if child._kind_id in _EXPRESSION_KINDS:
            return child
    return None


def _macro(name: str, cursor: cindex.Cursor | None, error: str | None,
           types: dict[tuple[int, int], CExprType]) -> MacroExpr:
    """One probed macro; `types` remembers expression types by clang's type
    identity (thousands of macros share a few dozen types)."""
    init = _init_expr(cursor) if cursor is not None else None
    init_type = _compat.cursor_type(init) if init is not None else None
    if init_type is None or init_type._kind_id == _TK_INVALID:
        return MacroExpr(name, None, None, error or "does not form a C expression")
    key = (init_type._kind_id, init_type.data[0])
    ctype = types.get(key)
    if ctype is None:
        ctype = types[key] = expr_type(init_type)
    value = _compat.evaluate(cursor) if error is None else None
    if isinstance(value, bytes):
        value = None
    return MacroExpr(name, ctype, value, error)


def _helper(cursor: cindex.Cursor, root: str | None) -> ConstHelperDecl:
    init = _init_expr(cursor)
    # The initializer's own extent lies inside the macro; the declaration's
    # tokens are the line as written.
    tokens = [t.spelling for t in cursor.get_tokens()]
    rhs = tuple(tokens[tokens.index("=") + 1:]) if "=" in tokens else ()
    if rhs and rhs[-1] == ";":
        rhs = rhs[:-1]
    value = _compat.evaluate(cursor) if init is not None else None
    loc = cursor.location
    file = loc.file.name if loc.file else "<builtin>"
    if os.path.isabs(file):
        rel = os.path.relpath(file, root or os.getcwd())
        file = file if rel.startswith("..") else rel
    return ConstHelperDecl(cursor.spelling[len(CONST_HELPER_PREFIX):],
                           Location(file, loc.line, loc.column), expr_type(cursor.type), rhs,
                           None if isinstance(value, bytes) else value)
