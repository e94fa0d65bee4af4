"""Profiles and type spelling on hand-built IR (no clang)."""

from __future__ import annotations

import pytest

from kbind.ir import (
    Array,
    Builtin,
    FunctionType,
    Location,
    Param,
    Pointer,
    Ref,
    TranslationUnit,
    Typedef,
)
from kbind.predict.items import Predictor
from kbind.profile.ffi import get_profile
from kbind.profile.targets import get_target

LOC = Location("x.h", 1, 1)


def tu_with(*decls: Typedef) -> TranslationUnit:
    tu = TranslationUnit("x.h", "x86_64-linux-gnu")
    for d in decls:
        tu.add(d)
    return tu


@pytest.mark.parametrize(("builtin", "kernel", "stock_x86", "stock_arm64", "stock_arm"), [
    ("char", "u8", "i8", "u8", "u8"),
    ("schar", "i8", "i8", "i8", "i8"),
    ("uchar", "u8", "u8", "u8", "u8"),
    ("long", "isize", "i64", "i64", "i32"),
    ("ulong", "usize", "u64", "u64", "u32"),
    ("longlong", "i64", "i64", "i64", "i64"),
    ("int", "i32", "i32", "i32", "i32"),
    ("bool", "bool", "bool", "bool", "bool"),
])
def test_resolution_per_profile_and_target(builtin: str, kernel: str, stock_x86: str,
                                           stock_arm64: str, stock_arm: str) -> None:
    assert get_profile("kernel", get_target("x86_64")).resolve(builtin) == kernel
    assert get_profile("stock", get_target("x86_64")).resolve(builtin) == stock_x86
    assert get_profile("stock", get_target("arm64")).resolve(builtin) == stock_arm64
    assert get_profile("stock", get_target("arm")).resolve(builtin) == stock_arm


def test_spelling_uses_the_profile_prefix() -> None:
    assert get_profile("kernel", get_target(None)).spell("ulong") == "ffi::c_ulong"
    assert get_profile("stock", get_target(None)).spell("ulong") == "core::ffi::c_ulong"


def _mapper(tu: TranslationUnit, profile: str = "kernel") -> Predictor:
    return Predictor(tu, get_profile(profile, get_target(None)))


def test_typedef_chain_is_kept_and_resolved() -> None:
    u8_inner = Typedef("t1", "__u8", Builtin("uchar"), LOC)
    u8 = Typedef("t2", "u8", Ref("typedef", "t1"), LOC)
    p = _mapper(tu_with(u8_inner, u8))
    typed = p.typed(Pointer(Ref("typedef", "t2", const=True)))
    assert (typed.type, typed.resolved) == ("*const u8_", "*const u8")


def test_function_pointer_and_params() -> None:
    fn = FunctionType(Builtin("int"), (Param(None, Pointer(Builtin("char"))),
                                       Param("type", Builtin("long"))), variadic=True)
    typed = _mapper(tu_with()).typed(Pointer(fn))
    assert typed.type == ('::core::option::Option<unsafe extern "C" fn(arg1: *mut ffi::c_char, '
                          'type_: ffi::c_long, ...) -> ffi::c_int>')
    assert "arg1: *mut u8, type_: isize" in typed.resolved


def test_arrays_and_void() -> None:
    p = _mapper(tu_with())
    assert p.typed(Array(Builtin("ulonglong"), 4)).type == "[ffi::c_ulonglong; 4usize]"
    assert p.typed(Pointer(Builtin("void", const=True))).resolved == "*const core::ffi::c_void"
    assert p.mapper.spell(Array(Builtin("int"), None), "field") == \
        "__IncompleteArrayField<ffi::c_int>"
    assert p.mapper.spell(Array(Builtin("int", const=True), 3), "param") == "*const ffi::c_int"


def test_stdint_names_become_primitives() -> None:
    uintptr = Typedef("t", "uintptr_t", Builtin("ulong"), LOC)
    p = _mapper(tu_with(uintptr), "stock")
    assert p.typed(Ref("typedef", "t")).type == "usize"
    assert not p.typedef(uintptr).emitted
