"""bindgen's struct layout decisions: bitfield units, padding fields and blobs.

This mirrors bindgen 0.60's `bitfields_to_allocation_units` (ir/comp.rs) and
`StructLayoutTracker` (codegen/struct_layout.rs): bindgen does not trust Rust
to reproduce C's layout, so it groups bitfields into byte arrays and inserts
explicit padding where Rust's own alignment would not put a field where C
does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kbind.ir import Field
from kbind.profile import blob as profile_blob

MAX_GUARANTEED_ALIGN = 8


@dataclass(frozen=True)
class Layout:
    size: int
    align: int


@dataclass(frozen=True)
class BitfieldPlacement:
    field: Field
    offset: int  # bit offset within the unit


@dataclass(frozen=True)
class BitfieldUnit:
    nth: int
    layout: Layout
    bitfields: tuple[BitfieldPlacement, ...]


def align_to(value: int, align: int) -> int:
    if align <= 0:
        return value
    return (value + align - 1) // align * align


def _bytes_from_bits_pow2(bits: int) -> int:
    if bits == 0:
        return 0
    nbytes = (bits + 7) // 8
    return 1 << (nbytes - 1).bit_length()


def allocation_unit(run: list[Field], nth: int, packed: bool) -> BitfieldUnit:
    """One run of consecutive bitfields becomes one allocation unit."""
    unit_bits = 0
    unit_align_bits = 0
    placements: list[BitfieldPlacement] = []
    for f in run:
        width = f.bit_width or 0
        size, align = max(f.size, 0), max(f.align, 1)
        offset = unit_bits
        if not packed and offset != 0 and (
            width == 0 or (offset & (align * 8 - 1)) + width > size * 8
        ):
            offset = align_to(offset, align * 8)
        if f.name is not None:
            unit_align_bits = max(unit_align_bits, width)
        placements.append(BitfieldPlacement(f, offset))
        unit_bits = offset + width
    align = 1 if packed else _bytes_from_bits_pow2(unit_align_bits)
    layout = Layout(align_to(unit_bits, 8) // 8, align)
    return BitfieldUnit(nth, layout, tuple(placements))


def zero_sized(fields: Sequence[Field]) -> bool:
    """No Rust field at all (bindgen's is_zero_sized): no members, or only
    zero-width bitfields, which make no bitfield unit."""
    return all(f.bit_width == 0 for f in fields)


def bitfield_too_wide(unit: BitfieldUnit) -> bool:
    """bindgen makes a struct opaque when a bitfield is wider than its type."""
    return any((p.field.bit_width or 0) // 8 > max(p.field.size, 0) for p in unit.bitfields)


def field_layout(f: Field) -> Layout | None:
    """The layout bindgen's tracker sees for a member (None: unknown). An array
    of elements aligned above 8 is taken at alignment 8 (bindgen's "ultra hack")."""
    if f.size < 0 or f.align < 0:
        return None
    if f.array_len is not None and f.elem_align > MAX_GUARANTEED_ALIGN:
        return Layout(align_to(f.elem_size, f.elem_align) * f.array_len, MAX_GUARANTEED_ALIGN)
    return Layout(f.size, f.align)


def blob(layout: Layout) -> str:
    """bindgen's helpers::blob: an array of the integer matching the alignment."""
    return profile_blob.blob(layout.size, layout.align)


def for_size(size: int, pointer_size: int) -> Layout:
    align = 2
    while size % align == 0 and align <= pointer_size:
        align *= 2
    return Layout(size, align // 2)


def bitfield_align_type(align: int) -> str:
    if align >= 8:
        return "u64"
    return {4: "u32", 2: "u16"}.get(align, "u8")


class LayoutTracker:
    """Decides where bindgen inserts `__bindgen_padding_N` fields."""

    def __init__(self, is_packed: bool, is_union: bool, pointer_size: int,
                 known: Layout | None = None, since_0693: bool = False) -> None:
        # bindgen >= 0.69.3 (kbind.predict.versions.Behaviour.tracker_0693).
        self.since_0693 = since_0693
        self.is_packed = is_packed
        self.is_union = is_union
        self.pointer_size = pointer_size
        # The record's own C layout (bindgen's known_type_layout).
        self.known = known
        self.latest_offset = 0  # where the Rust fields so far end
        # bindgen's own count, which decides its tail padding. In a packed
        # record it rounds up to the record's alignment before each field
        # (padding it never writes), so it can run ahead of latest_offset.
        self.booked_offset = 0
        self.padding_count = 0
        self.latest_field_layout: Layout | None = None
        self.last_field_was_bitfield = False
        # The widest member or padding field seen: requires_explicit_align's
        # input. Bitfield units never count (bindgen adds `_bitfield_align_N`).
        self.max_field_align = 0

    def _padding_bytes(self, layout: Layout) -> int:
        return align_to(self.latest_offset, layout.align) - self.latest_offset

    def _align_to_latest_field(self, new: Layout) -> bool:
        if self.is_packed or self.latest_field_layout is None:
            return False
        latest = self.latest_field_layout
        align = max(1, latest.align)
        if self.last_field_was_bitfield and new.align <= latest.size % align \
                and new.size <= latest.size % align:
            return True
        self.latest_offset += self._padding_bytes(latest)
        return False

    def _padding_field(self, layout: Layout) -> tuple[str, str]:
        name = f"__bindgen_padding_{self.padding_count}"
        self.padding_count += 1
        self.max_field_align = max(self.max_field_align, layout.align)
        return name, blob(layout)

    def saw_bitfield_unit(self, layout: Layout) -> int:
        """Track a bitfield unit; return its byte offset in the Rust struct, which
        is where the fields before it end, not where C puts its first bitfield
        (a leading `int : 0` aligns the C offset, but is a no-op for bindgen)."""
        self._align_to_latest_field(layout)
        start = 0 if self.is_union else align_to(self.latest_offset, layout.align)
        self.latest_offset += layout.size
        if self.since_0693:
            self.max_field_align = max(self.max_field_align, layout.align)
        self._keep_booked(layout.size)
        self.latest_field_layout = layout
        self.last_field_was_bitfield = True
        return start

    def saw_field(self, f: Field) -> tuple[str, str] | None:
        layout = field_layout(f)
        if layout is None:
            return None
        merges = self._align_to_latest_field(layout)
        offset = None if f.anonymous_member else f.offset_bits
        if offset is not None and offset >= 0 and offset // 8 > self.latest_offset:
            padding = offset // 8 - self.latest_offset
        elif merges or layout.align == 0 or self.is_union:
            padding = 0
        elif not self.is_packed:
            padding = self._padding_bytes(layout)
        else:
            padding = 0
        booked_step = self._booked_padding(offset, merges or layout.align == 0
                                           or self.is_union, layout.align) + layout.size \
            if self.is_packed else 0
        self.latest_offset += padding
        result = None
        if not (self.is_packed or self.is_union):
            need = padding >= layout.align or layout.align > MAX_GUARANTEED_ALIGN
            if need and padding != 0:
                result = self._padding_field(
                    Layout(padding, min(layout.align, MAX_GUARANTEED_ALIGN)))
        self.latest_offset += layout.size
        self._keep_booked(booked_step)
        self.latest_field_layout = layout
        self.max_field_align = max(self.max_field_align, layout.align)
        self.last_field_was_bitfield = False
        return result

    def _keep_booked(self, packed_step: int) -> None:
        """Advance bindgen's count: by `packed_step` in a packed record; in any
        other it is where the Rust fields end."""
        if self.is_packed:
            self.booked_offset += packed_step
        else:
            self.booked_offset = self.latest_offset

    def _booked_padding(self, offset: int | None, no_padding: bool, field_align: int) -> int:
        """The padding bindgen counts (but does not write) before a field of a
        packed record: a gap to the field's C offset, else up to the record's
        own alignment (known_type_layout)."""
        booked = self.booked_offset
        if offset is not None and offset >= 0 and offset // 8 > booked:
            return offset // 8 - booked
        if no_padding or self.known is None:
            return 0
        align = min(field_align, self.known.align) if self.since_0693 else self.known.align
        return align_to(booked, align) - booked

    def pad_struct(self, layout: Layout) -> tuple[str, str] | None:
        if layout.size < self.booked_offset:
            return None
        padding = layout.size - self.booked_offset
        if padding == 0:
            return None
        latest = self.latest_field_layout
        if padding >= layout.align or (
            self.last_field_was_bitfield and latest is not None and padding >= latest.align
        ):
            if self.is_packed:
                pad = Layout(padding, 1)
            elif self.last_field_was_bitfield or layout.align > MAX_GUARANTEED_ALIGN:
                pad = for_size(padding, self.pointer_size)
            else:
                pad = Layout(padding, layout.align)
            return self._padding_field(pad)
        return None
