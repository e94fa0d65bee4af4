"""Compare two kbind reports item by item, as existing Rust callers see them.

Items are matched by identity: kind and C name (anonymous types by their
Rust name). Only what Rust sees counts: emitted items, plus the signatures of
inline functions (their rust_helper shims must follow them).

Classes, for code already written against OLD:
- added item, or a not-emitted item now emitted: compatible;
- removed item, or an emitted item now dropped (made inline, blocklisted...):
  breaking;
- a type, value or layout change Rust code can observe: breaking. A change of
  spelling that resolves to the same Rust type (`u32_` -> `__u32`), a renamed
  parameter, a new enum constant: compatible;
- an anonymous type's generated name (`_bindgen_ty_N`) that shifts: compatible,
  reported (the generated-name hazard warns callers off such names);
- a struct that grows (new fields after the old ones, or a new size/align)
  while every old field keeps its name, type and offset: compatible when
  Rust only reaches it through pointers in NEW, breaking when some item
  holds it by value (a field, parameter, return, array element, static or
  alias naming it without `*`), since that item's layout or ABI moves too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

COMPATIBLE, BREAKING = "compatible", "breaking"
ADDED, REMOVED, CHANGED = "added", "removed", "changed"
_SKIP_FIELD = ("__bindgen_padding_", "_bitfield_align_")
_NAME = re.compile(r"(\*(?:mut|const) )?\b([A-Za-z_][A-Za-z0-9_]*)\b")


@dataclass(frozen=True)
class Change:
    change: str  # added | removed | changed
    severity: str  # compatible | breaking
    kind: str
    name: str
    details: tuple[str, ...] = ()
    location: dict[str, Any] | None = None
    old: str | None = None
    new: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"change": self.change, "class": self.severity, "kind": self.kind,
                "name": self.name, "details": list(self.details), "old": self.old,
                "new": self.new, "location": self.location}


@dataclass
class _Acc:
    breaking: list[str] = field(default_factory=list)
    compatible: list[str] = field(default_factory=list)

    def add(self, breaking: bool, text: str) -> None:
        (self.breaking if breaking else self.compatible).append(text)


def identity(item: dict[str, Any]) -> tuple[str, str]:
    """(kind, C name). An anonymous enum is known by its first constant, since
    its `_bindgen_ty_N` shifts whenever anonymous types are added before it."""
    kind = "const" if item["kind"] in ("const", "macro") else item["kind"]
    if kind == "enum" and not item.get("name") and item.get("constants"):
        return kind, f"(anonymous: {item['constants'][0]['name']}...)"
    return kind, item.get("name") or item.get("rust_name") or ""


def visible(item: dict[str, Any]) -> bool:
    return bool(item.get("emitted"))


def _index(items: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        key = identity(item)
        # An emitted definition wins over a declaration of the same name.
        if key not in out or (visible(item) and not visible(out[key])):
            out[key] = item
    return out


def signature(item: dict[str, Any]) -> str:
    """The item in one line of Rust, as bindgen writes it."""
    kind, name = item["kind"], item.get("rust_name") or item.get("name")
    if kind == "function":
        params = [f"{p['name']}: {p['type']}" for p in item.get("params", [])]
        if item.get("variadic"):
            params.append("...")
        ret = item.get("return")
        return f"fn {name}({', '.join(params)})" + (f" -> {ret['type']}" if ret else "")
    if kind in ("struct", "union"):
        fields = ", ".join(f"{f['name']}: {f['type']}" for f in item.get("fields", []))
        return f"{kind} {name} {{ {fields} }} (size {item.get('size')}, " \
               f"align {item.get('align')})"
    if kind == "enum":
        return f"enum {name}: {item.get('type')} ({len(item.get('constants', []))} constants)"
    if kind == "typedef":
        return f"type {name} = {item.get('type')}"
    if kind == "var":
        return f"static {'mut ' if item.get('mutable') else ''}{name}: {item.get('type')}"
    return f"const {name}: {item.get('type')} = {item.get('rust_value')}"


def types_of(item: dict[str, Any]) -> Iterable[str]:
    """Every Rust type string in the item's signature."""
    for p in item.get("params", []):
        yield p["type"]
    if item.get("return"):
        yield item["return"]["type"]
    for f in item.get("fields", []):
        yield f["type"]
    if item["kind"] in ("typedef", "var") and item.get("type"):
        yield item["type"]


