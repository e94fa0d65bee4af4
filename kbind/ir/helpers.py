"""What a tree's rust/helpers holds: each `rust_helper_X` shim, lowered.

Filled by `kbind.clang.helpers_tu`; read by `kbind.checks.helpers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kbind.ir.decls import Function, Macro, TranslationUnit


@dataclass(frozen=True)
class HelperDef:
    """One `rust_helper_<name>` definition."""

    name: str  # without the prefix
    function: Function  # the shim itself, lowered
    uses: frozenset[str]  # functions called, variables and macros used in its body
    errors: tuple[str, ...]  # clang errors inside its body


@dataclass
class HelpersTree:
    folder: str
    helpers: list[HelperDef] = field(default_factory=list)
    tu: TranslationUnit | None = None  # what has been lowered so far
    errors: list[str] = field(default_factory=list)  # errors outside any shim
    # Lookups for kbind.generate.shims.HelperIndex, lowered on demand.
    functions: Mapping[str, Function] = field(default_factory=dict)
    macros: Mapping[str, Macro] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)  # enumerators, vars, types -> file
    # Absolute paths of every file the shims' parse read, and the folder (whose
    # listing changes when a shim file is added): what a cached answer depends on.
    read_files: list[str] = field(default_factory=list)
