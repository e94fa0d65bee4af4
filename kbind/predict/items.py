"""Predict bindgen's items from the IR: names, types, layout, constants.

Every declaration becomes an `Item`; those bindgen will not emit carry the
reason. Nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kbind.ir import (
    Array,
    Builtin,
    CType,
    Enum,
    Field,
    Function,
    FunctionType,
    Macro,
    Pointer,
    Record,
    Ref,
    TranslationUnit,
    Typedef,
    Unsupported,
    Var,
)
from kbind.ir.probe import CONST_HELPER_PREFIX
from kbind.predict import layout as lay
from kbind.predict import records
from kbind.predict.macros import Unevaluable, Value, evaluate
from kbind.predict.naming import Namer, named_primitives, rust_mangle
from kbind.predict.options import BindgenOptions
from kbind.profile.ffi import Profile
from kbind.profile.mapping import FIELD, PARAM, VAR, Naming, TypeMapper, param_names
from kbind.report import (
    BitfieldInfo,
    Code,
    ConstantInfo,
    FieldInfo,
    Item,
    ParamInfo,
    Repr,
    Typed,
)

_INT_TYPES = {"bool", "char", "schar", "uchar", "short", "ushort", "int", "uint", "long",
              "ulong", "longlong", "ulonglong", "int128", "uint128"}
_UNSIGNED = {"bool", "uchar", "ushort", "uint", "ulong", "ulonglong", "uint128"}


class Predictor:
    def __init__(self, tu: TranslationUnit, profile: Profile,
                 options: BindgenOptions | None = None) -> None:
        self.tu = tu
        self.profile = profile
        self.options = options or BindgenOptions()
        self.namer = Namer(tu)
        self.mapper = TypeMapper(tu, profile, Naming(
            type_name=self.namer.rust_name,
            named_primitive=self._named_primitive,
            param_name=rust_mangle,
            ffi_safe_opaque=self.options.behaviour.ffi_safe_opaque_types,
            array_const_correct=self.options.behaviour.array_const_correct,
        ))
        self.pointer_size = profile.target.pointer_bits // 8
        self._copy_cache: dict[str, bool] = {}
        self.behaviour = self.options.behaviour
        self.named_primitives = named_primitives(self.behaviour.size_t_is_usize)

    def _named_primitive(self, decl_id: str) -> str | None:
        decl = self.tu.resolve(decl_id)
        if isinstance(decl, Typedef):
            return self.named_primitives.get(decl.name)
        return None

    # -- driver -------------------------------------------------------------

    def macro_items(self) -> list[Item]:
        """Every macro of the translation unit, in source order."""
        known_macros: dict[str, Value] = {}
        macros = [d for d in self.tu.decls if isinstance(d, Macro)]
        function_like = {m.name for m in macros if m.function_like}
        emitted_macros: set[str] = set()
        return [self.macro(m, known_macros, function_like, emitted_macros) for m in macros]

    def items(self, macro_items: list[Item] | None = None) -> list[Item]:
        """All items; `macro_items` when another process already predicted the macros."""
        declared = self.declaration_items()
        return self.merge(self.macro_items() if macro_items is None else macro_items, declared)

    def declaration_items(self) -> DeclarationItems:
        """Every item but the macros; `merge` then adds those."""
        out = DeclarationItems()
        seen_vars: set[str | None] = set()
        for decl in self.tu.decls:
            if isinstance(decl, Record):
                out.items.append(self.record(decl))
            elif isinstance(decl, Enum):
                out.items.append(self.enum(decl))
            elif isinstance(decl, Typedef):
                out.items.append(self.typedef(decl))
            elif isinstance(decl, Function):
                out.items.append(self.function(decl))
            elif isinstance(decl, Var):
                item = self.var(decl)
                name = item.rust_name
                if item.emitted and name in seen_vars:
                    _shadowed(item)
                seen_vars.add(name)
                out.var_names.append((item, name))
                _rename_const_helper(item)
                out.items.append(item)
        return out

    @staticmethod
    def merge(macro_items: list[Item], declared: DeclarationItems) -> list[Item]:
        # libclang visits the preprocessing record first, so bindgen sees every
        # macro before any declaration: a variable named like an emitted macro
        # is dropped.
        macro_names = {i.rust_name for i in macro_items if i.emitted}
        for item, name in declared.var_names:
            if item.emitted and name in macro_names:
                _shadowed(item)
        out = [*macro_items, *declared.items]
        out.sort(key=Item.sort_key)
        return out

    # -- typed helpers ------------------------------------------------------

    def typed(self, t: object, role: str = "other") -> Typed:
        return Typed(self.mapper.spell(t, role), self.mapper.resolve(t, role))  # type: ignore[arg-type]


    # -- records ------------------------------------------------------------

    def record(self, rec: Record) -> Item:
        rust_name = self.namer.rust_name(rec.decl_id)
        item = Item(rec.kind, rec.name, rust_name, True, None, rec.location,
                    size=rec.size if rec.complete else None,
                    align=rec.align if rec.complete else None)
        if self.options.blocks_type(rust_name):
            item.emitted, item.reason, item.code = False, "blocklisted by --blocklist-type", \
                Code.BLOCKLISTED
            return item
        if not rec.complete:
            # A tag first mentioned inside another struct's body is, to bindgen,
            # an empty type with an address rather than a forward declaration.
            item.fields = [FieldInfo("_address", "u8", "u8", None)] if rec.declared_in_record \
                else [FieldInfo("_unused", "[u8; 0]", "[u8; 0]", None)]
            item.rust_union = False  # a never-defined union is a Rust struct too
            return item
        opaque_reason = self._opaque_reason(rec, rust_name)
        if opaque_reason is not None:
            item.opaque = True
            item.reason, item.code = opaque_reason, Code.OPAQUE
            item.repr = records.record_repr(rec, opaque=True, zero_sized=False,
                                            max_field_align=0)
            shape = lay.blob(lay.Layout(rec.size, rec.align))
            item.fields = [FieldInfo("_bindgen_opaque_blob", shape, shape, 0)]
            return item
        if rec.kind == "union" and (rec.size == 0 or not self.record_can_copy(rec.decl_id)):
            # bindgen falls back to a struct of __BindgenUnionField<T> markers
            # when some member cannot derive Copy, and for a zero-sized union
            # (which still derives Copy: see record_can_copy).
            item.rust_union = False
            item.fields = self._union_as_struct(rec)
            # The struct form keeps the union's repr attributes, and the clash.
            # Its repr is the union's, from the same layout tracker.
            _, max_field_align = self._fields(rec)
            item.repr = records.record_repr(rec, opaque=False, zero_sized=lay.zero_sized(
                rec.fields), max_field_align=max_field_align)
            item.reason = _repr_conflict(rec, item.repr)
            item.code = Code.REPR_CONFLICT if item.reason else None
            return item
        item.fields, max_field_align = self._fields(rec)
        item.repr = records.record_repr(rec, opaque=False, zero_sized=lay.zero_sized(rec.fields),
                                        max_field_align=max_field_align)
        conflict = _repr_conflict(rec, item.repr)
        if conflict is not None:
            item.reason, item.code = conflict, Code.REPR_CONFLICT
        else:
            item.reason = self._rust_layout_differs(rec, item.fields, item.repr)
            item.code = Code.RUST_LAYOUT_DIFFERS if item.reason else None
        return item

    def _rust_layout_differs(self, rec: Record, fields: list[FieldInfo], repr_: Repr
                             ) -> str | None:
        """Lay out the struct bindgen writes the way rustc does (kbind.predict.records:
        repr(C), packed(N) capping alignments) with C's member layouts, and name the
        first place it leaves C's layout: a field moved, or a different size.
        bindgen's layout tests are off in the kernel, so nothing else notices."""
        if rec.size <= 0:
            if rec.kind == "struct" and rec.align > 1 and lay.zero_sized(rec.fields):
                return (f"{RUST_LAYOUT_DIFFERS} bindgen writes an empty struct without "
                        f"#[repr(align)], aligned to 1 in Rust and to {rec.align} in C")
            return None
        c_fields = {f.name: f for f in rec.fields if f.name and f.bit_width is None}
        anonymous = iter([f for f in rec.fields if f.anonymous_member])
        laid: list[tuple[str, lay.Layout]] = []
        matched: list[Field | None] = []
        for info in fields:
            field = c_fields.get(info.c_name or "") if info.c_name else \
                next(anonymous, None) if info.name.startswith("__bindgen_anon_") else None
            if field is None:
                shape = _shape_layout(info.type)
                if shape is None:
                    return None
                laid.append((info.name, lay.Layout(*shape)))
            else:  # a flexible array has no size; it is aligned as its elements
                align = field.align if field.align > 0 else max(field.elem_align, 1)
                laid.append((info.name, lay.Layout(max(field.size, 0), align)))
            matched.append(field)
        rust = records.lay_out(laid, rec.kind == "union", records.rustc_repr(repr_))
        if rec.kind != "union":
            for (name, _), field in zip(laid, matched, strict=True):
                offset = rust.offsets[name]
                if field is not None and field.offset_bits >= 0 and \
                        offset * 8 != field.offset_bits:
                    return (f"{RUST_LAYOUT_DIFFERS} rustc puts `{name}` at byte {offset}, "
                            f"C at byte {field.offset_bits // 8}")
        if rust.size != rec.size:
            return f"{RUST_LAYOUT_DIFFERS} {rust.size} bytes in Rust, {rec.size} in C"
        return None

    # -- Copy derivability (decides Rust `union` vs a struct) -----------------

    def record_can_copy(self, decl_id: str) -> bool:
        cached = self._copy_cache.get(decl_id)
        if cached is not None:
            return cached
        self._copy_cache[decl_id] = True  # optimistic on cycles (only via pointers)
        rec = self.tu.resolve(decl_id)
        result = True
        if isinstance(rec, Record) and rec.complete:
            name = self.namer.rust_name(decl_id)
            if self.options.blocks_type(name):
                result = False
            elif self._opaque_reason(rec, name) is not None:
                result = _blob_can_copy(rec.size, rec.align)
            else:
                # A zero-sized union is a struct to bindgen, yet it still
                # derives Copy, so a union holding one stays a Rust union.
                result = all(self._type_can_copy(f.type, field=True) for f in rec.fields
                             if f.bit_width is None)
        self._copy_cache[decl_id] = result
        return result

    def _type_can_copy(self, t: object, field: bool = True) -> bool:
        if isinstance(t, Array):
            if not t.size and field:
                return False  # __IncompleteArrayField is not Copy
            return self._type_can_copy(t.element, field=False)
        if isinstance(t, Ref):
            decl = self.tu.resolve(t.decl_id)
            if isinstance(decl, Typedef):
                if decl.name in self.named_primitives:
                    return True
                if self.options.blocks_type(rust_mangle(decl.name)):
                    return False
                return self._type_can_copy(decl.underlying, field)
            if isinstance(decl, Record):
                return self.record_can_copy(t.decl_id)
        return True

    def _field_type(self, f: Field) -> CType:
        """The field's type as bindgen reads it.

        When the field's own declaration is the first to name a tag that is
        never defined (`const struct x *p;`, no `struct x {...}` anywhere),
        bindgen builds x from that declaration and loses the qualifier written
        on it: `*mut x`, not `*const x`. Defined tags keep it.
        """
        undefined = tuple(tag for tag in f.introduces
                          if isinstance(rec := self.tu.resolve(tag), Record)
                          and not rec.complete)
        return _unqualified(f.type, undefined) if undefined else f.type

    def _union_as_struct(self, rec: Record) -> list[FieldInfo]:
        out: list[FieldInfo] = []
        members = [f for f in rec.fields if f.bit_width is None]
        for f, name in zip(members, member_names(members), strict=True):
            typed = self.typed(self._field_type(f), FIELD)
            out.append(FieldInfo(name, f"__BindgenUnionField<{typed.type}>",
                                 f"__BindgenUnionField<{typed.resolved}>", _offset(rec, f), f.name))
        shape = lay.blob(lay.Layout(rec.size, rec.align))
        out.append(FieldInfo("bindgen_union_field", shape, shape, 0))
        return out

    def _opaque_reason(self, rec: Record, rust_name: str) -> str | None:
        if self.options.is_opaque(rust_name):
            return "listed with --opaque-type"
        nth = 0
        for run in _bitfield_runs(rec.fields):
            nth += 1
            if lay.bitfield_too_wide(lay.allocation_unit(run, nth, records.is_packed(rec))):
                return "a bitfield is wider than its type"
        return None

    def _fields(self, rec: Record) -> tuple[list[FieldInfo], int]:
        """The Rust fields bindgen writes, and its tracker's max_field_align."""
        packed = records.is_packed(rec)
        units_packed = records.is_packed_for_units(rec)
        tracker = lay.LayoutTracker(packed, rec.kind == "union", self.pointer_size,
                                    lay.Layout(rec.size, rec.align) if rec.size >= 0 else None,
                                    since_0693=self.behaviour.tracker_0693)
        out: list[FieldInfo] = []
        unit_count = 0
        names = iter(member_names([f for f in rec.fields if f.bit_width is None]))
        for f in _field_groups(rec.fields):
            if isinstance(f, list):
                unit = lay.allocation_unit(f, unit_count + 1, units_packed)
                if unit.layout.size == 0:
                    continue  # only zero-width bitfields: bindgen flushes no unit
                unit_count += 1
                out.extend(self._bitfield_unit(unit, tracker))
                continue
            name = next(names)
            padding = tracker.saw_field(f)
            if padding is not None:
                out.append(FieldInfo(padding[0], padding[1], padding[1], None))
            typed = self.typed(self._field_type(f), FIELD)
            out.append(FieldInfo(name, typed.type, typed.resolved, _offset(rec, f), f.name))
        if rec.kind == "struct" and rec.size > 0:
            padding = tracker.pad_struct(lay.Layout(rec.size, rec.align))
            if padding is not None:
                out.append(FieldInfo(padding[0], padding[1], padding[1], None))
        return out, tracker.max_field_align

    def _bitfield_unit(self, unit: lay.BitfieldUnit, tracker: lay.LayoutTracker
                       ) -> list[FieldInfo]:
        align_ty = f"[{lay.bitfield_align_type(unit.layout.align)}; 0]"
        unit_ty = f"__BindgenBitfieldUnit<[u8; {unit.layout.size}usize]>"
        first = tracker.saw_bitfield_unit(unit.layout) * 8
        bitfields = tuple(
            BitfieldInfo(p.field.name, self.mapper.spell(p.field.type), p.offset,
                         p.field.bit_width or 0)
            for p in unit.bitfields if p.field.name is not None
        )
        return [
            FieldInfo(f"_bitfield_align_{unit.nth}", align_ty, align_ty, None),
            FieldInfo(f"_bitfield_{unit.nth}", unit_ty, unit_ty, first, None, bitfields),
        ]

    # -- enums, typedefs ----------------------------------------------------

    def enum(self, enum: Enum) -> Item:
        rust_name = self.namer.rust_name(enum.decl_id)
        # A never-defined enum has no integer type, nor one declared `enum x;`
        # at file scope before its definition: bindgen falls back to i32.
        typed = self.typed(enum.int_type) if enum.complete and not enum.forward_declared \
            else Typed("i32", "i32")
        item = Item("enum", enum.name, rust_name, True, None, enum.location,
                    type=typed.type, resolved=typed.resolved)
        if self.options.blocks_type(rust_name):
            item.emitted, item.reason, item.code = False, "blocklisted by --blocklist-type", \
                Code.BLOCKLISTED
            return item
        if enum.name is not None:
            prefix: str | None = self.namer.path_name(enum.decl_id)
        elif enum.parent_id is not None:
            prefix = self.namer.path_name(enum.parent_id)
        else:
            prefix = None
        item.constants = [
            ConstantInfo(rust_mangle(f"{prefix}_{c.name}" if prefix else c.name), c.value)
            for c in enum.constants
        ]
        return item

    def typedef(self, td: Typedef) -> Item:
        item = Item("typedef", td.name, rust_mangle(td.name), True, None, td.location)
        typed = self.typed(td.underlying)
        item.type, item.resolved = typed.type, typed.resolved
        if td.name in self.named_primitives:
            item.emitted = False
            item.reason = f"bindgen writes `{self.named_primitives[td.name]}` for this name"
            item.code = Code.NAMED_PRIMITIVE
            item.type = item.resolved = self.named_primitives[td.name]
        elif isinstance(td.underlying, Ref) and td.underlying.kind != "typedef" \
                and self.namer.rust_name(td.underlying.decl_id) == item.rust_name:
            item.emitted = False
            item.reason, item.code = "names its struct/union/enum directly", Code.NAMES_ITS_TAG
        elif self.options.blocks_type(item.rust_name or ""):
            item.emitted, item.reason, item.code = False, "blocklisted by --blocklist-type", \
                Code.BLOCKLISTED
        return item

    # -- functions, variables -----------------------------------------------

    def function(self, fn: Function) -> Item:
        item = Item("function", fn.name, rust_mangle(fn.name), True, None, fn.location,
                    inline=fn.inline)
        ftype = fn.type
        if isinstance(ftype, FunctionType):
            names = param_names(ftype.params, rust_mangle)
            item.params = [
                ParamInfo(name, self.mapper.spell(p.type, PARAM),
                          self.mapper.resolve(p.type, PARAM))
                for name, p in zip(names, ftype.params, strict=True)
            ]
            ret = self.mapper.return_type(ftype.ret)
            if self.behaviour.returns_never(fn.noreturn):
                item.ret = Typed("!", "!")
            elif ret is not None:
                item.ret = Typed(ret, self.mapper.resolved_return(ftype.ret) or ret)
            item.variadic = ftype.variadic
        if fn.inline:
            item.emitted = False
            item.rust_name = None
            item.reason = "static inline: no symbol to link; needs a rust/helpers shim" \
                if fn.static else "inline function: bindgen skips it; needs a rust/helpers shim"
            item.code = Code.INLINE
        elif fn.static:
            item.emitted, item.rust_name = False, None
            item.reason = "static function: internal linkage, no symbol to link"
            item.code = Code.STATIC
        elif self.options.blocks_function(fn.name):
            item.emitted, item.reason, item.code = \
                False, "blocklisted by --blocklist-function", Code.BLOCKLISTED
        elif isinstance(ftype, Unsupported):
            item.emitted, item.reason = False, f"unsupported function type: {ftype.reason}"
            item.code = Code.UNSUPPORTED_TYPE
        return item

    def var(self, var: Var) -> Item:
        rust_name = rust_mangle(var.name)
        typed = self.typed(var.type, VAR)
        item = Item("var", var.name, rust_name, True, None, var.location,
                    type=typed.type, resolved=typed.resolved)
        if self.options.blocks_var(var.name):
            item.emitted, item.reason, item.code = False, "blocklisted by --blocklist-item", \
                Code.BLOCKLISTED
            return item
        if isinstance(var.value, bytes) and not isinstance(
                self.mapper.strip_typedefs(var.type), Array):
            item.kind = "const"
            item.type, item.value, item.rust_value = macro_const(
                Value("str", var.value), self.behaviour.byte_string_length_suffix)
            item.resolved = item.type
            return item
        value = self._var_value(var)
        if value is not None:
            item.kind = "const"
            item.value, item.rust_value = value
            return item
        item.mutable = not (var.const or (self.behaviour.const_incomplete_array_is_immutable
                                          and _const_incomplete_array(
                                              self.mapper.strip_typedefs(var.type))))
        return item

    def _var_value(self, var: Var) -> tuple[int | float | bool, str] | None:
        if var.value is None:
            return None
        base = self.mapper.strip_typedefs(var.type)
        if isinstance(var.value, bytes):
            return None  # handled by _var_string
        if isinstance(base, Builtin) and base.name in _INT_TYPES:
            if not isinstance(var.value, int):
                return None
            if base.name == "bool":
                return bool(var.value), "true" if var.value else "false"
            if var.value > I64_MAX and not var.literal_init:
                # bindgen reads clang's value as an i64 and gives up above
                # i64::MAX: the variable stays an extern static.
                return None
            return var.value, str(var.value)
        if isinstance(base, Builtin) and base.name in ("float", "double"):
            return float(var.value), rust_float(float(var.value))
        return None

    # -- macros -------------------------------------------------------------

    def macro(self, m: Macro, known: dict[str, Value], function_like: set[str],
              emitted: set[str]) -> Item:
        item = Item("macro", m.name, None, False, None, m.location)
        if m.name in C_KEYWORDS:
            item.reason = "macro named after a C keyword: bindgen ignores it"
            item.code = Code.KEYWORD_MACRO
            return item
        tokens = m.tokens
        if m.function_like:
            # bindgen 0.60 hands the parameter list to cexpr as part of the body.
            tokens = ("(", *_join_params(m.params), ")", *m.tokens)
        try:
            value = evaluate(tokens, known, function_like)
        except Unevaluable as exc:
            if m.function_like:
                item.reason, item.code = FUNCTION_LIKE_MACRO, Code.FUNCTION_LIKE_MACRO
            elif m.overridden:
                item.reason, item.code = OVERRIDDEN_MACRO, Code.OVERRIDDEN_MACRO
            else:
                item.reason, item.code = f"{UNEVALUABLE_MACRO}{exc}", exc.code
            return item
        duplicate = m.name in emitted
        known[m.name] = value
        if duplicate:
            item.reason = "redefinition: bindgen keeps the first definition"
            item.code = Code.REDEFINITION
            return item
        emitted.add(m.name)
        item.kind = "const"
        item.emitted = True
        item.rust_name = rust_mangle(m.name)
        item.type, item.value, item.rust_value = macro_const(
            value, self.behaviour.byte_string_length_suffix)
        item.resolved = item.type
        return item


