"""bindgen's identifiers: keyword escaping and canonical names of C declarations."""

from __future__ import annotations

import functools

from kbind.ir import Enum, Record, TranslationUnit, Typedef

# Identifiers bindgen 0.60 escapes with a trailing `_` (ir/context.rs rust_mangle).
RUST_RESERVED = frozenset("""
abstract alignof as async await become box break const continue crate do dyn else
enum extern false final fn for if impl in let loop macro match mod move mut offsetof
override priv proc pub pure ref return Self self sizeof static struct super trait true
try type typeof unsafe unsized use virtual where while yield str bool f32 f64 usize
isize u128 i128 u64 i64 u32 i32 u16 i16 u8 i8 _
""".split())

# Typedef names bindgen replaces by a Rust primitive (codegen/helpers.rs
# type_from_named), never emitting the alias. size_t/ssize_t only map with
# --size_t-is-usize, which the kernel does not pass to bindgen 0.60.
NAMED_PRIMITIVES = {
    "int8_t": "i8", "uint8_t": "u8", "int16_t": "i16", "uint16_t": "u16",
    "int32_t": "i32", "uint32_t": "u32", "int64_t": "i64", "uint64_t": "u64",
    "uintptr_t": "usize", "intptr_t": "isize", "ptrdiff_t": "isize",
}
# With size_t-is-usize (kbind.predict.versions.Behaviour.size_t_is_usize).
SIZE_T_PRIMITIVES = {"size_t": "usize", "ssize_t": "isize"}


def named_primitives(size_t_is_usize: bool) -> dict[str, str]:
    """The typedef names bindgen writes as Rust primitives (type_from_named)."""
    return {**NAMED_PRIMITIVES, **SIZE_T_PRIMITIVES} if size_t_is_usize else NAMED_PRIMITIVES


@functools.cache
def rust_mangle(name: str) -> str:
    if name in RUST_RESERVED or any(c in name for c in "@?$"):
        return name.replace("@", "_").replace("?", "_").replace("$", "_") + "_"
    return name


class Namer:
    """Canonical (unmangled, then mangled) names of types, as bindgen builds them.

    Nested declarations are named by their path (`outer_inner`); anonymous
    types get `_bindgen_ty_N`, N counting anonymous types per parent in
    source order.
    """

    def __init__(self, tu: TranslationUnit) -> None:
        self.tu = tu
        self._anon_index: dict[str, int] = {}
        counters: dict[str | None, int] = {}
        for decl in tu.decls:
            if isinstance(decl, (Record, Enum)) and decl.name is None:
                counters[decl.parent_id] = counters.get(decl.parent_id, 0) + 1
                self._anon_index[decl.decl_id] = counters[decl.parent_id]
        self._cache: dict[str, str] = {}
        self._rust_names: dict[str, str] = {}

    def base_name(self, decl: Record | Enum | Typedef) -> str:
        if decl.name is not None:
            return decl.name
        return f"_bindgen_ty_{self._anon_index.get(decl.decl_id, 0)}"

    def path_name(self, decl_id: str) -> str:
        """The unmangled canonical name: parent path joined with `_`."""
        cached = self._cache.get(decl_id)
        if cached is not None:
            return cached
        decl = self.tu.by_id[decl_id]
        assert isinstance(decl, (Record, Enum, Typedef))
        name = self.base_name(decl)
        parent = getattr(decl, "parent_id", None)
        if parent is not None and parent in self.tu.by_id:
            name = f"{self.path_name(parent)}_{name}"
        self._cache[decl_id] = name
        return name

    def rust_name(self, decl_id: str) -> str:
        name = self._rust_names.get(decl_id)
        if name is None:
            name = self._rust_names[decl_id] = rust_mangle(self.path_name(decl_id))
        return name

