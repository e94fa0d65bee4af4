"""The one place kbind builds pycparser `c_ast` nodes.

pycparser's node constructors change between releases (3.x added a required
`underlying_type` to `Enum`; 2.21 added `align` to declarations), so every
node is built here by keyword, and the few version differences are decided
once from the installed constructor's own signature rather than from a
version string.
"""

from __future__ import annotations

import inspect

from pycparser import c_ast, c_generator

_ENUM_HAS_UNDERLYING = "underlying_type" in inspect.signature(c_ast.Enum.__init__).parameters
# Keyword arguments `c_ast.Enum` needs beyond name and values on this pycparser.
ENUM_EXTRA: dict[str, None] = {"underlying_type": None} if _ENUM_HAS_UNDERLYING else {}

Node = c_ast.Node


def identifier_type(words: list[str]) -> c_ast.IdentifierType:
    return c_ast.IdentifierType(names=list(words))


def tag_reference(kind: str, name: str) -> c_ast.Node:
    """`struct x`, `union x` or `enum x` used as a type (no member list)."""
    if kind == "struct":
        return c_ast.Struct(name=name, decls=None)
    if kind == "union":
        return c_ast.Union(name=name, decls=None)
    if kind == "enum":
        return c_ast.Enum(name=name, values=None, **ENUM_EXTRA)
    raise ValueError(f"not a tag kind: {kind}")


def type_decl(name: str | None, quals: list[str], base: c_ast.Node) -> c_ast.TypeDecl:
    return c_ast.TypeDecl(declname=name, quals=quals, align=None, type=base)


def pointer(quals: list[str], inner: c_ast.Node) -> c_ast.PtrDecl:
    return c_ast.PtrDecl(quals=quals, type=inner)


def array(inner: c_ast.Node, size: int | None) -> c_ast.ArrayDecl:
    dim = None if size is None else c_ast.Constant(type="int", value=str(size))
    return c_ast.ArrayDecl(type=inner, dim=dim, dim_quals=[])


def function_declarator(params: c_ast.ParamList, ret: c_ast.Node) -> c_ast.FuncDecl:
    return c_ast.FuncDecl(args=params, type=ret)


def param_list(params: list[c_ast.Node]) -> c_ast.ParamList:
    return c_ast.ParamList(params=params)


def void_params() -> c_ast.ParamList:
    """`(void)`: a prototype with no parameters."""
    void = type_decl(None, [], identifier_type(["void"]))
    return param_list([c_ast.Typename(name=None, quals=[], align=None, type=void)])


def ellipsis() -> c_ast.EllipsisParam:
    return c_ast.EllipsisParam()


def declaration(name: str | None, declarator: c_ast.Node, *, quals: list[str] | None = None,
                init: c_ast.Node | None = None) -> c_ast.Decl:
    return c_ast.Decl(name=name, quals=quals or [], align=[], storage=[], funcspec=[],
                      type=declarator, init=init, bitsize=None)


def identifier(name: str) -> c_ast.ID:
    return c_ast.ID(name=name)


def call(callee: str, args: list[str]) -> c_ast.FuncCall:
    arg_list = c_ast.ExprList(exprs=[identifier(a) for a in args]) if args else None
    return c_ast.FuncCall(name=identifier(callee), args=arg_list)


def returning(expr: c_ast.Node) -> c_ast.Return:
    return c_ast.Return(expr=expr)


def function_definition(decl: c_ast.Decl, statements: list[c_ast.Node]) -> c_ast.FuncDef:
    return c_ast.FuncDef(decl=decl, param_decls=None, body=c_ast.Compound(block_items=statements))


def to_c(node: c_ast.Node) -> str:
    return c_generator.CGenerator().visit(node)
