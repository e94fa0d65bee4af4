"""Hazard rules: what a reviewer of new Rust bindings must know about each item.

Each rule reads the IR declaration and the predicted item beside it and
returns findings with a stable rule id (see kbind.checks.catalog). Only items
Rust will see (emitted) are checked: the others already have a finding
saying why they are missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kbind.checks.catalog import rule_info
from kbind.checks.holes import struct_layout
from kbind.errors import UsageError
from kbind.ir import (
    Array,
    CType,
    Decl,
    Enum,
    Field,
    Function,
    FunctionType,
    Pointer,
    Record,
    Ref,
    TranslationUnit,
    Typedef,
    Var,
)
from kbind.predict.items import Predictor
from kbind.predict.naming import rust_mangle
from kbind.profile.ffi import get_profile
from kbind.profile.mapping import FIELD, PARAM, TypeMapper
from kbind.profile.targets import get_target
from kbind.report import Finding, Item, Report, StructLayout

# The mappings `target-dependent-type` compares: both profiles on the four
# architectures the kernel builds Rust for.
PORTABILITY_PROFILES = ("kernel", "stock")
PORTABILITY_TARGETS = ("x86_64-linux-gnu", "aarch64-linux-gnu", "riscv64-linux-gnu",
                       "arm-linux-gnueabi")


@dataclass
class Context:
    tu: TranslationUnit
    predictor: Predictor
    mappers: dict[str, TypeMapper]  # "stock arm-linux-gnueabi" -> its mapper

    def finding(self, rule: str, message: str, item: Item) -> Finding:
        return Finding(rule, rule_info(rule).severity, message, item.location,
                       item.name or item.rust_name)


Rule = Callable[[Decl, Item, Context], Iterable[Finding]]


def _record(decl: Decl, item: Item) -> Record | None:
    if isinstance(decl, Record) and decl.complete and not item.opaque:
        return decl
    return None


def _bitfield(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    rec = _record(decl, item)
    if rec is None:
        return
    names = [f.name for f in rec.fields if f.bit_width and f.name]
    if names:
        units = [f.name for f in item.fields if f.name.startswith("_bitfield_") and
                 not f.name.startswith("_bitfield_align")]
        yield ctx.finding("bitfield", f"{item.kind} `{item.rust_name}` has bitfields "
                          f"{_list(names)} packed into {_list(units)}: Rust reaches them only "
                          "through the generated accessors (`x()` / `set_x()`), never by "
                          "reference", item)


def _packed(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    if not isinstance(decl, Record) or not decl.complete:
        return
    if decl.packed:
        yield ctx.finding("packed-type", f"{item.kind} `{item.rust_name}` is packed "
                          "(#[repr(C, packed)]): Rust cannot take a reference to its fields; "
                          "copy them out", item)
    natural = max((f.align for f in decl.fields if f.bit_width is None and f.align > 0),
                  default=1)
    if decl.explicit_align is not None and decl.explicit_align > natural:
        yield ctx.finding("over-aligned-type", f"{item.kind} `{item.rust_name}` is aligned to "
                          f"{decl.explicit_align} bytes, above its members' {natural} "
                          f"(#[repr(C, align({decl.explicit_align}))])", item)


def _union(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    rec = _record(decl, item)
    if rec is None or rec.kind != "union":
        return
    how = "a Rust `union`: reading a field is `unsafe`" if item.rust_union else \
        "a struct of `__BindgenUnionField<T>` (a member is not Copy): read members with " \
        "`.as_ref()`"
    yield ctx.finding("union-type", f"union `{item.rust_name}` becomes {how}", item)


def _flexible(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    rec = _record(decl, item)
    if rec is None:
        return
    for f in rec.fields:
        base = ctx.predictor.mapper.strip_typedefs(f.type)
        if f.bit_width is None and isinstance(base, Array) and not base.size:
            elem = ctx.predictor.mapper.spell(base.element)
            yield ctx.finding("flexible-array", f"`{item.rust_name}.{f.name}` is a flexible "
                              f"array: Rust sees `__IncompleteArrayField<{elem}>`, zero-sized; "
                              "reach the elements with unsafe `as_slice(len)`", item)


def _anonymous(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    rec = _record(decl, item)
    if rec is not None:
        anon = [f.name for f in item.fields if f.name.startswith("__bindgen_anon_")]
        if anon:
            yield ctx.finding("anonymous-member", f"{item.kind} `{item.rust_name}` has "
                              f"anonymous members {_list(anon)}: the numbers shift when an "
                              "anonymous member is added or removed before them", item)
    if item.rust_name and "_bindgen_ty_" in item.rust_name:
        yield ctx.finding("generated-name", f"{item.kind} `{item.rust_name}` has a generated "
                          "name: it changes when anonymous types are added before it", item)


def _escaped(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    names: list[str] = []
    if item.name and item.rust_name and rust_mangle(item.name) != item.name and \
            item.rust_name == rust_mangle(item.name):
        names.append(f"`{item.name}` -> `{item.rust_name}`")
    if isinstance(decl, Record) and not item.opaque:
        names += [f"field `{f.c_name}` -> `{f.name}`" for f in item.fields
                  if f.c_name and f.name != f.c_name]
    if isinstance(decl, Function) and isinstance(decl.type, FunctionType):
        names += [f"parameter `{p.name}` -> `{rust_mangle(p.name)}`"
                  for p in decl.type.params if p.name and rust_mangle(p.name) != p.name]
    if names:
        yield ctx.finding("keyword-escaped", f"{item.kind} `{item.rust_name}`: Rust keywords "
                          f"escaped: {', '.join(names)}", item)


def _component_types(decl: Decl) -> list[tuple[str, CType, str]]:
    """(label, C type, role) of everything in the item's Rust signature."""
    if isinstance(decl, Function) and isinstance(decl.type, FunctionType):
        out = [(f"parameter `{p.name or i + 1}`", p.type, PARAM)
               for i, p in enumerate(decl.type.params)]
        return out + [("return type", decl.type.ret, "other")]
    if isinstance(decl, Record) and decl.complete:
        return [(f"field `{f.name}`", f.type, FIELD) for f in decl.fields
                if f.name and f.bit_width is None]
    if isinstance(decl, Typedef):
        return [("type", decl.underlying, "other")]
    if isinstance(decl, Var):
        return [("type", decl.type, "other")]
    if isinstance(decl, Enum) and decl.complete:
        return [("integer type", decl.int_type, "other")]
    return []


