"""libclang functions that cindex does not wrap, registered once.

Import `cindex` from here, never `clang.cindex` directly, so the
registrations below always happen before use.
"""

from __future__ import annotations

import ctypes

from kbind.errors import LibclangMissing

try:
    from clang import cindex
except ImportError as exc:  # pragma: no cover - exercised via the CLI test
    raise LibclangMissing(str(exc)) from exc

_EXTRA_FUNCTIONS = [
    ("clang_Cursor_isFunctionInlined", [cindex.Cursor], ctypes.c_uint),
    ("clang_Cursor_isMacroFunctionLike", [cindex.Cursor], ctypes.c_uint),
    ("clang_Cursor_isMacroBuiltin", [cindex.Cursor], ctypes.c_uint),
    ("clang_Cursor_isAnonymousRecordDecl", [cindex.Cursor], ctypes.c_uint),
    ("clang_Cursor_Evaluate", [cindex.Cursor], ctypes.c_void_p),
    ("clang_EvalResult_getKind", [ctypes.c_void_p], ctypes.c_int),
    ("clang_EvalResult_isUnsignedInt", [ctypes.c_void_p], ctypes.c_uint),
    ("clang_EvalResult_getAsUnsigned", [ctypes.c_void_p], ctypes.c_ulonglong),
    ("clang_EvalResult_getAsLongLong", [ctypes.c_void_p], ctypes.c_longlong),
    ("clang_EvalResult_getAsDouble", [ctypes.c_void_p], ctypes.c_double),
    ("clang_EvalResult_getAsStr", [ctypes.c_void_p], ctypes.c_char_p),
    ("clang_EvalResult_dispose", [ctypes.c_void_p], None),
    ("clang_Type_getModifiedType", [cindex.Type], cindex.Type),
    ("clang_getTypedefDeclUnderlyingType", [cindex.Cursor], cindex.Type),
    ("clang_getCursorPrintingPolicy", [cindex.Cursor], ctypes.c_void_p),
    ("clang_PrintingPolicy_dispose", [ctypes.c_void_p], None),
    ("clang_getCursorPrettyPrinted", [cindex.Cursor, ctypes.c_void_p], cindex._CXString),
    ("clang_getCursorBinaryOperatorKind", [cindex.Cursor], ctypes.c_int),
    ("clang_getCursorUnaryOperatorKind", [cindex.Cursor], ctypes.c_int),
]
# CXBinaryOperatorKind / CXUnaryOperatorKind values (libclang >= 17).
BINARY_OPERATORS = {3: "*", 4: "/", 5: "%", 6: "+", 7: "-", 8: "<<", 9: ">>", 11: "<", 12: ">",
                    13: "<=", 14: ">=", 15: "==", 16: "!=", 17: "&", 18: "^", 19: "|",
                    20: "&&", 21: "||"}
UNARY_OPERATORS = {5: "&", 6: "*", 7: "+", 8: "-", 9: "~", 10: "!"}

_EVAL_INT, _EVAL_FLOAT, _EVAL_STR = 1, 2, 4


def _load() -> ctypes.CDLL:
    try:
        lib = cindex.conf.lib
    except Exception as exc:  # cindex raises LibclangError, a bare Exception
        raise LibclangMissing(str(exc)) from exc
    for name, argtypes, restype in _EXTRA_FUNCTIONS:
        func = getattr(lib, name)
        func.argtypes = argtypes
        func.restype = restype
    return lib


_lib = _load()


def is_inlined(cursor: cindex.Cursor) -> bool:
    return bool(_lib.clang_Cursor_isFunctionInlined(cursor))


def is_macro_function_like(cursor: cindex.Cursor) -> bool:
    return bool(_lib.clang_Cursor_isMacroFunctionLike(cursor))


def is_macro_builtin(cursor: cindex.Cursor) -> bool:
    return bool(_lib.clang_Cursor_isMacroBuiltin(cursor))


def is_anonymous_record(cursor: cindex.Cursor) -> bool:
    """True for an unnamed struct/union *member* (no field name)."""
    return bool(_lib.clang_Cursor_isAnonymousRecordDecl(cursor))


def arg_types(t: cindex.Type) -> list[cindex.Type]:
    """Parameter types of a function type, through sugar such as typeof()."""
    n = _lib.clang_getNumArgTypes(t)
    return [_lib.clang_getArgType(t, i) for i in range(max(n, 0))]


def is_variadic(t: cindex.Type) -> bool:
    return bool(_lib.clang_isFunctionTypeVariadic(t))


def modified_type(t: cindex.Type) -> cindex.Type:
    return _lib.clang_Type_getModifiedType(t)


def evaluate(cursor: cindex.Cursor) -> int | float | bytes | None:
    """clang's value of a variable's initializer, as bindgen reads it."""
    result = _lib.clang_Cursor_Evaluate(cursor)
    if not result:
        return None
    try:
        kind = _lib.clang_EvalResult_getKind(result)
        if kind == _EVAL_INT:
            if _lib.clang_EvalResult_isUnsignedInt(result):
                return int(_lib.clang_EvalResult_getAsUnsigned(result))
            return int(_lib.clang_EvalResult_getAsLongLong(result))
        if kind == _EVAL_FLOAT:
            return float(_lib.clang_EvalResult_getAsDouble(result))
        if kind == _EVAL_STR:
            return bytes(_lib.clang_EvalResult_getAsStr(result) or b"")
        return None
    finally:
        _lib.clang_EvalResult_dispose(result)


def binary_operator(cursor: cindex.Cursor) -> str | None:
    return BINARY_OPERATORS.get(_lib.clang_getCursorBinaryOperatorKind(cursor))


def unary_operator(cursor: cindex.Cursor) -> str | None:
    return UNARY_OPERATORS.get(_lib.clang_getCursorUnaryOperatorKind(cursor))


def pretty_printed(cursor: cindex.Cursor) -> str:
    """clang's own printing of a declaration, attributes included."""
    policy = _lib.clang_getCursorPrintingPolicy(cursor)
    try:
        return cindex._CXString.from_result(_lib.clang_getCursorPrettyPrinted(cursor, policy))
    finally:
        _lib.clang_PrintingPolicy_dispose(policy)
