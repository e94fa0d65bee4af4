"""Compare kbind's predicted items with real bindgen output, item by item."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kbind.profile.spelling import canonical
from kbind.report import Report
from kbind.verify.rust_reader import RustItem


@dataclass(frozen=True)
class Flat:
    """One Rust item in a comparable form: (kind, name) and its signature."""

    kind: str  # fn, struct, union, type, const, static
    name: str
    signature: tuple[object, ...]


def flatten_report(report: Report) -> list[Flat]:
    out: list[Flat] = []
    for item in report.items:
        if not item.emitted or item.rust_name is None:
            continue
        k = item.kind
        if k == "function":
            params = tuple((p.name, canonical(p.type)) for p in item.params)
            ret = canonical(item.ret.type) if item.ret else None
            out.append(Flat("fn", item.rust_name, (params, ret, item.variadic)))
        elif k in ("struct", "union"):
            fields = tuple((f.name, canonical(f.type)) for f in item.fields)
            out.append(Flat(k if item.rust_union else "struct", item.rust_name, (fields,)))
        elif k == "typedef":
            out.append(Flat("type", item.rust_name, (canonical(item.type or ""),)))
        elif k == "enum":
            out.append(Flat("type", item.rust_name, (canonical(item.type or ""),)))
            for c in item.constants:
                out.append(Flat("const", c.name, (canonical(item.rust_name), str(c.value))))
        elif k == "const":
            out.append(Flat("const", item.rust_name,
                            (canonical(item.type or ""), canonical(item.rust_value or ""))))
        elif k == "var":
            out.append(Flat("static", item.rust_name, (canonical(item.type or ""),
                                                       item.mutable)))
    return out


def flatten_bindgen(items: list[RustItem]) -> list[Flat]:
    out: list[Flat] = []
    for it in items:
        if it.kind == "fn":
            out.append(Flat("fn", it.name, (tuple(it.params), it.ret, it.variadic)))
        elif it.kind in ("struct", "union"):
            out.append(Flat(it.kind, it.name, (tuple(it.fields),)))
        elif it.kind == "type":
            out.append(Flat("type", it.name, (it.type,)))
        elif it.kind == "const":
            out.append(Flat("const", it.name, (it.type, it.value)))
        elif it.kind == "static":
            out.append(Flat("static", it.name, (it.type, it.mutable)))
        else:
            out.append(Flat(it.kind, it.name, ()))
    return out


@dataclass
class Comparison:
    matched: list[tuple[Flat, Flat]] = field(default_factory=list)
    differing: list[tuple[Flat, Flat]] = field(default_factory=list)
    missing: list[Flat] = field(default_factory=list)  # bindgen has it, kbind does not
    extra: list[Flat] = field(default_factory=list)  # kbind predicts it, bindgen has not

    @property
    def total(self) -> int:
        return len(self.matched) + len(self.differing) + len(self.missing) + len(self.extra)

    def agreement(self) -> float:
        return len(self.matched) / self.total if self.total else 1.0

    def precision(self) -> float:
        predicted = len(self.matched) + len(self.differing) + len(self.extra)
        return len(self.matched) / predicted if predicted else 1.0

    def recall(self) -> float:
        actual = len(self.matched) + len(self.differing) + len(self.missing)
        return len(self.matched) / actual if actual else 1.0

    def per_kind(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {}
        for label, rows in (("matched", [a for a, _ in self.matched]),
                            ("differing", [a for a, _ in self.differing]),
                            ("missing", self.missing), ("extra", self.extra)):
            for flat in rows:
                table.setdefault(flat.kind, Counter())[label] += 1
        return table


def compare(predicted: list[Flat], actual: list[Flat]) -> Comparison:
    result = Comparison()
    want: dict[tuple[str, str], Flat] = {}
    for flat in actual:
        want.setdefault((flat.kind, flat.name), flat)
    seen: set[tuple[str, str]] = set()
    for flat in predicted:
        key = (flat.kind, flat.name)
        if key in seen:
            continue
        seen.add(key)
        other = want.get(key)
        if other is None:
            result.extra.append(flat)
        elif other.signature == flat.signature:
            result.matched.append((flat, other))
        else:
            result.differing.append((flat, other))
    result.missing = [f for k, f in want.items() if k not in seen]
    return result
