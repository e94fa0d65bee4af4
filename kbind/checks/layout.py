"""`rust-layout-mismatch`: the Rust struct bindgen emits is laid out differently
from the C record (bitfield runs bindgen aligns, typedef alignments it drops,
`packed(N)`). The kernel runs bindgen with `--no-layout-tests`, so nothing
else notices.

The C side is clang's (the record's size, alignment and member offsets, which
`kbind layout --verify` proves against the compiler's DWARF); the Rust side is
rustc's `#[repr(C)]` layout of the fields kbind predicts
(kbind.predict.rust_layout, checked against rustc in the tests).
"""

from __future__ import annotations

from kbind.ir import Record, TranslationUnit
from kbind.predict.rust_layout import RecordLayout, RustRecords, UnknownLayout
from kbind.profile.targets import get_target
from kbind.report import Finding, Item, Report

RULE = "rust-layout-mismatch"


def differences(item: Item, rec: Record, rust: RecordLayout) -> list[str]:
    """Each way the Rust layout departs from C's, in words."""
    out: list[str] = []
    if item.size is not None and rust.size != item.size:
        out.append(f"size {rust.size} (C: {item.size})")
    if item.align is not None and rust.align != item.align:
        out.append(f"alignment {rust.align} (C: {item.align})")
    if item.opaque:
        return out
    c_bits = {f.name: f.offset_bits for f in rec.fields if f.name}
    for f in item.fields:
        if (f.c_name or f.name.startswith("__bindgen_anon_")) and f.offset_bits is not None \
                and f.offset_bits >= 0 and rust.offsets[f.name] * 8 != f.offset_bits:
            out.append(f"`{f.c_name or f.name}` at bit {rust.offsets[f.name] * 8} "
                       f"(C: {f.offset_bits})")
        for bf in f.bitfields:
            position = rust.offsets[f.name] * 8 + bf.bit_offset
            if c_bits.get(bf.name, position) != position:
                out.append(f"bitfield `{bf.name}` at bit {position} (C: {c_bits[bf.name]})")
    return out


def layout_findings(report: Report, tu: TranslationUnit) -> list[Finding]:
    rust = RustRecords(tu, report.items, get_target(report.target))
    findings: list[Finding] = []
    for name, item in rust.by_name.items():
        rec = rust.records.get(name)
        if rec is None:
            continue
        try:
            diffs = differences(item, rec, rust.layout(name))
        except UnknownLayout:
            continue  # `opaque-member` reports the member kbind cannot spell
        if diffs:
            cause = rust.cause(name)
            shown = "; ".join(diffs[:4]) + (f"; and {len(diffs) - 4} more" if len(diffs) > 4
                                            else "")
            findings.append(Finding(
                RULE, "error",
                f"{item.kind} `{name}`: the Rust {item.kind} bindgen emits is laid out "
                f"differently from C: {shown}" + (f" (cause: {cause})" if cause else ""),
                rec.location, name))
    return findings