def held_by_value(items: Iterable[dict[str, Any]]) -> set[str]:
    """Rust type names some emitted item holds by value (not behind `*`)."""
    out: set[str] = set()
    for item in items:
        if not visible(item):
            continue
        for ty in types_of(item):
            for m in _NAME.finditer(ty):
                if not m.group(1):
                    out.add(m.group(2))
    return out


_USIZE_LENGTH = re.compile(r"\b(\d+)usize\b")


def same_type(a: str | None, b: str | None) -> bool:
    """One Rust type however bindgen spells it: `[u8; 6usize]` (bindgen < 0.66)
    is `[u8; 6]`."""
    if a is None or b is None:
        return a == b
    return a == b or _USIZE_LENGTH.sub(r"\1", a) == _USIZE_LENGTH.sub(r"\1", b)


def _pair(a: dict[str, Any], b: dict[str, Any]) -> str:
    """`old` -> `new`, with the resolved types when the spellings are the same."""
    if a.get("type") == b.get("type"):
        return f"`{a.get('type')}` (= `{a.get('resolved')}`) -> `{b.get('type')}` " \
               f"(= `{b.get('resolved')}`)"
    return f"`{a.get('type')}` -> `{b.get('type')}`"


def _fn(old: dict[str, Any], new: dict[str, Any], acc: _Acc) -> None:
    op, np = old.get("params", []), new.get("params", [])
    if len(op) != len(np):
        acc.add(True, f"parameter count {len(op)} -> {len(np)}")
    for i, (a, b) in enumerate(zip(op, np, strict=False), 1):
        if not same_type(a["resolved"], b["resolved"]):
            acc.add(True, f"parameter {i} `{b['name']}`: {_pair(a, b)}")
        elif a["type"] != b["type"]:
            acc.add(False, f"parameter {i} `{b['name']}` spelled `{a['type']}` -> "
                           f"`{b['type']}` (same Rust type `{b['resolved']}`)")
        if a["name"] != b["name"]:
            acc.add(False, f"parameter {i} renamed `{a['name']}` -> `{b['name']}`")
    ro, rn = old.get("return"), new.get("return")
    if not same_type((ro or {}).get("resolved"), (rn or {}).get("resolved")):
        acc.add(True, f"return type `{(ro or {}).get('type', '()')}` -> "
                      f"`{(rn or {}).get('type', '()')}`")
    elif (ro or {}).get("type") != (rn or {}).get("type"):
        acc.add(False, f"return type spelled `{ro['type']}` -> `{rn['type']}`")  # type: ignore[index]
    if bool(old.get("variadic")) != bool(new.get("variadic")):
        acc.add(True, f"variadic {old.get('variadic')} -> {new.get('variadic')}")


def _fields(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in item.get("fields", []) if not f["name"].startswith(_SKIP_FIELD)}


def _record(old: dict[str, Any], new: dict[str, Any], acc: _Acc, by_value: set[str]) -> None:
    if old.get("opaque") != new.get("opaque"):
        acc.add(bool(new.get("opaque")), "became an opaque blob" if new.get("opaque")
                else "no longer opaque: its fields are visible")
        return
    if old.get("rust_union", True) != new.get("rust_union", True):
        acc.add(True, "Rust `union` <-> struct of __BindgenUnionField")
    if old.get("size") is None or new.get("size") is None:
        if old.get("size") is None and new.get("size") is not None:
            acc.add(False, "now defined: its fields are visible")
        elif old.get("size") is not None:
            acc.add(True, "no longer defined here: only a forward declaration remains")
        return
    of, nf = _fields(old), _fields(new)
    for name, a in of.items():
        b = nf.get(name)
        if b is None:
            acc.add(True, f"field `{name}` removed")
            continue
        if not same_type(a["resolved"], b["resolved"]):
            acc.add(True, f"field `{name}`: {_pair(a, b)}")
        elif a["type"] != b["type"]:
            acc.add(False, f"field `{name}` spelled `{a['type']}` -> `{b['type']}`")
        if a.get("offset_bits") != b.get("offset_bits"):
            acc.add(True, f"field `{name}` moved: bit offset {a.get('offset_bits')} -> "
                          f"{b.get('offset_bits')}")
        if a.get("bitfields", []) != b.get("bitfields", []):
            acc.add(True, f"bitfields in `{name}` changed")
    added = [n for n in nf if n not in of]
    grew = old.get("size") != new.get("size") or old.get("align") != new.get("align")
    used = new.get("rust_name") in by_value
    for name in added:
        acc.add(used, f"field `{name}` added" + (" (the type is held by value elsewhere)"
                                                  if used else ""))
    if grew:
        acc.add(used, f"size {old.get('size')} -> {new.get('size')}, align {old.get('align')} "
                      f"-> {new.get('align')}" + (" (held by value elsewhere)" if used else
                                                  " (only used through pointers)"))


