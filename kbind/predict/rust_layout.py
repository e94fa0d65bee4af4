"""The memory layout Rust gives the records kbind predicts bindgen emits.

kbind's report lists each record's Rust fields (bitfield units, padding
fields, blobs, `__BindgenUnionField` markers) with their resolved types. This
lays them out the way rustc lays out `#[repr(C)]`, `#[repr(C, packed(N))]`
and `#[repr(align(N))]` types, so the result can be compared with C's:
clang's facts in the audit (kbind.checks.layout) and the compiler's DWARF in
`kbind layout --verify` (kbind.verify.dwarf_layout). A difference means the
Rust struct does not match C, which the kernel never notices because it runs
bindgen with `--no-layout-tests`.
"""

from __future__ import annotations

from collections.abc import Callable

from kbind.ir import Record, TranslationUnit
from kbind.predict import records
from kbind.predict.layout import Layout as RustLayout
from kbind.predict.naming import Namer
from kbind.predict.records import RecordLayout, UnknownLayout
from kbind.profile.targets import Target
from kbind.report import Item

_PRIMITIVES = {"u8": 1, "i8": 1, "bool": 1, "u16": 2, "i16": 2, "u32": 4, "i32": 4,
               "f32": 4, "u64": 8, "i64": 8, "f64": 8}


def _split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside brackets and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "<[(":
            depth += 1
        elif ch in ">])" and not (ch == ">" and text[i - 1:i] == "-"):  # `->` is no bracket
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


class RustLayouts:
    """Layouts of resolved Rust type spellings for one target."""

    def __init__(self, target: Target, record: Callable[[str], RustLayout]) -> None:
        self.pointer_size = target.pointer_bits // 8
        # rustc's data layouts: 32-bit x86 aligns 64-bit scalars to 4, and only
        # 32-bit arm keeps 128-bit integers at 8.
        self.align64 = 4 if target.triple.startswith("i386") else 8
        self.align128 = 8 if target.triple.startswith("arm-") else 16
        self.record = record  # layout of a named struct/union, by Rust name

    def of(self, spelling: str) -> RustLayout:
        t = spelling.strip()
        ptr = self.pointer_size
        if t.startswith("/*"):
            raise UnknownLayout(f"no Rust spelling for `{t}`")
        if t.startswith("*") or t.startswith(("::core::option::Option<", "Option<")):
            return RustLayout(ptr, ptr)
        if t in _PRIMITIVES:
            size = _PRIMITIVES[t]
            return RustLayout(size, min(size, self.align64))
        if t in ("usize", "isize"):
            return RustLayout(ptr, ptr)
        if t in ("u128", "i128"):
            return RustLayout(16, self.align128)
        if t.startswith("[") and t.endswith("]"):
            elem, count = _split_top(t[1:-1], ";")
            n = int(count.strip().removesuffix("usize"))
            inner = self.of(elem)
            return RustLayout(inner.size * n, inner.align)
        if "<" in t and t.endswith(">"):
            return self._generic(t[:t.index("<")].split("::")[-1], t[t.index("<") + 1:-1])
        return self.record(t)

    def _generic(self, name: str, arg: str) -> RustLayout:
        if name == "__BindgenBitfieldUnit":
            return RustLayout(self.of(arg).size, 1)
        if name == "__IncompleteArrayField":
            return RustLayout(0, self.of(arg).align)
        if name == "__BindgenUnionField":
            return RustLayout(0, 1)
        if name == "__BindgenOpaqueArray":  # (T, N): an array of N T
            elem, count = _split_top(arg, ",")
            inner = self.of(elem)
            return RustLayout(inner.size * int(count.strip().removesuffix("usize")), inner.align)
        if name == "__BindgenComplex":
            inner = self.of(arg)
            return RustLayout(2 * inner.size, inner.align)
        raise UnknownLayout(f"unknown generic `{name}<{arg}>`")


def lay_out(item: Item, layouts: RustLayouts) -> RecordLayout:
    """rustc's layout of the record bindgen emits: its Rust fields under the repr
    attributes bindgen writes (`item.repr`, from kbind.predict.records)."""
    is_union = item.kind == "union" and item.rust_union and not item.opaque
    return records.lay_out([(f.name, layouts.of(f.resolved)) for f in item.fields], is_union,
                           records.rustc_repr(item.repr))


class RustRecords:
    """The Rust layout of every record bindgen emits, and why it may differ from C."""

    def __init__(self, tu: TranslationUnit, items: list[Item], target: Target) -> None:
        namer = Namer(tu)
        self.by_name = {i.rust_name: i for i in items
                        if i.kind in ("struct", "union") and i.rust_name and i.emitted}
        self.records = {namer.rust_name(d.decl_id): d for d in tu.decls
                        if isinstance(d, Record) and d.complete}
        self.layouts = RustLayouts(target, self._record_layout)
        self._cache: dict[str, RecordLayout] = {}

    def _record_layout(self, rust_name: str) -> RustLayout:
        lay = self.layout(rust_name)
        return RustLayout(lay.size, lay.align)

    def layout(self, rust_name: str) -> RecordLayout:
        cached = self._cache.get(rust_name)
        if cached is not None:
            return cached
        item = self.by_name.get(rust_name)
        rec = self.records.get(rust_name)
        if item is None or rec is None:
            raise UnknownLayout(f"no emitted record `{rust_name}`")
        result = lay_out(item, self.layouts)
        self._cache[rust_name] = result
        return result

    def cause(self, rust_name: str) -> str | None:
        """A member whose Rust type is aligned differently from its C type, or
        another layout rule bindgen does not follow."""
        item, rec = self.by_name[rust_name], self.records[rust_name]
        if not rec.fields and rec.align > 1:
            return ("the record has no members under this config; bindgen writes `{}` "
                    "and drops its alignment")
        by_c_name = {f.c_name: f for f in item.fields if f.c_name}
        for f in rec.fields:
            rust_field = by_c_name.get(f.name) if f.name else None
            if rust_field is None or f.align <= 0:
                continue
            try:
                rust_align = self.layouts.of(rust_field.resolved).align
            except UnknownLayout:
                continue
            if rust_align != f.align:
                return (f"`{f.name}` is `{rust_field.type}`, aligned to {rust_align} in Rust "
                        f"but to {f.align} in C; bindgen drops alignment attributes on "
                        "typedefs and members")
        if any(f.bit_width is not None for f in rec.fields):
            return ("bindgen places each bitfield run in a unit aligned to its widest "
                    "bitfield, counting from the unit's start; C packs bitfields against "
                    "the storage of their declared type from the record's start")
        if rec.packed and rec.align > 1:
            return (f"bindgen writes #[repr(C, packed({rec.align}))], which aligns members "
                    f"to {rec.align}; C packs them to 1 and only aligns the whole record")
        return None
