"""Struct layouts as pahole shows them: member offsets and sizes, holes, padding.

Computed from clang's layout in the IR (offsets in bits, sizes in bytes), so
it is the layout the C compiler uses, which `#[repr(C)]` reproduces.
"""

from __future__ import annotations

from collections.abc import Callable

from kbind.ir import Field, Record
from kbind.report import Hole, MemberLayout, StructLayout


def struct_layout(rec: Record, name: str, spell: Callable[[Field], str]) -> StructLayout:
    """pahole's view of `rec`; `spell(field)` gives each member's type text."""
    members: list[MemberLayout] = []
    holes: list[Hole] = []
    end = 0
    unit_end = 0  # end of the last bitfield's storage unit, where pahole splits holes
    last: str | None = None
    anon = 0
    for f in rec.fields:
        if f.bit_width == 0 or f.offset_bits < 0:
            continue  # `int :0` only aligns; it takes no room
        label = f.name
        if label is None:
            anon += 1
            label = f"(anonymous {_anon_kind(f)} {anon})"
        size = f.bit_width if f.bit_width is not None else max(f.size, 0) * 8
        start = f.offset_bits
        if rec.kind == "struct" and start > end:
            if end < unit_end < start:
                holes.append(Hole(last, end, unit_end - end))
                holes.append(Hole(last, unit_end, start - unit_end))
            else:
                holes.append(Hole(last, end, start - end))
        members.append(MemberLayout(label, spell(f), start, size, f.bit_width is not None))
        end = max(end, start + size)
        if f.bit_width is not None and f.size > 0:
            unit = f.size * 8
            unit_end = start - start % unit + unit
        last = label
    padding = max(rec.size * 8 - end, 0)
    return StructLayout(rec.kind, name, rec.location, rec.size, rec.align,
                        tuple(members), tuple(holes), padding)


def _anon_kind(f: Field) -> str:
    kind = getattr(f.type, "kind", None)
    return kind if kind in ("struct", "union") else "member"