def _enum(old: dict[str, Any], new: dict[str, Any], acc: _Acc) -> None:
    if old.get("resolved") != new.get("resolved"):
        acc.add(True, f"integer type `{old.get('type')}` -> `{new.get('type')}`")
    oc = {c["name"]: c["value"] for c in old.get("constants", [])}
    nc = {c["name"]: c["value"] for c in new.get("constants", [])}
    for name, value in oc.items():
        if name not in nc:
            acc.add(True, f"constant `{name}` removed")
        elif nc[name] != value:
            acc.add(True, f"constant `{name}` = {value} -> {nc[name]}")
    for name in nc:
        if name not in oc:
            acc.add(False, f"constant `{name}` = {nc[name]} added")


def _typed(old: dict[str, Any], new: dict[str, Any], acc: _Acc) -> None:
    if not same_type(old.get("resolved"), new.get("resolved")):
        acc.add(True, f"type {_pair(old, new)}")
    elif old.get("type") != new.get("type"):
        acc.add(False, f"spelled `{old.get('type')}` -> `{new.get('type')}` (same Rust type "
                       f"`{new.get('resolved')}`)")
    if old["kind"] == "var" and old.get("mutable") != new.get("mutable"):
        acc.add(True, "now `static mut`" if new.get("mutable") else "now immutable `static`")
    if old["kind"] == "const" and old.get("rust_value") != new.get("rust_value"):
        acc.add(True, f"value {old.get('rust_value')} -> {new.get('rust_value')}")


def compare_items(old: dict[str, Any], new: dict[str, Any], by_value: set[str]) -> _Acc:
    acc = _Acc()
    if old["kind"] != new["kind"]:
        acc.add(True, f"kind {old['kind']} -> {new['kind']}")
    elif old["kind"] == "function":
        _fn(old, new, acc)
    elif old["kind"] in ("struct", "union"):
        _record(old, new, acc, by_value)
    elif old["kind"] == "enum":
        _enum(old, new, acc)
    else:
        _typed(old, new, acc)
    if (old.get("rust_name") != new.get("rust_name")) and old["kind"] == new["kind"]:
        # A generated name is not a name callers should use (the generated-name
        # hazard says so): its shift is reported, not counted as breaking.
        generated = "_bindgen_ty_" in (old.get("rust_name") or "")
        acc.add(not generated, f"Rust name `{old.get('rust_name')}` -> "
                               f"`{new.get('rust_name')}`" + (" (generated)" if generated else ""))
    return acc


def _helper_owed(item: dict[str, Any]) -> bool:
    return item["kind"] == "function" and bool(item.get("inline")) and not visible(item)


def diff_items(old_items: list[dict[str, Any]], new_items: list[dict[str, Any]]
               ) -> list[Change]:
    old, new = _index(old_items), _index(new_items)
    by_value = held_by_value(new_items)
    changes: list[Change] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        kind, name = key
        if a is not None and b is not None and _helper_owed(a) and _helper_owed(b):
            acc = _Acc()
            _fn(a, b, acc)
            if acc.breaking:
                shim = f"inline: the rust_helper_{name} shim must follow"
                changes.append(Change(CHANGED, BREAKING, kind, name, (shim, *acc.breaking),
                                      b["location"], signature(a), signature(b)))
            continue
        va, vb = a is not None and visible(a), b is not None and visible(b)
        if not va and not vb:
            continue
        if not va:
            assert b is not None
            why = f"before: {a['reason']}" if a is not None and a.get("reason") else None
            changes.append(Change(ADDED, COMPATIBLE, kind, name, (why,) if why else (),
                                  b["location"], None, signature(b)))
        elif not vb:
            assert a is not None
            why = f"now: {b['reason']}" if b is not None and b.get("reason") else None
            changes.append(Change(REMOVED, BREAKING, kind, name, (why,) if why else (),
                                  a["location"], signature(a), None))
        else:
            assert a is not None and b is not None
            acc = compare_items(a, b, by_value)
            if acc.breaking or acc.compatible:
                sev = BREAKING if acc.breaking else COMPATIBLE
                changes.append(Change(CHANGED, sev, kind, name,
                                      tuple(acc.breaking + acc.compatible), b["location"],
                                      signature(a), signature(b)))
    return changes