def _undefined_pointee(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    if isinstance(decl, Record) and item.opaque:
        return
    missing: dict[str, None] = {}
    for _label, t, _role in _component_types(decl):
        for rid in _pointee_records(t, ctx):
            missing[ctx.predictor.namer.rust_name(rid)] = None
    if missing:
        yield ctx.finding("undefined-pointee", f"{item.kind} `{item.rust_name}` points to "
                          f"{_list(list(missing))}, never defined here: Rust can pass the "
                          "pointer but not allocate, size or read the object", item)


def _pointee_records(t: CType, ctx: Context, under_pointer: bool = False,
                     depth: int = 0) -> Iterable[str]:
    """Ids of never-defined records reached through a pointer in `t`."""
    if depth > 32:
        return
    if isinstance(t, Pointer):
        yield from _pointee_records(t.pointee, ctx, True, depth + 1)
    elif isinstance(t, Array):
        yield from _pointee_records(t.element, ctx, under_pointer, depth + 1)
    elif isinstance(t, FunctionType):
        for p in t.params:
            yield from _pointee_records(p.type, ctx, False, depth + 1)
        yield from _pointee_records(t.ret, ctx, False, depth + 1)
    elif isinstance(t, Ref):
        decl = ctx.tu.resolve(t.decl_id)
        if isinstance(decl, Typedef):
            yield from _pointee_records(decl.underlying, ctx, under_pointer, depth + 1)
        elif isinstance(decl, Record) and under_pointer and not decl.complete:
            yield t.decl_id


def _target_dependent(decl: Decl, item: Item, ctx: Context) -> Iterable[Finding]:
    parts: list[str] = []
    for label, t, role in _component_types(decl):
        by_type: dict[str, list[str]] = {}
        for key, mapper in ctx.mappers.items():
            by_type.setdefault(mapper.resolve(t, role), []).append(key)
        if len(by_type) > 1:
            variants = "; ".join(f"`{ty}` ({_combos(keys)})" for ty, keys in by_type.items())
            parts.append(f"{label} is {variants}")
    if parts:
        yield ctx.finding("target-dependent-type", f"{item.kind} `{item.rust_name}`: "
                          + ", ".join(parts), item)


def _combos(keys: list[str]) -> str:
    """'kernel x86_64-linux-gnu', ... -> 'kernel: all; stock: x86_64, ...'."""
    by_profile: dict[str, list[str]] = {}
    for key in keys:
        profile, triple = key.split(" ", 1)
        by_profile.setdefault(profile, []).append(triple.split("-", 1)[0])
    out = []
    for profile, arches in by_profile.items():
        what = "all targets" if len(arches) == len(PORTABILITY_TARGETS) else ", ".join(arches)
        out.append(f"{profile}: {what}")
    return "; ".join(out)


HAZARD_RULES: dict[str, Rule] = {
    "packed-type": _packed,  # also yields over-aligned-type
    "undefined-pointee": _undefined_pointee,
    "bitfield": _bitfield,
    "union-type": _union,
    "flexible-array": _flexible,
    "anonymous-member": _anonymous,  # also yields generated-name
    "keyword-escaped": _escaped,
    "target-dependent-type": _target_dependent,
}
# Rule ids each function may yield.
YIELDS = {"packed-type": ("packed-type", "over-aligned-type"),
          "anonymous-member": ("anonymous-member", "generated-name")}


def _item_kind(decl: Decl) -> str | None:
    if isinstance(decl, Record):
        return decl.kind
    return {Enum: "enum", Typedef: "typedef", Function: "function"}.get(type(decl))


def _items_by_decl(report: Report, tu: TranslationUnit) -> Iterable[tuple[Decl, Item]]:
    index: dict[tuple[str, object], Item] = {}
    for item in report.items:
        index.setdefault((item.kind, item.location), item)
    for decl in tu.decls:
        kind = _item_kind(decl)
        if isinstance(decl, Var):
            item = index.get(("var", decl.location)) or index.get(("const", decl.location))
        elif kind is None:
            continue
        else:
            item = index.get((kind, decl.location))
        if item is not None and item.emitted:
            yield decl, item


def find_hazards(report: Report, tu: TranslationUnit, predictor: Predictor,
                 rules: Sequence[str]) -> list[Finding]:
    """Findings of the hazard rules named in `rules` (ids from the catalog)."""
    wanted = set(rules)
    funcs = [f for rid, f in HAZARD_RULES.items() if wanted & set(YIELDS.get(rid, (rid,)))]
    mappers: dict[str, TypeMapper] = {}
    if "target-dependent-type" in wanted:
        for prof in PORTABILITY_PROFILES:
            for triple in PORTABILITY_TARGETS:
                mappers[f"{prof} {triple}"] = TypeMapper(
                    tu, get_profile(prof, get_target(triple)), predictor.mapper.naming)
    ctx = Context(tu, predictor, mappers)
    out: list[Finding] = []
    for decl, item in _items_by_decl(report, tu):
        for func in funcs:
            out.extend(f for f in func(decl, item, ctx) if f.rule in wanted)
    return out


def layouts(tu: TranslationUnit, predictor: Predictor, names: Sequence[str],
            strict: bool = True) -> tuple[list[StructLayout], list[Finding]]:
    """pahole-style layouts of the named structs/unions, and a finding per holey one.

    `strict`: a name defined nowhere is a usage error (else it is skipped).
    """
    found: dict[str, StructLayout] = {}
    for decl in tu.decls:
        if not isinstance(decl, Record) or not decl.complete:
            continue
        rust = predictor.namer.rust_name(decl.decl_id)
        for name in names:
            if name in (decl.name, rust, f"{decl.kind} {decl.name}") and name not in found:
                found[name] = struct_layout(
                    decl, rust, lambda f: predictor.mapper.spell(f.type, FIELD)
                    if f.bit_width is None else f"{_bits(f)}")
    unknown = [n for n in names if n not in found]
    if unknown and strict:
        raise UsageError(f"--layout: no struct or union named {', '.join(unknown)} is defined "
                         "in what the header includes")
    out = [found[n] for n in names if n in found]
    findings = [Finding("padding-hole", rule_info("padding-hole").severity,
                        f"{lay.kind} `{lay.name}`: {lay.summary()}", lay.location, lay.name)
                for lay in out if lay.holes or lay.padding_bits]
    return out, findings


def _bits(f: Field) -> str:
    return f"bitfield:{f.bit_width}"


def _list(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:6])
    return shown + (f" and {len(names) - 6} more" if len(names) > 6 else "")
