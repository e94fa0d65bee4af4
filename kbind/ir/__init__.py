"""Plain, clang-free data model of the C declarations kbind reasons about."""

from kbind.ir.ctypes import (
    Array,
    Builtin,
    CType,
    FunctionType,
    Opaque,
    Pointer,
    Ref,
    Unsupported,
)
from kbind.ir.decls import (
    Decl,
    Enum,
    EnumConst,
    Field,
    Function,
    Location,
    Macro,
    Param,
    Record,
    TranslationUnit,
    Typedef,
    Var,
)

__all__ = [
    "Array", "Builtin", "CType", "Decl", "Enum", "EnumConst", "Field", "Function",
    "FunctionType", "Location", "Opaque", "Macro", "Param", "Pointer", "Record", "Ref",
    "TranslationUnit", "Typedef", "Unsupported", "Var",
]