@dataclass
class DeclarationItems:
    items: list[Item] = field(default_factory=list)
    # Each variable's item with its name before the RUST_CONST_HELPER_ rename.
    var_names: list[tuple[Item, str | None]] = field(default_factory=list)


def _shadowed(item: Item) -> None:
    item.emitted = False
    item.reason = "a macro or variable of the same name is emitted first"
    item.code = Code.SHADOWED


def _const_incomplete_array(t: CType) -> bool:
    """`const T x[]`: an array of unknown size whose elements are const."""
    return isinstance(t, Array) and t.size is None and t.element.const


def _repr_conflict(rec: Record, repr_: Repr) -> str | None:
    """The reason when bindgen writes both `packed` and `align` (rustc: E0587)."""
    if not repr_.conflicts:
        return None
    packed = "packed" if repr_.packed == 1 else f"packed({repr_.packed})"
    return (f"{REPR_CONFLICT} #[repr(C, {packed})] and "
            f"#[repr(align({repr_.align}))]; rustc rejects that (E0587)")


def _blob_can_copy(size: int, align: int) -> bool:
    """bindgen derives Copy for an opaque blob only when it is an array of a
    known integer (align 1 to 16) with at most 32 elements; otherwise a union
    holding it falls back to __BindgenUnionField."""
    return align in (1, 2, 4, 8, 16) and size // align <= 32


