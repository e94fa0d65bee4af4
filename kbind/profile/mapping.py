"""How bindgen spells a C type, and what that spelling resolves to.

`TypeMapper.spell` gives bindgen's text (`*const ffi::c_char`, `u8_`);
`TypeMapper.resolve` gives the same type with every typedef and ffi alias
replaced by what it means under the profile (`*const u8`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kbind.ir import (
    Array,
    Builtin,
    CType,
    Enum,
    FunctionType,
    Opaque,
    Param,
    Pointer,
    Ref,
    TranslationUnit,
    Typedef,
    Unsupported,
)
from kbind.ir.ctypes import with_const
from kbind.profile.blob import blob
from kbind.profile.ffi import Profile

# Where a type appears changes bindgen's spelling of arrays.
FIELD, PARAM, OTHER = "field", "param", "other"
# A variable's own type: bindgen reads the pointers reached from it through
# arrays only with their written qualifiers, so `extern const int (*v)[3]` is
# `*mut [c_int; 3]`; any other pointer to an array of const elements is `*const`.
VAR = "var"

OPTION_FN = "::core::option::Option<unsafe extern \"C\" fn({params}){ret}>"


@dataclass(frozen=True)
class Naming:
    """What the mapper needs to know about declared names."""

    type_name: Callable[[str], str]  # decl id -> Rust name bindgen uses for it
    named_primitive: Callable[[str], str | None]  # typedef decl id -> primitive or None
    param_name: Callable[[str], str]  # C param name -> Rust identifier
    # An opaque type is an FFI-safe `__BindgenOpaqueArray` (bindgen >= 0.71).
    ffi_safe_opaque: bool = False
    # Arrays are as const as their elements, and a const-qualified typedef of an
    # array makes its elements const (bindgen >= 0.61: kbind.predict.versions).
    array_const_correct: bool = False


_Memo = dict[tuple[int, str], tuple[CType, str]]


def _memo(table: _Memo, t: CType, role: str, compute: Callable[[CType, str], str]) -> str:
    # Lowering shares one object per distinct C type, so identity finds
    # repeats; the entry holds `t` so its id cannot be reused meanwhile.
    key = (id(t), role)
    hit = table.get(key)
    if hit is None:
        hit = table[key] = (t, compute(t, role))
    return hit[1]


class TypeMapper:
    def __init__(self, tu: TranslationUnit, profile: Profile, naming: Naming) -> None:
        self.tu = tu
        self.profile = profile
        self.naming = naming
        self._resolved_cache: dict[str, str] = {}
        self._spelled: _Memo = {}
        self._resolved: _Memo = {}

    # -- bindgen's spelling -------------------------------------------------

    def spell(self, t: CType, role: str = OTHER) -> str:
        return _memo(self._spelled, t, role, self._spell)

    def _spell(self, t: CType, role: str) -> str:
        if role == PARAM:
            t = self._decay(t)
        if isinstance(t, Builtin):
            return self.profile.spell(t.name)
        if isinstance(t, Pointer):
            return self._spell_pointer(t, self.spell, written_const=self._written(role))
        if isinstance(t, Array):
            return self._spell_array(t, role, self.spell)
        if isinstance(t, FunctionType):
            return self._spell_fn(t, self.spell)
        if isinstance(t, Ref):
            if t.kind == "typedef":
                prim = self.naming.named_primitive(t.decl_id)
                if prim is not None:
                    return prim
            return self.naming.type_name(t.decl_id)
        return self._unsupported(t)

    def _written(self, role: str) -> bool:
        # bindgen 0.60 reads only the const written on a variable's own pointee.
        return role == VAR and not self.naming.array_const_correct

    def _spell_pointer(self, t: Pointer, recurse: Callable[[CType, str], str],
                       void: str | None = None, written_const: bool = False) -> str:
        pointee = t.pointee
        if isinstance(self.strip_typedefs(pointee), FunctionType):
            return recurse(pointee, OTHER)
        if isinstance(pointee, Builtin) and pointee.name == "void":
            inner = void or f"{self.profile.prefix}::c_void"
        else:
            inner = recurse(pointee, OTHER)
        const = pointee.const if written_const else _is_const(pointee)
        return f"*{'const' if const else 'mut'} {inner}"

    def _spell_array(self, t: Array, role: str, recurse: Callable[[CType, str], str]) -> str:
        elem = recurse(t.element, VAR if role == VAR else OTHER)
        if role == FIELD and not t.size:
            return f"__IncompleteArrayField<{elem}>"
        return f"[{elem}; {t.size or 0}usize]"

    def _spell_fn(self, t: FunctionType, recurse: Callable[[CType, str], str]) -> str:
        names = param_names(t.params, self.naming.param_name)
        params = [f"{name}: {recurse(p.type, PARAM)}"
                  for name, p in zip(names, t.params, strict=True)]
        if t.variadic:
            params.append("...")
        ret = self._ret(t.ret, recurse)
        return OPTION_FN.format(params=", ".join(params), ret=f" -> {ret}" if ret else "")

    def _ret(self, t: CType, recurse: Callable[[CType, str], str]) -> str | None:
        if isinstance(t, Builtin) and t.name == "void":
            return None
        return recurse(t, OTHER)

    def return_type(self, t: CType) -> str | None:
        return self._ret(t, self.spell)

    def resolved_return(self, t: CType) -> str | None:
        return self._ret(t, self.resolve)

    def _unsupported(self, t: CType) -> str:
        if isinstance(t, Opaque):
            return blob(t.size, t.align, self.naming.ffi_safe_opaque)
        assert isinstance(t, Unsupported)
        return f"/* {t.spelling} */"

    # -- resolution to primitives ------------------------------------------

    def resolve(self, t: CType, role: str = OTHER) -> str:
        return _memo(self._resolved, t, role, self._resolve)

    def _resolve(self, t: CType, role: str) -> str:
        if role == PARAM:
            t = self._decay(t)
        if isinstance(t, Builtin):
            return self.profile.resolve(t.name)
        if isinstance(t, Pointer):
            return self._spell_pointer(t, self.resolve, void="core::ffi::c_void",
                                       written_const=self._written(role))
        if isinstance(t, Array):
            return self._spell_array(t, role, self.resolve)
        if isinstance(t, FunctionType):
            return self._spell_fn(t, self.resolve)
        if isinstance(t, Ref):
            return self._resolve_ref(t)
        return self._unsupported(t)

    def _resolve_ref(self, t: Ref) -> str:
        cached = self._resolved_cache.get(t.decl_id)
        if cached is not None:
            return cached
        decl = self.tu.resolve(t.decl_id)
        prim = self.naming.named_primitive(t.decl_id) if t.kind == "typedef" else None
        if prim is not None:
            result = prim
        elif isinstance(decl, Typedef):
            result = self.resolve(decl.underlying)
        elif isinstance(decl, Enum):
            result = self.resolve(decl.int_type)
        else:  # a record (or anything else) is named, not expanded
            result = self.naming.type_name(t.decl_id)
        self._resolved_cache[t.decl_id] = result
        return result

    # -- queries ------------------------------------------------------------

    def _decay(self, t: CType) -> CType:
        """C adjusts array parameters (typedef'd ones too) to pointers."""
        base = self.strip_typedefs(t)
        if isinstance(base, Array):
            elem = base.element
            if _is_const(elem) or (t.const and self.naming.array_const_correct):
                elem = with_const(elem)
            return Pointer(elem, t.const)
        return t

    def strip_typedefs(self, t: CType) -> CType:
        """The type behind any typedef chain (for layout and kind questions)."""
        seen = 0
        while isinstance(t, Ref) and t.kind == "typedef" and seen < 64:
            decl = self.tu.resolve(t.decl_id)
            if not isinstance(decl, Typedef):
                break
            t = decl.underlying
            seen += 1
        return t


def _is_const(t: CType) -> bool:
    """bindgen's Type::is_const: a sized array of const elements counts as const."""
    if isinstance(t, Array) and t.size is not None and not t.const:
        return t.element.const
    return t.const


def param_names(params: tuple[Param, ...], mangle: Callable[[str], str]) -> list[str]:
    """bindgen's parameter names: unnamed ones count up on their own (`arg1`...)."""
    names: list[str] = []
    unnamed = 0
    for p in params:
        if p.name:
            names.append(mangle(p.name))
        else:
            unnamed += 1
            names.append(f"arg{unnamed}")
    return names
