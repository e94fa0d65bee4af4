"""bindgen's record model, decided once: packedness, the `#[repr]` it writes,
and rustc's `repr(C)` layout of the fields it emits.

bindgen asks `CompInfo::is_packed` (ir/comp.rs) and its `StructLayoutTracker`
(codegen/struct_layout.rs) for these; kbind asks this module. The item
prediction stores the answer on the item (`Item.repr`), and every later
consumer (the `repr-conflict` reason, `rust-layout-mismatch`, E0588 checks,
the rustc property test) reads it instead of working it out again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kbind.ir import Record
from kbind.predict.layout import Layout, align_to
from kbind.report import Repr


def is_packed(rec: Record) -> bool:
    """`CompInfo::is_packed` once the bitfield units exist: the packed attribute,
    or a member aligned above the record (`#pragma pack`)."""
    if rec.packed:
        return True
    return any(f.align > rec.align for f in rec.fields if f.bit_width is None and f.align > 0)


def is_packed_for_units(rec: Record) -> bool:
    """`CompInfo::is_packed` while bindgen groups bitfields into units: it runs
    before the units exist, so every raw field counts with its *type's*
    alignment, bitfields and unnamed ones included. `_Bool a : 1; int : 0;` is
    such a record on x86_64 (alignment 1, an `int` field), so the zero-width
    bitfield does not round the unit up; on arm64 it aligns the record to 4."""
    return rec.packed or any(f.align > rec.align for f in rec.fields if f.align > 0)


def requires_explicit_align(max_field_align: int, align: int) -> bool:
    """`StructLayoutTracker::requires_explicit_align` with repr(align) available:
    a member aligned to 16 or more, or none reaching the record's alignment."""
    return max_field_align >= 16 or max_field_align < align


def record_repr(rec: Record, *, opaque: bool, zero_sized: bool,
                max_field_align: int) -> Repr:
    """The `#[repr(...)]` bindgen writes on a complete record (codegen/mod.rs,
    CompInfo's codegen). `max_field_align` is the tracker's after every field
    and the tail padding."""
    if opaque:
        return Repr(None, rec.align)
    packed = rec.align if is_packed(rec) else None
    if zero_sized and rec.kind == "struct":
        return Repr(packed, None)  # `{}`: no tail padding, no explicit alignment
    if not requires_explicit_align(max_field_align, rec.align):
        return Repr(packed, None)
    if rec.kind == "struct" and rec.align == 1:
        return Repr(1, None)  # bindgen makes it `packed` instead
    return Repr(packed, rec.align)


def rustc_repr(repr_: Repr | None) -> Repr | None:
    """The attributes rustc lays a record out by. A record with both `packed` and
    `align` does not compile (repr-conflict): it is taken as packed."""
    if repr_ is not None and repr_.conflicts:
        return Repr(repr_.packed, None)
    return repr_


@dataclass(frozen=True)
class RecordLayout:
    size: int
    align: int
    offsets: dict[str, int]  # Rust field name -> byte offset


class UnknownLayout(Exception):
    """A Rust type whose layout kbind cannot compute (an unspelled C type)."""


def lay_out(fields: Sequence[tuple[str, Layout]], is_union: bool, repr_: Repr | None
            ) -> RecordLayout:
    """rustc's layout of `#[repr(C)]` fields under bindgen's repr attributes:
    `packed(N)` caps each field's alignment, `align(N)` raises the record's."""
    packed = repr_.packed if repr_ is not None else None
    explicit = repr_.align if repr_ is not None else None
    offsets: dict[str, int] = {}
    size, align = 0, 1
    for name, lay in fields:
        field_align = min(lay.align, packed) if packed else lay.align
        align = max(align, field_align)
        if is_union:
            offsets[name] = 0
            size = max(size, lay.size)
        else:
            offset = align_to(size, field_align)
            offsets[name] = offset
            size = offset + lay.size
    if explicit:
        align = max(align, explicit)
    return RecordLayout(align_to(size, align), align, offsets)


