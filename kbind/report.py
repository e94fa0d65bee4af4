"""The report kbind produces: items as bindgen will emit them, and findings.

Plain data only; `to_json` gives the versioned JSON contract
(`kbind-report/2`) that renderers and other tools read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbind.ir import Location

SCHEMA = "kbind-report/2"  # /2: the top-level "tools" object
READABLE_SCHEMAS = ("kbind-report/1", SCHEMA)  # saved reports diff and review still read


class Code:
    """Why an item is not emitted, or emitted degraded: a machine code beside the
    prose of `Item.reason`. Rules match these, never the wording."""

    BLOCKLISTED = "blocklisted"  # --blocklist-type/-function/-item
    OPAQUE = "opaque"  # --opaque-type, or a bitfield bindgen cannot lay out
    REPR_CONFLICT = "repr-conflict"  # packed and aligned: rustc rejects it (E0587)
    RUST_LAYOUT_DIFFERS = "rust-layout-differs"  # rustc lays bindgen's struct out otherwise
    NAMED_PRIMITIVE = "named-primitive"  # a typedef bindgen spells as a Rust primitive
    NAMES_ITS_TAG = "names-its-tag"  # typedef struct x x;
    INLINE = "inline"  # needs a rust/helpers shim
    STATIC = "static"  # internal linkage
    UNSUPPORTED_TYPE = "unsupported-type"
    KEYWORD_MACRO = "keyword-macro"  # a macro named after a C keyword
    FUNCTION_LIKE_MACRO = "function-like-macro"  # needs a rust/helpers shim
    OVERRIDDEN_MACRO = "overridden-macro"  # function-like, then #undef'd or redefined
    UNEVALUABLE_MACRO = "unevaluable-macro"  # cexpr cannot evaluate it: const helper
    EMPTY_MACRO = "empty-macro"  # nothing to evaluate (include guards)
    MACRO_PANICS_BINDGEN = "macro-panics-bindgen"  # cexpr panics: the build fails
    REDEFINITION = "redefinition"  # bindgen keeps the first definition
    SHADOWED = "shadowed"  # a macro or variable of the same name is emitted first


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


@dataclass(frozen=True)
class Repr:
    """The `#[repr(C, packed(N))]` and `#[repr(align(N))]` bindgen writes on a
    record (kbind.predict.records); `packed` 1 is plain `packed`."""

    packed: int | None
    align: int | None

    @property
    def conflicts(self) -> bool:
        """Both at once: rustc rejects the record (E0587)."""
        return self.packed is not None and self.align is not None


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
    code: str | None = None  # a Code beside `reason`; not in the JSON contract yet
    repr: Repr | None = None  # struct / union: bindgen's repr attributes (complete records)

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


@dataclass(frozen=True)
class Tools:
    """What made a report: kbind, the bindgen release it predicts and why that
    one, the libclang that parsed, and the kernel tree's release and config."""

    kbind: str
    bindgen: str  # the bindgen release modelled (kbind.predict.versions)
    bindgen_source: str  # where that release came from (flag, `bindgen --version`, ...)
    libclang: str
    kernel: str | None = None  # the tree's release, with --kernel-tree
    kernel_config: str | None = None  # the tree's config file and a hash of it

    def to_json(self) -> dict[str, Any]:
        return {"kbind": self.kbind, "bindgen": self.bindgen,
                "bindgen_source": self.bindgen_source, "libclang": self.libclang,
                "kernel": self.kernel, "kernel_config": self.kernel_config}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tools:
        return cls(**{k: data.get(k) for k in ("kbind", "bindgen", "bindgen_source",
                                                "libclang", "kernel", "kernel_config")})

    def line(self) -> str:
        """One line for a text report's head."""
        kernel = f"; Linux {self.kernel}" if self.kernel else ""
        config = f" ({self.kernel_config})" if self.kernel and self.kernel_config else ""
        return (f"kbind {self.kbind}: bindgen {self.bindgen} modelled (from "
                f"{self.bindgen_source}), libclang {self.libclang}{kernel}{config}")


