"""Opaque findings and the layout proof, against real bindgen, rustc and clang's DWARF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import CLANG_ARGS, HEADERS, ROOT, describe

import kbind
from kbind.cli import main
from kbind.predict.items import Predictor
from kbind.predict.options import BindgenOptions
from kbind.predict.rust_layout import RustRecords
from kbind.profile.ffi import get_profile
from kbind.profile.targets import get_target
from kbind.verify import dwarf, dwarf_layout
from kbind.verify.compare import compare, flatten_bindgen, flatten_report
from kbind.verify.real_bindgen import run_bindgen
from kbind.verify.rust_reader import read_bindings
from kbind.verify.rustc_layout import rustc_layouts

BAD_LAYOUTS = {"lb_bits_after_char", "lb_underaligned", "lb_packed_aligned",
               "lb_empty_aligned"}

LAYOUT = HEADERS / "layout"
OPAQUE_ARGS = ["--opaque-type", "op_.*"]
OPAQUE_RULES = {"opaque-type", "opaque-member", "packed-contains-aligned", "degraded-union"}


def _opaque_findings(name: str) -> set[tuple[str, str]]:
    report = kbind.audit(str(LAYOUT / name), CLANG_ARGS, bindgen_args=OPAQUE_ARGS,
                         root=str(ROOT), macro_types=False)
    return {(f.rule, f.item or "") for f in report.findings if f.rule in OPAQUE_RULES}


def test_opaque_rules_fire_with_reasons() -> None:
    assert _opaque_findings("opaque_bad.h") == {
        ("opaque-type", "op_listed"),
        ("opaque-type", "op_big"),
        ("opaque-member", "u_holds_big"),
        ("opaque-member", "u_holds_small"),
        ("degraded-union", "u_holds_big"),
        ("packed-contains-aligned", "packed_outer"),
        ("packed-contains-aligned", "packed_deep"),
        ("opaque-member", "holds_listed"),
        ("opaque-member", "arr_listed"),
        ("opaque-member", "atomic_member"),
        ("opaque-member", "fp16_member"),
        ("degraded-union", "u_flex"),
    }
    assert _opaque_findings("opaque_ok.h") == set()


def test_opaque_rules_match_real_bindgen() -> None:
    text = run_bindgen(LAYOUT / "opaque_bad.h", CLANG_ARGS, parameters_argv=OPAQUE_ARGS,
                       rustfmt=True).text
    blobs = set(re.findall(r"pub (?:struct|union) (\w+) \{\s*pub _bindgen_opaque_blob", text))
    assert blobs == {"op_listed", "op_big"}  # containers of an opaque type stay structs
    assert re.search(r"#\[repr\(C, packed\)\]\s*(#\[derive[^\]]*\]\s*)?pub struct packed_outer",
                     text)
    assert re.search(r"#\[repr\(align\(16\)\)\]\s*(#\[derive[^\]]*\]\s*)?pub struct al16", text)
    assert re.search(r"pub struct atomic_member \{\s*pub a: u32,", text)
    assert re.search(r"pub struct fp16_member \{\s*pub h: u16,", text)
    assert re.search(r"pub struct u_flex \{\s*pub a: __BindgenUnionField", text)
    assert re.search(r"pub struct u_holds_big \{\s*pub a: __BindgenUnionField", text)
    assert re.search(r"pub union u_holds_small \{", text)
    # And kbind predicts every item of it, item by item.
    report = kbind.audit(str(LAYOUT / "opaque_bad.h"), CLANG_ARGS, bindgen_args=OPAQUE_ARGS,
                         macro_types=False)
    result = compare(flatten_report(report), flatten_bindgen(read_bindings(text)))
    assert not (result.differing or result.missing or result.extra), describe(result)


def _verify(name: str, args: list[str] | None = None,
            target: str = "x86_64-linux-gnu") -> dwarf_layout.LayoutResult:
    return dwarf_layout.verify(str(LAYOUT / name), CLANG_ARGS, target, args or [],
                               root=str(ROOT))


@pytest.mark.parametrize("target", ["aarch64-linux-gnu", "riscv64-linux-gnu",
                                    "arm-linux-gnueabi", "i386-linux-gnu"])
def test_layouts_on_other_targets(target: str) -> None:
    assert _verify("layout_ok.h", target=target).mismatches == []
    bad = {f.item for f in _verify("layout_bad.h", target=target).mismatches}
    # 32-bit x86 aligns 64-bit integers to 4 in C and in Rust: no mismatch there.
    assert bad == (BAD_LAYOUTS - {"lb_underaligned"} if target.startswith("i386")
                   else BAD_LAYOUTS)


def test_layouts_that_match_the_compiler() -> None:
    for name in ("layout_ok.h", "opaque_ok.h"):
        result = _verify(name)
        assert result.mismatches == [], [f.message for f in result.mismatches]
        assert result.unchecked == []
    result = _verify("layout_ok.h")
    # Every record Rust sees is checked: 10 named, 3 anonymous inside lk_nested.
    report = kbind.audit(str(LAYOUT / "layout_ok.h"), CLANG_ARGS, macro_types=False)
    assert result.checked == 13 == sum(
        1 for i in report.items if i.kind in ("struct", "union") and i.emitted)
    assert result.members >= 35


def test_audit_flags_rust_layouts_that_differ_from_c() -> None:
    def flagged(name: str) -> set[str]:
        report = kbind.audit(str(LAYOUT / name), CLANG_ARGS, macro_types=False)
        return {f.item or "" for f in report.findings if f.rule == "rust-layout-mismatch"}

    assert flagged("layout_bad.h") == BAD_LAYOUTS
    assert flagged("layout_ok.h") == flagged("opaque_ok.h") == set()


def test_layout_mismatches_are_found_with_their_cause() -> None:
    result = _verify("layout_bad.h")
    got = {(f.item, f.message.split(":")[1].strip()) for f in result.mismatches}
    assert got == {
        ("lb_bits_after_char", "size"), ("lb_bits_after_char", "offset of `y` (bits)"),
        ("lb_bits_after_char", "bitfield `a` (bit offset, width)"),
        ("lb_bits_after_char", "bitfield `b` (bit offset, width)"),
        ("lb_underaligned", "size"), ("lb_underaligned", "alignment"),
        ("lb_underaligned", "offset of `value` (bits)"),
        ("lb_underaligned", "offset of `tail` (bits)"),
        ("lb_packed_aligned", "offset of `i` (bits)"),
        ("lb_empty_aligned", "alignment"),
    }
    assert {f.item for f in result.mismatches} == BAD_LAYOUTS
    assert all(f.severity == "error" for f in result.mismatches)
    assert any("cause: `value` is `lb_u64_a4`, aligned to 8 in Rust but to 4 in C" in f.message
               for f in result.mismatches)


def test_opaque_and_unspelled_records() -> None:
    result = _verify("opaque_bad.h", OPAQUE_ARGS)
    assert (result.mismatches, result.unchecked) == ([], [])
    result = _verify("unspelled.h")
    assert result.mismatches == [] and result.checked == 3
    assert sorted(name for name, _ in result.unchecked) == ["cplx_member", "vec_member"]
    assert _opaque_findings("unspelled.h") == {("opaque-member", "vec_member"),
                                               ("opaque-member", "cplx_member")}


def test_rust_layout_model_matches_rustc_on_real_bindgen(tmp_path: Path) -> None:
    for name in ("layout_ok.h", "layout_bad.h", "opaque_ok.h"):
        header = LAYOUT / name
        tgt = get_target("x86_64-linux-gnu")
        tu = kbind.parse(str(header), CLANG_ARGS, tgt.triple)
        items = Predictor(tu, get_profile("kernel", tgt), BindgenOptions()).items()
        model = RustRecords(tu, items, tgt)
        records = {n: [f.name for f in i.fields] for n, i in model.by_name.items()}
        real = rustc_layouts(run_bindgen(header, CLANG_ARGS).text, records, tmp_path)
        assert set(real) == set(records)
        for rust_name, layout in real.items():
            assert model.layout(rust_name) == layout, rust_name


def test_dwarf_bitfield_encodings() -> None:
    dump = """