def _unqualified(t: CType, tags: tuple[str, ...]) -> CType:
    if isinstance(t, Pointer):
        return replace(t, pointee=_unqualified(t.pointee, tags))
    if isinstance(t, Array):
        return replace(t, element=_unqualified(t.element, tags))
    if isinstance(t, Ref) and t.const and t.decl_id in tags:
        return replace(t, const=False)
    return t


def macro_const(value: Value, length_suffix: str = "usize"
                ) -> tuple[str, int | float | str, str]:
    """bindgen's (type, value, Rust literal) for an evaluated macro; a byte
    string's length is written with `length_suffix` (see kbind.predict.versions)."""
    if value.kind == "int":
        n = int(value.value)  # type: ignore[arg-type]
        if n < 0:
            ty = "i32" if n >= -(2**31) else "i64"
        else:
            ty = "u32" if n <= 2**32 - 1 else "u64"
        return ty, n, str(n)
    if value.kind == "char":
        n = int(value.value)  # type: ignore[arg-type]
        return "u8", n, f"{n}u8"
    if value.kind == "float":
        f = float(value.value)  # type: ignore[arg-type]
        return "f64", f, rust_float(f)
    data = bytes(value.value)  # type: ignore[arg-type]
    text = data.decode("utf-8", errors="replace")
    return f"&[u8; {len(data) + 1}{length_suffix}]", text, byte_string(data + b"\0")


