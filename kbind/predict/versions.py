"""Which bindgen kbind predicts, and what that version does differently.

Every version-dependent rule is one property of `Behaviour`, switched in this
one place and citing the bindgen release and source it follows (read at the
tags of rust-lang/rust-bindgen; docs/bindgen-versions.md says which ones are
proven against a real binary here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kbind.errors import UsageError


@dataclass(frozen=True, order=True)
class BindgenVersion:
    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> BindgenVersion:
        """`0.71.1`, `0.71` or `bindgen 0.71.1` (what `bindgen --version` prints)."""
        found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
        if found is None:
            raise UsageError(f"--bindgen-version: {text!r} is not a version; give one of "
                             f"{', '.join(MODELLED)}")
        return cls(int(found[1]), int(found[2]), int(found[3] or 0))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


# The releases kbind models: Debian 12's, the 6.12 minimum, 0.69.x, Debian 13's
# and Debian unstable's.
MODELLED = ("0.60.1", "0.65.1", "0.69.5", "0.71.1", "0.72.1")
OLDEST = BindgenVersion.parse(MODELLED[0])
NEWEST = BindgenVersion.parse(MODELLED[-1])
DEFAULT = OLDEST  # what kbind predicts when no bindgen, tree or flag says otherwise


def release(text: str) -> BindgenVersion:
    """The release `text` names: `0.71` is the modelled 0.71.x (0.71.1), a full
    `0.71.0` is itself; checked against what kbind models."""
    version = BindgenVersion.parse(text)
    if re.search(r"\d+\.\d+\.\d+", text) is None:
        for known in MODELLED:
            candidate = BindgenVersion.parse(known)
            if (candidate.major, candidate.minor) == (version.major, version.minor):
                return candidate
    return checked(version)


def checked(version: BindgenVersion) -> BindgenVersion:
    if version < OLDEST:
        raise UsageError(f"bindgen {version} is older than any kbind models (the oldest is "
                         f"{OLDEST}, Debian 12's); upgrade bindgen or pass --bindgen-version")
    if (version.major, version.minor) > (NEWEST.major, NEWEST.minor):
        raise UsageError(f"bindgen {version} is newer than any kbind models (the newest is "
                         f"{NEWEST}); pass --bindgen-version {NEWEST} to predict that one")
    return version


@dataclass(frozen=True)
class Behaviour:
    """What the bindgen of `version` does, given the command's own options."""

    version: BindgenVersion
    size_t_option: bool | None = None  # --size_t-is-usize / --no-size_t-is-usize, if given

    @property
    def size_t_is_usize(self) -> bool:
        """`size_t`/`ssize_t` are `usize`/`isize` and their typedefs are not
        emitted. Default from 0.61.0 (CHANGELOG 0.61.0: "The --size_t-is-usize
        flag is enabled by default"; bindgen/ir/context.rs `is_stdint_type`,
        codegen `type_from_named`); before, only with `--size_t-is-usize`
        (Linux 6.1's rust/Makefile passes it)."""
        if self.size_t_option is not None:
            return self.size_t_option
        return self.version >= BindgenVersion(0, 61, 0)

    @property
    def byte_string_length_suffix(self) -> str:
        """The suffix of a byte-string constant's length: `&[u8; 14usize]` up to
        0.65, `&[u8; 14]` from 0.66.0 (codegen/mod.rs builds the length with
        `Literal::usize_unsuffixed` there)."""
        return "usize" if self.version < BindgenVersion(0, 66, 0) else ""

    @property
    def const_incomplete_array_is_immutable(self) -> bool:
        """`extern const T x[]` is `pub static` (not `static mut`) from 0.61.0
        (CHANGELOG 0.61.0, Fixed: "Const correctness of incomplete arrays has
        been fixed (#2301)")."""
        return self.version >= BindgenVersion(0, 61, 0)

    @property
    def ffi_safe_opaque_types(self) -> bool:
        """A type bindgen can only copy as bytes (arm64's `va_list`, `_Atomic`...)
        is `__BindgenOpaqueArray<T, N>` from 0.71.0 (CHANGELOG 0.71.0, Fixed:
        "Represent opaque types in a FFI-safe way (#2880)"; codegen/helpers.rs
        `blob(.., ffi_safe: true)` from `ToOpaque`); a record's own blob and its
        padding stay `[T; N]`."""
        return self.version >= BindgenVersion(0, 71, 0)

    @property
    def array_const_correct(self) -> bool:
        """Arrays are as const as their elements, and `const T_arr x` (a const
        typedef of an array) has const elements: a variable's pointer to an
        array of const elements is `*const`, and a `const row_t` parameter decays
        to `*const T`. In 0.60 both are `*mut`; in 0.71.1 and 0.72.1 both are
        `*const` (proven by the fixture differential). Switched at 0.61.0, whose
        CHANGELOG fixes "const correctness of incomplete arrays (#2301)"; the
        release between 0.61 and 0.71 where it changed is not proven here."""
        return self.version >= BindgenVersion(0, 61, 0)

    @property
    def tracker_0693(self) -> bool:
        """From 0.69.3 bindgen's StructLayoutTracker (codegen/struct_layout.rs)
        counts bitfield units in `max_field_align` (so a bitfield-only struct no
        longer gets `#[repr(align)]`), and pads a packed record's fields to
        min(field alignment, record alignment) rather than to the record's."""
        return self.version >= BindgenVersion(0, 69, 3)

    def returns_never(self, noreturn: str | None) -> bool:
        """`-> !` for a function whose type spelling says noreturn, with
        --enable-function-attribute-detection (the kernel passes it). From 0.61.0
        (CHANGELOG 0.61.0; ir/function.rs `ty.spelling().contains(...)`, anywhere
        in the spelling); from 0.69.3 only outside parentheses (ir/function.rs
        `match_indices` at depth 0). C11 `_Noreturn` (an attribute cursor bindgen
        finds by its tokens) is not modelled yet."""
        if noreturn is None or self.version < BindgenVersion(0, 61, 0):
            return False
        return noreturn == "top" or self.version < BindgenVersion(0, 69, 3)
