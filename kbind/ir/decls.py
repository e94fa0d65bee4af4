"""C declarations as plain frozen data, in translation-unit order."""

from __future__ import annotations

from dataclasses import dataclass, field

from kbind.ir.ctypes import CType, Param


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Field:
    name: str | None  # None: unnamed bitfield
    type: CType
    offset_bits: int
    bit_width: int | None = None  # set for bitfields
    anonymous_member: bool = False  # an unnamed struct/union member
    size: int = -1  # bytes, of the field's type (clang)
    align: int = -1
    array_len: int | None = None  # outermost length when the type is an array
    elem_size: int = -1  # its element's layout
    elem_align: int = -1
    # Tags this field's declaration is the first to name (`const struct x *p;`
    # inside the struct declares x here); bindgen reads their qualifiers differently.
    introduces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    decl_id: str
    kind: str  # "struct" | "union"
    name: str | None  # None when anonymous (and not named by a typedef)
    parent_id: str | None  # enclosing record, for nested declarations
    location: Location
    complete: bool
    fields: tuple[Field, ...] = ()
    size: int = -1  # bytes
    align: int = -1  # bytes
    packed: bool = False
    explicit_align: int | None = None  # __attribute__((aligned(N))) on the record
    declared_in_record: bool = False  # first seen as `struct x *` inside another struct


@dataclass(frozen=True)
class EnumConst:
    name: str
    value: int


@dataclass(frozen=True)
class Enum:
    decl_id: str
    name: str | None
    parent_id: str | None
    location: Location
    int_type: CType
    constants: tuple[EnumConst, ...] = ()
    complete: bool = True
    # `enum x;` at file scope before the definition: bindgen keeps the first
    # declaration's (unknown) integer type.
    forward_declared: bool = False


@dataclass(frozen=True)
class Typedef:
    decl_id: str
    name: str
    underlying: CType
    location: Location


@dataclass(frozen=True)
class Function:
    decl_id: str
    name: str
    type: CType  # a FunctionType, or Unsupported
    location: Location
    inline: bool = False
    static: bool = False
    defined: bool = False
    # Where clang's spelling of the function type says `__attribute__((noreturn))`:
    # "top" (the function itself), "nested" (only inside, e.g. a parameter), or None.
    noreturn: str | None = None


@dataclass(frozen=True)
class Var:
    decl_id: str
    name: str
    type: CType
    location: Location
    const: bool = False
    extern: bool = False
    static: bool = False
    value: int | float | bytes | None = None  # clang's evaluation of the initializer
    has_init: bool = False
    # The initializer is an integer literal or unary operator written in place
    # (not through a macro): bindgen reads it from the tokens, not as an i64.
    literal_init: bool = False


@dataclass(frozen=True)
class Macro:
    name: str
    location: Location
    tokens: tuple[str, ...] = ()  # body tokens, name excluded
    function_like: bool = False  # as libclang (and bindgen) see it at the end of the unit
    params: tuple[str, ...] = ()
    builtin: bool = False
    # Written function-like, but #undef'd or redefined object-like later in
    # the unit, so libclang no longer calls it function-like.
    overridden: bool = False


Decl = Record | Enum | Typedef | Function | Var | Macro


@dataclass
class TranslationUnit:
    """Everything clang saw, with declarations in source order."""

    header: str
    target: str
    decls: list[Decl] = field(default_factory=list)
    by_id: dict[str, Decl] = field(default_factory=dict)
    diagnostics: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    read_files: list[str] = field(default_factory=list)  # absolute: what the cache hashes
    included_from: dict[str, str] = field(default_factory=dict)  # header -> first includer
    includes: dict[str, list[str]] = field(default_factory=dict)  # file -> what it includes

    def add(self, decl: Decl) -> None:
        self.decls.append(decl)
        if not isinstance(decl, Macro):
            self.by_id[decl.decl_id] = decl

    def resolve(self, decl_id: str) -> Decl | None:
        return self.by_id.get(decl_id)


__all__ = [
    "Decl", "Enum", "EnumConst", "Field", "Function", "Location", "Macro", "Param",
    "Record", "TranslationUnit", "Typedef", "Var",
]
