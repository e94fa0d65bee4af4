"""The report kbind produces: items as bindgen will emit them, and findings.

Plain data only; `to_json` gives the versioned JSON contract
(`kbind-report/1`) that renderers and other tools read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbind.ir import Location

SCHEMA = "kbind-report/1"
ITEM_KINDS = ("function", "struct", "union", "enum", "typedef", "var", "const", "macro")


@dataclass(frozen=True)
class Typed:
    """A type as bindgen spells it, and the same type resolved to primitives."""

    type: str
    resolved: str


@dataclass(frozen=True)
class ParamInfo:
    name: str
    type: str
    resolved: str


@dataclass(frozen=True)
class BitfieldInfo:
    name: str
    c_type: str
    bit_offset: int  # within its allocation unit
    bit_width: int


@dataclass(frozen=True)
class FieldInfo:
    name: str  # the Rust field name bindgen emits
    type: str
    resolved: str
    offset_bits: int | None
    c_name: str | None = None
    bitfields: tuple[BitfieldInfo, ...] = ()


@dataclass(frozen=True)
class ConstantInfo:
    name: str  # as bindgen emits it (`state_STATE_IDLE`)
    value: int


@dataclass
class Item:
    kind: str
    name: str | None
    rust_name: str | None
    emitted: bool
    reason: str | None
    location: Location
    # function
    params: list[ParamInfo] = field(default_factory=list)
    ret: Typed | None = None
    variadic: bool = False
    inline: bool = False
    # struct / union
    fields: list[FieldInfo] = field(default_factory=list)
    size: int | None = None
    align: int | None = None
    opaque: bool = False
    rust_union: bool = True  # False: bindgen emits a struct of __BindgenUnionField
    # typedef / var / const / enum
    type: str | None = None
    resolved: str | None = None
    value: int | float | bool | str | None = None
    rust_value: str | None = None
    mutable: bool = False
    constants: list[ConstantInfo] = field(default_factory=list)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.kind, self.rust_name or self.name or "")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "rust_name": self.rust_name,
            "emitted": self.emitted,
            "reason": self.reason,
            "location": {"file": self.location.file, "line": self.location.line,
                         "column": self.location.column},
        }
        if self.kind == "function":
            out["params"] = [p.__dict__ for p in self.params]
            out["return"] = None if self.ret is None else self.ret.__dict__
            out["variadic"] = self.variadic
            out["inline"] = self.inline
        elif self.kind in ("struct", "union"):
            out["fields"] = [_field_json(f) for f in self.fields]
            out["size"] = self.size
            out["align"] = self.align
            out["opaque"] = self.opaque
            if self.kind == "union":
                out["rust_union"] = self.rust_union
        elif self.kind == "enum":
            out["type"] = self.type
            out["resolved"] = self.resolved
            out["constants"] = [c.__dict__ for c in self.constants]
        elif self.kind in ("typedef", "var"):
            out["type"] = self.type
            out["resolved"] = self.resolved
            if self.kind == "var":
                out["mutable"] = self.mutable
        elif self.kind in ("const", "macro"):
            out["type"] = self.type
            out["resolved"] = self.resolved
            out["value"] = self.value
            out["rust_value"] = self.rust_value
        return out


def _field_json(f: FieldInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "type": f.type, "resolved": f.resolved,
                           "offset_bits": f.offset_bits, "c_name": f.c_name}
    if f.bitfields:
        out["bitfields"] = [b.__dict__ for b in f.bitfields]
    return out


@dataclass(frozen=True)
class Finding:
    rule: str  # stable rule id, e.g. "needs-helper"
    severity: str  # "error" | "warning" | "note"
    message: str
    location: Location
    item: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "item": self.item,
                "location": {"file": self.location.file, "line": self.location.line,
                             "column": self.location.column}}


@dataclass
class Report:
    header: str
    profile: str
    target: str
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True  # False when --keep-going skipped clang errors
    diagnostics: list[str] = field(default_factory=list)
    layouts: list[Any] = field(default_factory=list)  # kbind.checks.holes.StructLayout
    # Absolute paths of every file clang read; not part of the JSON contract.
    read_files: list[str] = field(default_factory=list, repr=False)
    tu: Any = field(default=None, repr=False, compare=False)  # the IR, for helper stubs

    def __getstate__(self) -> dict[str, Any]:
        # Pickled for the cache and for worker processes: the IR stays behind.
        return {**self.__dict__, "tu": None}

    def emitted(self) -> list[Item]:
        return [i for i in self.items if i.emitted]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "profile": self.profile,
            "target": self.target,
            "header": self.header,
            "complete": self.complete,
            "items": [i.to_json() for i in self.items],
            "findings": [f.to_json() for f in self.findings],
        }
        if self.layouts:  # only with --layout: an optional key, so still kbind-report/1
            out["layouts"] = [lay.to_json() for lay in self.layouts]
        if self.diagnostics:  # what --keep-going skipped over
            out["diagnostics"] = list(self.diagnostics)
        return out