def rust_float(f: float) -> str:
    """Rust's Display of an f64 as proc_macro2 writes it (always with a dot)."""
    if f != f:
        return "::core::f64::NAN"
    if f in (float("inf"), float("-inf")):
        return "::core::f64::INFINITY" if f > 0 else "::core::f64::NEG_INFINITY"
    text = format(Decimal(repr(f)), "f")
    return text if "." in text else text + ".0"


def byte_string(data: bytes) -> str:
    out = ['b"']
    for b in data:
        if b == 0:
            out.append("\\0")
        elif b == 9:
            out.append("\\t")
        elif b == 10:
            out.append("\\n")
        elif b == 13:
            out.append("\\r")
        elif b == 34:
            out.append('\\"')
        elif b == 92:
            out.append("\\\\")
        elif 0x20 <= b <= 0x7E:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02X}")
    out.append('"')
    return "".join(out)


C_KEYWORDS = frozenset("""
auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef
union unsigned void volatile while _Bool _Complex _Imaginary _Alignas _Alignof _Atomic
_Generic _Noreturn _Static_assert _Thread_local
""".split())





I64_MAX = 2**63 - 1
# Reasons the audit rules recognise (kbind.checks.rules).
FUNCTION_LIKE_MACRO = "function-like macro: bindgen skips it; needs a rust/helpers shim"
UNEVALUABLE_MACRO = "not evaluable by bindgen: "
OVERRIDDEN_MACRO = ("function-like macro #undef'd or redefined object-like later in the unit: "
                    "bindgen skips it, and nothing of it is left to wrap")
