"""C types as plain frozen data.

`const` on a type means the type itself is const-qualified; a pointer's
`*const` / `*mut` in Rust is decided by its pointee's `const`. `volatile` is
kept for the C shims kbind writes; bindgen ignores it, so equality does too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Builtin:
    name: str
    const: bool = False
    volatile: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Pointer:
    pointee: CType
    const: bool = False
    volatile: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Array:
    element: CType
    size: int | None  # None: incomplete (flexible) array
    const: bool = False
    volatile: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Param:
    name: str | None
    type: CType


@dataclass(frozen=True)
class FunctionType:
    ret: CType
    params: tuple[Param, ...] = ()
    variadic: bool = False
    has_prototype: bool = True
    const: bool = False
    volatile: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Ref:
    """A reference to a declared type (typedef, struct, union or enum) by id."""

    kind: str  # "typedef" | "struct" | "union" | "enum"
    decl_id: str
    const: bool = False
    volatile: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Unsupported:
    """A C type kbind has no Rust spelling for (vector, _Complex...)."""

    spelling: str
    reason: str
    const: bool = False
    size: int = field(default=-1, compare=False)
    align: int = field(default=-1, compare=False)
    volatile: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Opaque:
    """A type bindgen can only copy as bytes (e.g. a builtin record typedef)."""

    spelling: str
    size: int
    align: int
    const: bool = False
    volatile: bool = field(default=False, compare=False)


CType = Builtin | Pointer | Array | FunctionType | Ref | Unsupported | Opaque


def with_const(t: CType) -> CType:
    """The same type, const-qualified."""
    return t if t.const else replace(t, const=True)
