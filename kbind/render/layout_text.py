"""pahole-style text for the layouts asked for with `--layout`."""

from __future__ import annotations

from kbind.report import Hole, StructLayout


def _offset(bits: int, bitfield: bool) -> str:
    if bitfield:
        return f"{bits // 8:>5}:{bits % 8:>2}"
    return f"{bits // 8:>5}"


def _size(bits: int, bitfield: bool) -> str:
    return f"{bits}b" if bitfield or bits % 8 else f"{bits // 8}"


def _amount(bits: int) -> str:
    if bits % 8:
        return f"{bits} bits"
    return "1 byte" if bits == 8 else f"{bits // 8} bytes"


def render_layout(lay: StructLayout) -> list[str]:
    lines = [f"{lay.kind} {lay.name} {{"]
    holes: dict[str | None, list[Hole]] = {}
    for h in lay.holes:
        holes.setdefault(h.after, []).append(h)
    for h in holes.get(None, []):
        lines.append(f"\t/* XXX {_amount(h.size_bits)} hole */")
    for m in lay.members:
        decl = f"\t{m.name}: {m.type};"
        where = f"{_offset(m.offset_bits, m.bitfield)} {_size(m.size_bits, m.bitfield):>5}"
        lines.append(f"{decl:<48} /* {where} */")
        for h in holes.get(m.name, []):
            lines.append(f"\t/* XXX {_amount(h.size_bits)} hole */")
    lines.append(f"\t/* size: {lay.size}, align: {lay.align}, cachelines: {lay.cachelines}, "
                 f"members: {len(lay.members)} */")
    lines.append(f"\t/* holes: {len(lay.holes)}, sum holes: {lay.holes_text()}, "
                 f"padding: {_amount(lay.padding_bits)} */")
    lines.append("};")
    return lines


def render_layouts(layouts: list[StructLayout]) -> list[str]:
    out: list[str] = []
    for lay in layouts:
        out.extend(render_layout(lay))
    return out
