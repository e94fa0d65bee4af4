"""kbind IR types as pycparser declarators, so generated C is correct by construction.

`declarator(t, name)` gives the c_ast tree for the declaration `t name`
(function pointers, arrays and qualifiers nest the way C's declarator
syntax needs; pycparser's generator adds the parentheses).
"""

from __future__ import annotations

from kbind.generate import c_nodes
from kbind.ir import (
    Array,
    Builtin,
    CType,
    Enum,
    FunctionType,
    Opaque,
    Param,
    Pointer,
    Record,
    Ref,
    TranslationUnit,
    Typedef,
    Unsupported,
)

# kbind's target-independent builtin names, spelled in C.
C_BUILTINS = {
    "void": "void", "bool": "_Bool", "char": "char", "schar": "signed char",
    "uchar": "unsigned char", "short": "short", "ushort": "unsigned short",
    "int": "int", "uint": "unsigned int", "long": "long", "ulong": "unsigned long",
    "longlong": "long long", "ulonglong": "unsigned long long", "int128": "__int128",
    "uint128": "unsigned __int128", "float": "float", "double": "double",
    "longdouble": "long double", "float16": "_Float16", "float128": "__float128",
}


class Unspellable(Exception):
    """A type C source cannot name outside its declaration (anonymous, vector...)."""


def _quals(t: CType) -> list[str]:
    return (["const"] if t.const else []) + (["volatile"] if t.volatile else [])


class Declarators:
    """Builds c_ast declarators for IR types, naming declared types from `tu`."""

    def __init__(self, tu: TranslationUnit) -> None:
        self.tu = tu

    def declarator(self, t: CType, name: str | None) -> c_nodes.Node:
        # Parameters of nested function types keep the names clang gave them:
        # bindgen copies those names into the Rust `fn(...)` type.
        if isinstance(t, Pointer):
            return c_nodes.pointer(_quals(t), self.declarator(t.pointee, name))
        if isinstance(t, Array):
            return c_nodes.array(self.declarator(t.element, name), t.size)
        if isinstance(t, FunctionType):
            return c_nodes.function_declarator(self.param_list(t), self.declarator(t.ret, name))
        return c_nodes.type_decl(name, _quals(t), self._base(t))

    def param_list(self, t: FunctionType) -> c_nodes.Node:
        if not t.params and not t.variadic:
            return c_nodes.void_params()
        params: list[c_nodes.Node] = [self.param(p.name, p.type) for p in t.params]
        if t.variadic:
            params.append(c_nodes.ellipsis())
        return c_nodes.param_list(params)

    def param(self, name: str | None, t: CType) -> c_nodes.Node:
        return c_nodes.declaration(name, self.declarator(t, name))

    def function(self, name: str, ret: CType, params: tuple[Param, ...]) -> c_nodes.Node:
        ftype = FunctionType(ret, params)
        return c_nodes.declaration(name, self.declarator(ftype, name))

    def _base(self, t: CType) -> c_nodes.Node:
        if isinstance(t, Builtin):
            return c_nodes.identifier_type(C_BUILTINS[t.name].split())
        if isinstance(t, Ref):
            decl = self.tu.resolve(t.decl_id)
            if isinstance(decl, Typedef):
                return c_nodes.identifier_type([decl.name])
            if isinstance(decl, Record) and decl.name:
                return c_nodes.tag_reference(decl.kind, decl.name)
            if isinstance(decl, Enum) and decl.name:
                return c_nodes.tag_reference("enum", decl.name)
            raise Unspellable(f"an anonymous {t.kind} type has no name to write in a shim")
        if isinstance(t, Opaque):
            return c_nodes.identifier_type([t.spelling])
        if isinstance(t, Unsupported):
            raise Unspellable(f"type `{t.spelling}` ({t.reason}) has no spelling kbind can write")
        raise Unspellable(f"unexpected type {t!r}")