EMPTY_MACRO = UNEVALUABLE_MACRO + "empty macro body"
REPR_CONFLICT = "bindgen writes both"
RUST_LAYOUT_DIFFERS = "Rust's layout differs from C's:"
_SHAPE = re.compile(r"^\[?(?:u|i)(8|16|32|64|128)(?:; (\d+)(?:usize)?)?\]?$")
_UNIT = re.compile(r"^__BindgenBitfieldUnit<\[u8; (\d+)usize\]>$")


def _shape_layout(rust_type: str) -> tuple[int, int] | None:
    """(size, align) of the fields bindgen adds: padding blobs (`[u8; 3usize]`,
    `u16`), bitfield units and their zero-length alignment arrays."""
    unit = _UNIT.match(rust_type)
    if unit:
        return int(unit[1]), 1
    shape = _SHAPE.match(rust_type)
    if shape is None:
        return None
    width = int(shape[1]) // 8
    count = 1 if shape[2] is None else int(shape[2])
    return width * count, width


def _rename_const_helper(item: Item) -> None:
    """rust/Makefile's sed: `pub const RUST_CONST_HELPER_X` becomes `pub const X`."""
    if item.emitted and item.kind == "const" and item.rust_name and \
            item.rust_name.startswith(CONST_HELPER_PREFIX):
        item.rust_name = item.rust_name[len(CONST_HELPER_PREFIX):]


