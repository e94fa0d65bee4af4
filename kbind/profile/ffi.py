"""The two type-mapping profiles: the kernel's `ffi` crate and stock `core::ffi`."""

from __future__ import annotations

from dataclasses import dataclass

from kbind.errors import UsageError
from kbind.profile.targets import Target

# C builtin -> the ffi alias bindgen writes (prefix added by the profile).
FFI_ALIAS = {
    "char": "c_char", "schar": "c_schar", "uchar": "c_uchar",
    "short": "c_short", "ushort": "c_ushort", "int": "c_int", "uint": "c_uint",
    "long": "c_long", "ulong": "c_ulong", "longlong": "c_longlong",
    "ulonglong": "c_ulonglong", "void": "c_void",
}
# C builtins bindgen writes as Rust primitives directly.
DIRECT = {"bool": "bool", "int128": "i128", "uint128": "u128",
          "float": "f32", "double": "f64", "float16": "u16", "float128": "u128"}


@dataclass(frozen=True)
class Profile:
    name: str  # "kernel" | "stock"
    prefix: str  # what --ctypes-prefix gives: "ffi" or "core::ffi"
    target: Target

    def spell(self, builtin: str) -> str:
        """How bindgen spells a C builtin type."""
        if builtin in FFI_ALIAS:
            return f"{self.prefix}::{FFI_ALIAS[builtin]}"
        if builtin == "longdouble":
            return self.target.long_double
        return DIRECT[builtin]

    def resolve(self, builtin: str) -> str:
        """The Rust primitive a C builtin resolves to under this profile."""
        if builtin == "void":
            return "core::ffi::c_void"
        if builtin == "longdouble":
            return self.target.long_double
        if builtin in DIRECT:
            return DIRECT[builtin]
        t = self.target
        if self.name == "kernel":
            table = {"char": "u8", "long": "isize", "ulong": "usize"}
        else:
            lw = t.long_bits
            table = {"char": "i8" if t.char_signed else "u8", "long": f"i{lw}", "ulong": f"u{lw}"}
        table.update({"schar": "i8", "uchar": "u8", "short": "i16", "ushort": "u16",
                      "int": "i32", "uint": "u32", "longlong": "i64", "ulonglong": "u64"})
        return table[builtin]


PROFILES = ("kernel", "stock")


def get_profile(name: str, target: Target) -> Profile:
    if name == "kernel":
        return Profile("kernel", "ffi", target)
    if name == "stock":
        return Profile("stock", "core::ffi", target)
    raise UsageError(f"unknown profile '{name}'; choose one of: {', '.join(PROFILES)}")
