"""bindgen's byte blobs (`helpers::blob`): an integer array matching an alignment."""

from __future__ import annotations


def known_type_for_size(size: int) -> str | None:
    return {16: "u128", 8: "u64", 4: "u32", 2: "u16", 1: "u8"}.get(size)


def blob(size: int, align: int, ffi_safe: bool = False) -> str:
    """`[u64; N]` and friends; a single element is written bare (`u32`). With
    `ffi_safe` (an opaque *type*, from bindgen 0.71: kbind.predict.versions)
    the array is `__BindgenOpaqueArray<u64, Nusize>`."""
    ty = known_type_for_size(align)
    if ty is None:
        ty, length = "u8", size
    else:
        length = size // max(align, 1)
    if length == 1:
        return ty
    return f"__BindgenOpaqueArray<{ty}, {length}usize>" if ffi_safe else f"[{ty}; {length}usize]"