def _join_params(params: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for p in params:
        if out:
            out.append(",")
        out.append(p)
    return out


def member_names(members: list[Field]) -> list[str]:
    """Rust names of data members: unnamed ones count up as `__bindgen_anon_N`."""
    names: list[str] = []
    anon = 0
    for f in members:
        if f.name is None:
            anon += 1
            names.append(f"__bindgen_anon_{anon}")
        else:
            names.append(rust_mangle(f.name))
    return names


def _offset(rec: Record, f: Field) -> int | None:
    """A member's offset in bits; clang has none for an anonymous member without
    named fields, but every union member is at 0."""
    if f.offset_bits >= 0:
        return f.offset_bits
    return 0 if rec.kind == "union" else None


def _field_groups(fields: tuple[Field, ...]) -> list[Field | list[Field]]:
    """The fields in order, each run of adjacent bitfields as one list."""
    out: list[Field | list[Field]] = []
    for f in fields:
        if f.bit_width is None:
            out.append(f)
        elif out and isinstance(out[-1], list):
            out[-1].append(f)
        else:
            out.append([f])
    return out


def _bitfield_runs(fields: tuple[Field, ...]) -> list[list[Field]]:
    return [g for g in _field_groups(fields) if isinstance(g, list)]


__all__ = ["Predictor", "macro_const", "rust_float", "byte_string", "Array"]
