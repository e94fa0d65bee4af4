"""Struct layouts as pahole shows them: member offsets and sizes, holes, padding.

Computed from clang's layout in the IR (offsets in bits, sizes in bytes), so
it is the layout the C compiler uses, which `#[repr(C)]` reproduces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kbind.ir import Field, Location, Record

CACHELINE = 64


@dataclass(frozen=True)
class MemberLayout:
    name: str  # C name; `(anonymous union)` style for unnamed members
    type: str  # Rust spelling bindgen uses
    offset_bits: int
    size_bits: int
    bitfield: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "offset_bits": self.offset_bits,
                "size_bits": self.size_bits, "bitfield": self.bitfield}


@dataclass(frozen=True)
class Hole:
    after: str | None  # the member before the hole (None: at the start)
    offset_bits: int
    size_bits: int

    @property
    def in_bits(self) -> bool:
        """pahole's 'bit hole': it starts or ends inside a byte (around bitfields)."""
        return self.offset_bits % 8 != 0 or self.size_bits % 8 != 0

    def to_json(self) -> dict[str, Any]:
        return {"after": self.after, "offset_bits": self.offset_bits,
                "size_bits": self.size_bits}


@dataclass(frozen=True)
class StructLayout:
    kind: str
    name: str
    location: Location
    size: int
    align: int
    members: tuple[MemberLayout, ...] = ()
    holes: tuple[Hole, ...] = ()
    padding_bits: int = 0  # at the end
    notes: tuple[str, ...] = field(default=())

    @property
    def hole_bytes(self) -> int:
        return sum(h.size_bits for h in self.holes) // 8

    @property
    def cachelines(self) -> int:
        return (self.size + CACHELINE - 1) // CACHELINE

    def holes_text(self) -> str:
        """Byte holes and pahole's bit holes (around bitfields) told apart."""
        byte_bits = sum(h.size_bits for h in self.holes if not h.in_bits)
        bit_bits = sum(h.size_bits for h in self.holes if h.in_bits)
        text = _amount(byte_bits)
        return text + (f" + {bit_bits} bits in bit holes" if bit_bits else "")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "size": self.size,
                "align": self.align, "cachelines": self.cachelines,
                "members": [m.to_json() for m in self.members],
                "holes": [h.to_json() for h in self.holes],
                "padding_bits": self.padding_bits,
                "location": {"file": self.location.file, "line": self.location.line,
                             "column": self.location.column}}

    def summary(self) -> str:
        holes = len(self.holes)
        parts = [f"size {self.size}, align {self.align}, {len(self.members)} members"]
        parts.append(f"{holes} hole{'s' if holes != 1 else ''} ({self.holes_text()})")
        parts.append(f"{_amount(self.padding_bits)} padding at the end")
        return ", ".join(parts)


def _amount(bits: int) -> str:
    if bits % 8 == 0:
        return f"{bits // 8} byte{'s' if bits != 8 else ''}"
    return f"{bits} bits"


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
