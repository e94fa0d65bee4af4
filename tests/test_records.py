"""bindgen's record model, decided once in kbind.predict.records (issue 14 point 1)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import kbind
from kbind.ir import Builtin, Field, Location, Record
from kbind.predict import records
from kbind.predict.layout import Layout, LayoutTracker
from kbind.report import Repr

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "headers" / "regressions"


def _field(name: str | None, size: int, align: int, offset: int, bits: int | None = None
           ) -> Field:
    return Field(name, Builtin("int"), offset * 8, bits, size=size, align=align)


def _record(kind: str, size: int, align: int, fields: tuple[Field, ...], packed: bool = False
            ) -> Record:
    return Record("r", kind, "r", None, Location("r.h", 1, 1), True, fields, size, align,
                  packed=packed)


def test_requires_explicit_align_is_bindgens() -> None:
    assert records.requires_explicit_align(16, 16)  # 16 and more: always
    assert records.requires_explicit_align(4, 8)  # nothing reaches the record's
    assert not records.requires_explicit_align(8, 8)
    assert records.requires_explicit_align(0, 1)  # no member at all


def test_a_struct_of_alignment_one_needing_alignment_is_packed_instead() -> None:
    rec = _record("struct", 1, 1, (_field(None, 4, 4, 0, bits=3),))
    assert records.record_repr(rec, opaque=False, zero_sized=False, max_field_align=0) == \
        Repr(1, None)


def test_union_of_alignment_one_keeps_align_one() -> None:
    rec = _record("union", 0, 1, (_field(None, 4, 4, 0, bits=0),))
    assert records.record_repr(rec, opaque=False, zero_sized=True, max_field_align=0) == \
        Repr(None, 1)


def test_opaque_records_get_their_alignment() -> None:
    rec = _record("struct", 8, 8, ())
    assert records.record_repr(rec, opaque=True, zero_sized=False, max_field_align=0) == \
        Repr(None, 8)


def test_packed_caps_and_align_raises() -> None:
    fields = [("a", Layout(1, 1)), ("b", Layout(4, 4))]
    assert records.lay_out(fields, False, Repr(2, None)).offsets == {"a": 0, "b": 2}
    assert records.lay_out(fields, False, Repr(None, 16)).size == 16
    assert records.lay_out(fields, True, None).offsets == {"a": 0, "b": 0}
    # rustc rejects packed + align; the layout is taken as packed.
    assert records.rustc_repr(Repr(2, 4)) == Repr(2, None)


def test_every_emitted_record_carries_its_repr() -> None:
    for header in sorted(REGRESSIONS.glob("*.h")):
        report = kbind.audit(str(header), ["-nostdinc"], root=str(ROOT))
        for item in report.items:
            if item.kind in ("struct", "union") and item.emitted and item.size is not None:
                assert item.repr is not None, (header.name, item.name)


def test_packed_holder_of_a_zero_sized_union_is_e0588_as_rustc_says(tmp_path: Path) -> None:
    """bindgen writes #[repr(align(1))] on a zero-sized union (its tracker sees no
    field); a packed record holding one does not compile. kbind's three former
    copies of requires_explicit_align disagreed here; the one model is rustc's."""
    header = REGRESSIONS / "zero_sized_union_member.h"
    report = kbind.audit(str(header), ["-nostdinc"], root=str(ROOT))
    flagged = {f.item for f in report.findings if f.rule == "packed-contains-aligned"}
    out = tmp_path / "out.rs"
    subprocess.run(["bindgen", str(header), "--use-core", "--no-layout-tests", "-o", str(out),
                    "--", "-nostdinc"], check=True, capture_output=True)
    main = tmp_path / "main.rs"
    main.write_text("#![allow(non_camel_case_types, dead_code, non_snake_case)]\n"
                    f'include!("{out}");\nfn main() {{}}\n')
    rustc = subprocess.run(["rustc", "--edition", "2018", "-o", str(tmp_path / "m"), str(main)],
                           capture_output=True, text=True)
    # Each E0588 block quotes the declaration rustc rejects.
    blocks = rustc.stderr.split("error[")[1:]
    rejected = {m.group(1) for b in blocks if b.startswith("E0588")
                for m in [re.search(r"pub (?:struct|union) (\w+)", b)] if m}
    assert flagged == rejected == {"packed_holder_of_empty"}, rustc.stderr


@pytest.mark.parametrize("kind", ["struct", "union"])
@pytest.mark.parametrize("since_0693", [False, True])
def test_max_field_align_counts_bitfield_units_from_0693(kind: str, since_0693: bool) -> None:
    tracker = LayoutTracker(False, kind == "union", 8, Layout(8, 4), since_0693=since_0693)
    tracker.saw_field(_field("a", 2, 2, 0))
    tracker.saw_bitfield_unit(Layout(4, 4))
    assert tracker.max_field_align == (4 if since_0693 else 2)
