"""Silent opaque fallbacks and degraded records, each a finding with its reason.

bindgen 0.60 turns a record into `_bindgen_opaque_blob` when it is listed with
`--opaque-type` or when a bitfield is wider than its type (the `opaque-type`
rule in kbind.checks.rules). It does *not* make the records that contain such
a type opaque: they keep a member Rust can only copy as bytes, which is what
`opaque-member` reports. Verified with real bindgen (tests/test_opaque.py):

- `opaque-member` (note): a member whose type, by value (through typedefs and
  arrays), is an opaque record, a scalar bindgen copies as a blob (`_Atomic`,
  `__fp16`, an implicit builtin record), or a type kbind has no Rust spelling for.
- `packed-contains-aligned` (error): a packed record that contains, by value
  and transitively, a record bindgen gives `#[repr(align(N))]`. bindgen 0.60
  still emits `#[repr(C, packed)]` around it, which rustc rejects (E0588).
- `degraded-union` (note): a union emitted as a struct of
  `__BindgenUnionField<T>` markers, because a member cannot derive Copy.
"""

from __future__ import annotations

from kbind.ir import Array, Builtin, Opaque, Record, Ref, TranslationUnit, Typedef, Unsupported
from kbind.ir.ctypes import CType
from kbind.predict.naming import Namer
from kbind.report import Finding, Item, Report


def by_value(tu: TranslationUnit, t: CType) -> CType:
    """The type a member stores, looking through typedefs and arrays."""
    while True:
        if isinstance(t, Array):
            t = t.element
        elif isinstance(t, Ref) and t.kind == "typedef":
            decl = tu.resolve(t.decl_id)
            if not isinstance(decl, Typedef):
                return t
            t = decl.underlying
        else:
            return t


class OpaqueChecker:
    def __init__(self, report: Report, tu: TranslationUnit) -> None:
        self.tu = tu
        self.namer = Namer(tu)
        self.items = {(i.kind, i.rust_name): i for i in report.items
                      if i.kind in ("struct", "union") and i.rust_name}
        self._contains: dict[str, str | None] = {}

    def item_of(self, rec: Record) -> Item | None:
        return self.items.get((rec.kind, self.namer.rust_name(rec.decl_id)))

    # -- #[repr(align)] and E0588 ---------------------------------------------

    def repr_align(self, rec: Record) -> bool:
        """Whether bindgen writes `#[repr(align(N))]` on the record (its item's repr,
        decided in kbind.predict.records)."""
        item = self.item_of(rec)
        return item is not None and item.repr is not None and item.repr.align is not None

    def aligned_inside(self, rec: Record) -> str | None:
        """A `Name.member` path to a #[repr(align)] record stored in `rec`, if any."""
        if rec.decl_id in self._contains:
            return self._contains[rec.decl_id]
        self._contains[rec.decl_id] = None  # cycles only go through pointers
        found = None
        for f in rec.fields:
            inner = self._record(f.type)
            if inner is None or f.bit_width is not None:
                continue
            name = self.namer.rust_name(inner.decl_id)
            if self.repr_align(inner):
                found = f"`{f.name or '(anonymous)'}` of type `{name}` (align {inner.align})"
            else:
                deeper = self.aligned_inside(inner)
                if deeper is not None:
                    found = f"`{f.name or '(anonymous)'}` of type `{name}`, which holds {deeper}"
            if found:
                break
        self._contains[rec.decl_id] = found
        return found

    def _record(self, t: CType) -> Record | None:
        t = by_value(self.tu, t)
        if isinstance(t, Ref) and t.kind in ("struct", "union"):
            decl = self.tu.resolve(t.decl_id)
            if isinstance(decl, Record) and decl.complete:
                return decl
        return None

    # -- findings -----------------------------------------------------------

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for rec in self.tu.decls:
            if not isinstance(rec, Record) or not rec.complete:
                continue
            item = self.item_of(rec)
            if item is None or not item.emitted or item.opaque:
                continue
            label = f"{rec.kind} `{item.rust_name}`"
            packed = rec.packed or any(f.align > rec.align for f in rec.fields
                                       if f.bit_width is None and f.align > 0)
            if packed:
                inner = self.aligned_inside(rec)
                if inner is not None:
                    out.append(Finding(
                        "packed-contains-aligned", "error",
                        f"{label} is packed but holds {inner}: bindgen emits "
                        "#[repr(C, packed)] around a #[repr(align)] type, which rustc "
                        "rejects (E0588)", rec.location, item.rust_name))
            if rec.kind == "union" and not item.rust_union:
                out.append(Finding(
                    "degraded-union", "note",
                    f"{label} is emitted as a struct of __BindgenUnionField markers, not a "
                    "Rust union: a member cannot derive Copy (a flexible array or a "
                    "blocklisted type inside)", rec.location, item.rust_name))
            out.extend(self._member_findings(rec, label, item))
        return out

    def _member_findings(self, rec: Record, label: str, item: Item) -> list[Finding]:
        out: list[Finding] = []
        for f in rec.fields:
            why = self._member_reason(f.type)
            if why is not None:
                member = f.name or "(anonymous member)"
                out.append(Finding("opaque-member", "note",
                                   f"member `{member}` of {label}: {why}",
                                   rec.location, item.rust_name))
        return out

    def _member_reason(self, t: CType) -> str | None:
        t = by_value(self.tu, t)
        if isinstance(t, Builtin) and t.name == "float16":
            return "bindgen copies the half float `__fp16` as an opaque `u16`"
        if isinstance(t, Opaque):
            return f"bindgen copies `{t.spelling}` as an opaque blob of {t.size} bytes"
        if isinstance(t, Unsupported):
            return f"`{t.spelling}` ({t.reason}) has no exact Rust type; bindgen degrades it"
        inner = self._record(t)
        if inner is not None:
            inner_item = self.item_of(inner)
            if inner_item is not None and inner_item.opaque:
                return (f"its type `{inner_item.rust_name}` is an opaque blob "
                        f"({inner_item.reason}): Rust sees only its bytes")
        return None


def opaque_findings(report: Report, tu: TranslationUnit) -> list[Finding]:
    return OpaqueChecker(report, tu).findings()