0x0000002e:   DW_TAG_structure_type
                DW_AT_name	("s")
                DW_AT_byte_size	(0x08)
0x00000033:     DW_TAG_member
                  DW_AT_name	("old")
                  DW_AT_byte_size	(0x04)
                  DW_AT_bit_size	(0x03)
                  DW_AT_bit_offset	(0x15)
                  DW_AT_data_member_location	(0x00)
0x00000040:     DW_TAG_member
                  DW_AT_name	("new")
                  DW_AT_bit_size	(0x05)
                  DW_AT_data_bit_offset	(0x23)
0x00000050:     NULL
"""
    dies = dwarf.parse_dump(dump)
    members = dwarf.members(dies[0x2e])
    assert [(m.name, m.offset_bits, m.bit_size) for m in members] == [
        ("old", 8, 3), ("new", 35, 5)]


def test_layout_cli(tmp_path: Path) -> None:
    ok = ["layout", "--verify", "--header", str(LAYOUT / "layout_ok.h"), "--", *CLANG_ARGS]
    assert main(ok) == 0
    out = tmp_path / "layout.json"
    bad = ["layout", "--verify", "--format", "json", "-o", str(out), "--header",
           str(LAYOUT / "layout_bad.h"), "lb_underaligned", "--", *CLANG_ARGS]
    assert main(bad) == 1
    text = out.read_text()
    assert '"checked": 1' in text and "lb_underaligned" in text
    assert main(["layout", "--header", str(LAYOUT / "layout_ok.h")]) == 2  # --verify needed
