"""kbind IR types as pycparser declarators, so generated C is correct by construction.

`declarator(t, name)` gives the c_ast tree for the declaration `t name`
(function pointers, arrays and qualifiers nest the way C's declarator
syntax needs; pycparser's generator adds the parentheses).
"""

from __future__ import annotations

from pycparser import c_ast

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

    def declarator(self, t: CType, name: str | None) -> c_ast.Node:
        # Parameters of nested function types keep the names clang gave them:
        # bindgen copies those names into the Rust `fn(...)` type.
        if isinstance(t, Pointer):
            return c_ast.PtrDecl(_quals(t), self.declarator(t.pointee, name))
        if isinstance(t, Array):
            dim = None if t.size is None else c_ast.Constant("int", str(t.size))
            return c_ast.ArrayDecl(self.declarator(t.element, name), dim, [])
        if isinstance(t, FunctionType):
            return c_ast.FuncDecl(self.param_list(t), self.declarator(t.ret, name))
        return c_ast.TypeDecl(name, _quals(t), None, self._base(t))

    def param_list(self, t: FunctionType) -> c_ast.ParamList:
        if not t.params and not t.variadic:
            void = c_ast.TypeDecl(None, [], None, c_ast.IdentifierType(["void"]))
            return c_ast.ParamList([c_ast.Typename(None, [], None, void)])
        params: list[c_ast.Node] = [self.param(p.name, p.type) for p in t.params]
        if t.variadic:
            params.append(c_ast.EllipsisParam())
        return c_ast.ParamList(params)

    def param(self, name: str | None, t: CType) -> c_ast.Decl:
        return c_ast.Decl(name, [], [], [], [], self.declarator(t, name), None, None)

    def function(self, name: str, ret: CType, params: tuple[Param, ...]) -> c_ast.Decl:
        ftype = FunctionType(ret, params)
        return c_ast.Decl(name, [], [], [], [], self.declarator(ftype, name), None, None)

    def _base(self, t: CType) -> c_ast.Node:
        if isinstance(t, Builtin):
            return c_ast.IdentifierType(C_BUILTINS[t.name].split())
        if isinstance(t, Ref):
            decl = self.tu.resolve(t.decl_id)
            if isinstance(decl, Typedef):
                return c_ast.IdentifierType([decl.name])
            if isinstance(decl, Record) and decl.name:
                node = c_ast.Struct if decl.kind == "struct" else c_ast.Union
                return node(decl.name, None)
            if isinstance(decl, Enum) and decl.name:
                return c_ast.Enum(decl.name, None)
            raise Unspellable(f"an anonymous {t.kind} type has no name to write in a shim")
        if isinstance(t, Opaque):
            return c_ast.IdentifierType([t.spelling])
        if isinstance(t, Unsupported):
            raise Unspellable(f"type `{t.spelling}` ({t.reason}) has no spelling kbind can write")
        raise Unspellable(f"unexpected type {t!r}")