@dataclass
class Report:
    header: str
    profile: str
    target: str
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True  # False when --keep-going skipped clang errors
    diagnostics: list[str] = field(default_factory=list)
    layouts: list[StructLayout] = field(default_factory=list)  # --layout TYPE
    tools: Tools | None = None  # None only for reports built by hand
    # Absolute paths of every file clang read; not part of the JSON contract.
    read_files: list[str] = field(default_factory=list, repr=False)
    tu: Any = field(default=None, repr=False, compare=False)  # the IR, for helper stubs

    def __getstate__(self) -> dict[str, Any]:
        # Pickled for the cache and for worker processes: the IR stays behind.
        return {**self.__dict__, "tu": None}

    def emitted(self) -> list[Item]:
        return [i for i in self.items if i.emitted]

    def emitted_names(self) -> set[str]:
        """Every name bindgen emits: items and enum constants."""
        names: set[str] = set()
        for item in self.items:
            if item.emitted and item.rust_name:
                names.add(item.rust_name)
            names.update(c.name for c in item.constants)
        return names

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "tools": None if self.tools is None else self.tools.to_json(),
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


# -- pahole-style layouts (`--layout TYPE`), computed by kbind.checks.holes --

CACHELINE = 64


@dataclass(frozen=True)
class MemberLayout:
    name: str  # C name; `(anonymous union)` style for unnamed members
    type: str  # Rust spelling bindgen uses
    offset_bits: int
    size_bits: int
    bitfield: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "offset_bits": self.offset_bits,
                "size_bits": self.size_bits, "bitfield": self.bitfield}


@dataclass(frozen=True)
class Hole:
    after: str | None  # the member before the hole (None: at the start)
    offset_bits: int
    size_bits: int

    @property
    def in_bits(self) -> bool:
        """pahole's 'bit hole': it starts or ends inside a byte (around bitfields)."""
        return self.offset_bits % 8 != 0 or self.size_bits % 8 != 0

    def to_json(self) -> dict[str, Any]:
        return {"after": self.after, "offset_bits": self.offset_bits,
                "size_bits": self.size_bits}


@dataclass(frozen=True)
class StructLayout:
    kind: str
    name: str
    location: Location
    size: int
    align: int
    members: tuple[MemberLayout, ...] = ()
    holes: tuple[Hole, ...] = ()
    padding_bits: int = 0  # at the end
    notes: tuple[str, ...] = field(default=())


    @property
    def cachelines(self) -> int:
        return (self.size + CACHELINE - 1) // CACHELINE

    def holes_text(self) -> str:
        """Byte holes and pahole's bit holes (around bitfields) told apart."""
        byte_bits = sum(h.size_bits for h in self.holes if not h.in_bits)
        bit_bits = sum(h.size_bits for h in self.holes if h.in_bits)
        text = _amount(byte_bits)
        return text + (f" + {bit_bits} bits in bit holes" if bit_bits else "")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "size": self.size,
                "align": self.align, "cachelines": self.cachelines,
                "members": [m.to_json() for m in self.members],
                "holes": [h.to_json() for h in self.holes],
                "padding_bits": self.padding_bits,
                "location": {"file": self.location.file, "line": self.location.line,
                             "column": self.location.column}}

    def summary(self) -> str:
        holes = len(self.holes)
        parts = [f"size {self.size}, align {self.align}, {len(self.members)} members"]
        parts.append(f"{holes} hole{'s' if holes != 1 else ''} ({self.holes_text()})")
        parts.append(f"{_amount(self.padding_bits)} padding at the end")
        return ", ".join(parts)


def _amount(bits: int) -> str:
    if bits % 8 == 0:
        return f"{bits // 8} byte{'s' if bits != 8 else ''}"
    return f"{bits} bits"
