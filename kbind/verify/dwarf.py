"""Read record layouts from an object's DWARF, as `llvm-dwarfdump --debug-info` prints it.

llvm-dwarfdump comes with the same LLVM that compiled the object, so it always
understands what that compiler wrote, and its `--debug-info` text is the raw
DIE tree (every DW_AT_data_member_location, DW_AT_data_bit_offset or
DW_AT_bit_offset), which is what a comparison needs. pahole prints
reconstructed C for people to read and hides part of that tree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

from kbind.errors import InputError

_DIE = re.compile(r"^0x([0-9a-f]+):(\s+)(DW_TAG_\w+|NULL)")
_ATTR = re.compile(r"^\s+(DW_AT_\w+)\s+\((.*)\)\s*$")
_REF = re.compile(r"^0x([0-9a-f]+)\b")

RECORD_TAGS = ("DW_TAG_structure_type", "DW_TAG_union_type")


@dataclass
class Die:
    offset: int
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Die] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        value = self.attrs.get("DW_AT_name")
        return value.strip('"') if value is not None else None

    def number(self, attr: str) -> int | None:
        value = self.attrs.get(attr)
        if value is None:
            return None
        try:
            return int(value.split()[0], 0)
        except ValueError:
            return None

    def ref(self, attr: str = "DW_AT_type") -> int | None:
        value = self.attrs.get(attr)
        match = _REF.match(value) if value is not None else None
        return int(match.group(1), 16) if match else None


def dwarfdump() -> str:
    for name in ("llvm-dwarfdump", "llvm-dwarfdump-14"):
        path = shutil.which(name)
        if path:
            return path
    raise InputError("llvm-dwarfdump not found; install it (apt install llvm)")


def read_dies(obj: str) -> dict[int, Die]:
    """Every DIE of `obj`'s .debug_info, by offset, with children linked."""
    proc = subprocess.run([dwarfdump(), "--debug-info", obj], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise InputError(f"llvm-dwarfdump failed on {obj}: {proc.stderr.strip()}")
    return parse_dump(proc.stdout)


def parse_dump(text: str) -> dict[int, Die]:
    dies: dict[int, Die] = {}
    stack: list[tuple[int, Die]] = []  # (indent, die)
    current: Die | None = None
    for line in text.splitlines():
        match = _DIE.match(line)
        if match:
            indent = len(match.group(2))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if match.group(3) == "NULL":
                current = None
                continue
            die = Die(int(match.group(1), 16), match.group(3))
            dies[die.offset] = die
            if stack:
                stack[-1][1].children.append(die)
            stack.append((indent, die))
            current = die
            continue
        attr = _ATTR.match(line)
        if attr and current is not None:
            current.attrs[attr.group(1)] = attr.group(2)
    return dies


@dataclass(frozen=True)
class Member:
    name: str | None
    offset_bits: int  # from the start of the record
    bit_size: int | None  # set for bitfields
    type_ref: int | None


def members(die: Die, little_endian: bool = True) -> list[Member]:
    """Data members of a structure/union DIE, with absolute bit offsets."""
    out: list[Member] = []
    for child in die.children:
        if child.tag != "DW_TAG_member":
            continue
        bit_size = child.number("DW_AT_bit_size")
        data_bit = child.number("DW_AT_data_bit_offset")
        byte_loc = child.number("DW_AT_data_member_location") or 0
        if data_bit is not None:
            offset = data_bit
        elif bit_size is not None and child.number("DW_AT_bit_offset") is not None:
            # DWARF 2 style: DW_AT_bit_offset counts from the storage unit's
            # most significant bit.
            storage = (child.number("DW_AT_byte_size") or 0) * 8
            bit_offset = child.number("DW_AT_bit_offset") or 0
            offset = byte_loc * 8 + (storage - bit_offset - bit_size if little_endian
                                     else bit_offset)
        else:
            offset = byte_loc * 8
        out.append(Member(child.name, offset, bit_size, child.ref()))
    return out


def _type_chain(dies: dict[int, Die], ref: int | None) -> Iterator[Die]:
    """The DIEs a DW_AT_type chain passes through (bounded: DWARF can loop)."""
    for _ in range(64):
        die = dies.get(ref) if ref is not None else None
        if die is None:
            return
        yield die
        ref = die.ref()


def type_bits(dies: dict[int, Die], ref: int | None) -> int | None:
    """Width in bits of a member's type (clang omits DW_AT_bit_size for a
    bitfield as wide as its type)."""
    for die in _type_chain(dies, ref):
        size = die.number("DW_AT_byte_size")
        if size is not None:
            return size * 8
    return None


_SEE_THROUGH = ("DW_TAG_typedef", "DW_TAG_const_type", "DW_TAG_volatile_type",
                "DW_TAG_pointer_type", "DW_TAG_atomic_type")


def strip_to_record(dies: dict[int, Die], ref: int | None, through_arrays: bool = False
                    ) -> Die | None:
    """Follow typedefs, qualifiers and pointers (or arrays) to a record DIE."""
    for die in _type_chain(dies, ref):
        if die.tag in RECORD_TAGS:
            return die
        if die.tag not in _SEE_THROUGH and not (through_arrays and
                                                 die.tag == "DW_TAG_array_type"):
            return None
    return None


def array_count(dies: dict[int, Die], ref: int | None) -> int | None:
    """N of a `char (*)[N]` probe variable's type."""
    die = dies.get(ref) if ref is not None else None
    if die is not None and die.tag == "DW_TAG_pointer_type":
        die = dies.get(die.ref() or -1)
    if die is None or die.tag != "DW_TAG_array_type":
        return None
    for child in die.children:
        if child.tag == "DW_TAG_subrange_type":
            count = child.number("DW_AT_count")
            if count is not None:
                return count
            upper = child.number("DW_AT_upper_bound")
            return None if upper is None else upper + 1
    return None
