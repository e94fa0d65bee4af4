"""libclang functions that cindex does not wrap, registered once.

Import `cindex` from here, never `clang.cindex` directly, so the
registrations below always happen before use.
"""

from __future__ import annotations

import ctypes
from typing import Any

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


class _CXString(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("private_flags", ctypes.c_uint)]


def _load_strings() -> ctypes.CDLL:
    """A second handle on libclang whose string functions skip cindex's wrappers.

    cindex builds a Python object per CXString and frees it in `__del__`;
    lowering the kernel asks for ~230,000 strings, so that overhead was a
    quarter of the audit. Separate handle: cindex's own registrations stay intact.
    """
    lib = ctypes.CDLL(_lib._name)
    for name, argtype in (("clang_getCursorSpelling", cindex.Cursor),
                          ("clang_getCursorUSR", cindex.Cursor),
                          ("clang_getTypeSpelling", cindex.Type)):
        func = getattr(lib, name)
        func.argtypes = [argtype]
        func.restype = _CXString
    lib.clang_getCursorLocation.argtypes = [cindex.Cursor]
    lib.clang_getCursorLocation.restype = cindex.SourceLocation
    uint_p = ctypes.POINTER(ctypes.c_uint)
    lib.clang_getInstantiationLocation.argtypes = [
        cindex.SourceLocation, ctypes.POINTER(ctypes.c_void_p), uint_p, uint_p, uint_p]
    lib.clang_getInstantiationLocation.restype = None
    lib.clang_getFileName.argtypes = [ctypes.c_void_p]
    lib.clang_getFileName.restype = _CXString
    lib.clang_getCString.argtypes = [_CXString]
    lib.clang_getCString.restype = ctypes.c_char_p
    lib.clang_disposeString.argtypes = [_CXString]
    lib.clang_disposeString.restype = None
    lib.clang_getClangVersion.argtypes = []
    lib.clang_getClangVersion.restype = _CXString
    return lib


_strings = _load_strings()


def _navigator(name: str, argtypes: list[Any], restype: Any) -> Any:
    func = getattr(_strings, name)
    func.argtypes = argtypes
    func.restype = restype
    return func


# Type and cursor navigation without cindex's result checks (an extra libclang
# call per cursor to compare with the null cursor, and attribute probing).
# Each result gets `_tu` by hand so cindex methods still work on it.
_cursor_type = _navigator("clang_getCursorType", [cindex.Cursor], cindex.Type)
_pointee = _navigator("clang_getPointeeType", [cindex.Type], cindex.Type)
_canonical = _navigator("clang_getCanonicalType", [cindex.Type], cindex.Type)
_named = _navigator("clang_Type_getNamedType", [cindex.Type], cindex.Type)
_element = _navigator("clang_getElementType", [cindex.Type], cindex.Type)
_result = _navigator("clang_getResultType", [cindex.Type], cindex.Type)
_arg_type = _navigator("clang_getArgType", [cindex.Type, ctypes.c_uint], cindex.Type)
_num_arg_types = _navigator("clang_getNumArgTypes", [cindex.Type], ctypes.c_int)
_type_declaration = _navigator("clang_getTypeDeclaration", [cindex.Type], cindex.Cursor)
_cursor_argument = _navigator("clang_Cursor_getArgument", [cindex.Cursor, ctypes.c_uint],
                              cindex.Cursor)
_cursor_num_arguments = _navigator("clang_Cursor_getNumArguments", [cindex.Cursor],
                                   ctypes.c_int)


_VISITOR = ctypes.CFUNCTYPE(ctypes.c_int, cindex.Cursor, cindex.Cursor, ctypes.py_object)
_visit_children = _navigator("clang_visitChildren",
                             [cindex.Cursor, _VISITOR, ctypes.py_object], ctypes.c_uint)
_CONTINUE = 1  # CXChildVisit_Continue


def children(cursor: cindex.Cursor) -> list[cindex.Cursor]:
    """A cursor's children; cindex's get_children also compares each child
    with the null cursor (two more libclang calls), which libclang never
    passes to a visitor."""
    out: list[cindex.Cursor] = []
    tu = cursor._tu

    def visit(child: cindex.Cursor, parent: cindex.Cursor, data: object) -> int:
        child._tu = tu
        out.append(child)
        return _CONTINUE

    _visit_children(cursor, _VISITOR(visit), None)
    return out


def cursor_type(cursor: cindex.Cursor) -> cindex.Type:
    t = _cursor_type(cursor)
    t._tu = cursor._tu
    return t


def _type_step(func: Any) -> Any:
    def step(t: cindex.Type) -> cindex.Type:
        out = func(t)
        out._tu = t._tu
        return out
    return step


pointee = _type_step(_pointee)
canonical = _type_step(_canonical)
named_type = _type_step(_named)
element_type = _type_step(_element)
result_type = _type_step(_result)


def type_declaration(t: cindex.Type) -> cindex.Cursor:
    cursor = _type_declaration(t)
    cursor._tu = t._tu
    return cursor


def arguments(cursor: cindex.Cursor) -> list[cindex.Cursor]:
    """A function declaration's parameters (none for a K&R or no declaration)."""
    out = []
    for i in range(max(_cursor_num_arguments(cursor), 0)):
        arg = _cursor_argument(cursor, i)
        arg._tu = cursor._tu
        out.append(arg)
    return out


def _take(s: _CXString) -> str:
    value = _strings.clang_getCString(s)
    _strings.clang_disposeString(s)
    return value.decode("utf-8", "replace") if value else ""


def libclang_version() -> str:
    """The loaded libclang's version number (`18.1.1`), else its whole version text."""
    import re

    text = _take(_strings.clang_getClangVersion())
    found = re.search(r"version (\d+\.\d+\.\d+)", text)
    return found[1] if found else text


def spelling(cursor: cindex.Cursor) -> str:
    return _take(_strings.clang_getCursorSpelling(cursor))


def type_spelling(t: cindex.Type) -> str:
    return _take(_strings.clang_getTypeSpelling(t))


def usr(cursor: cindex.Cursor) -> str:
    return _take(_strings.clang_getCursorUSR(cursor))


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
    """A function type's parameter types (none when it has no prototype)."""
    out = []
    for i in range(max(_num_arg_types(t), 0)):
        arg = _arg_type(t, i)
        arg._tu = t._tu
        out.append(arg)
    return out


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


def location(cursor: cindex.Cursor) -> tuple[int | None, int, int, int]:
    """(file handle or None, line, column, byte offset) in one call, no objects."""
    file, line, column, offset = ctypes.c_void_p(), ctypes.c_uint(), ctypes.c_uint(), \
        ctypes.c_uint()
    _strings.clang_getInstantiationLocation(
        _strings.clang_getCursorLocation(cursor), ctypes.byref(file), ctypes.byref(line),
        ctypes.byref(column), ctypes.byref(offset))
    return file.value, line.value, column.value, offset.value


def file_name(handle: int) -> str:
    return _take(_strings.clang_getFileName(handle))


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
