"""Plan and write rust/helpers shims in kernel style.

A shim is planned from the IR (`plan`): an inline function keeps its own
signature; a function-like macro gets the signature `macro_sig` infers, or
an `#error` stub when there is none. The C is built as a pycparser AST and
printed by its generator, then re-indented with tabs and wrapped the way
kernel C is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kbind.generate import c_nodes
from kbind.generate.cdecl import Declarators, Unspellable
from kbind.generate.macro_sig import MacroSignature, NoSignature, infer
from kbind.ir import (
    Builtin,
    CType,
    Enum,
    Function,
    FunctionType,
    Macro,
    Param,
    TranslationUnit,
    Typedef,
    Var,
)
from kbind.profile.mapping import param_names

PREFIX = "rust_helper_"
SPDX = "// SPDX-License-Identifier: GPL-2.0"
WIDTH = 80


@dataclass(frozen=True)
class Shim:
    """A shim kbind can write: `rust_helper_<name>(params)` calling `name`."""

    name: str
    kind: str  # "inline" | "macro" | "function"
    ret: CType
    params: tuple[Param, ...]
    header: str  # the file that declares `name` (as in the IR)
    via: str | None = None  # for a macro: the function it forwards to
    signature: MacroSignature | None = None  # for a macro: how it was inferred


@dataclass(frozen=True)
class Refusal:
    """No shim can be generated: why, and whether an `#error` stub stands in."""

    name: str
    kind: str
    reason: str
    rule: str  # the audit rule id reporting it
    header: str | None = None
    stub: bool = False  # True: write an #error stub so the gap cannot be missed


class HelperIndex:
    """Name lookups over one translation unit, built once for many plans."""

    def __init__(self, tu: TranslationUnit, functions: Mapping[str, Function] | None = None,
                 macros: Mapping[str, Macro] | None = None,
                 known: Mapping[str, str] | None = None) -> None:
        """The lookups come from `tu.decls` unless given (lazily lowered ones)."""
        self.tu = tu
        self.declarators = Declarators(tu)
        # Why a signature cannot be written in C (None: it can), by its types:
        # thousands of inline functions share a few hundred signatures.
        self._unspellable: dict[tuple[CType, tuple[CType, ...]], str | None] = {}
        if functions is not None and macros is not None and known is not None:
            self.functions, self.macros, self.known = functions, macros, known
            return
        found_functions: dict[str, Function] = {}
        found_macros: dict[str, Macro] = {}
        # Names a macro's constant arguments may use besides macros and functions.
        found_known: dict[str, str] = {}  # name -> the file declaring it
        for decl in tu.decls:
            if isinstance(decl, Function):
                found_functions.setdefault(decl.name, decl)
            elif isinstance(decl, Macro):
                found_macros[decl.name] = decl  # the last definition is in force
            elif isinstance(decl, Enum):
                found_known.update((c.name, decl.location.file) for c in decl.constants)
            elif isinstance(decl, (Var, Typedef)):
                found_known[decl.name] = decl.location.file
        self.functions, self.macros, self.known = found_functions, found_macros, found_known

    def plan(self, name: str) -> Shim | Refusal:
        macro = self.macros.get(name)
        fn = self.functions.get(name)
        if macro is not None and macro.function_like:
            planned = self._plan_macro(macro)
            # A macro shadowing a function of the same name: the prototype is the API.
            if isinstance(planned, Shim) or fn is None:
                return planned
        if fn is None:
            raise KeyError(name)
        kind = "inline" if fn.inline else "function"
        ftype = fn.type
        if not isinstance(ftype, FunctionType) or not ftype.has_prototype:
            return Refusal(name, kind, "it has no prototype kbind can copy",
                           "inline-unshimmable", fn.location.file)
        if ftype.variadic:
            return Refusal(name, kind, "it is variadic: a shim cannot forward `...`",
                           "inline-unshimmable", fn.location.file)
        return self._checked(Shim(name, kind, ftype.ret, _named(ftype.params),
                                  fn.location.file))

    def _plan_macro(self, macro: Macro) -> Shim | Refusal:
        sig = infer(macro, self.macros, self.functions, self.known)
        if isinstance(sig, NoSignature):
            return Refusal(macro.name, "macro", f"kbind cannot infer its C signature: "
                           f"{sig.reason}", "macro-needs-helper", macro.location.file,
                           stub=True)
        assert isinstance(sig, MacroSignature)
        return self._checked(Shim(macro.name, "macro", sig.ret, _named(sig.params),
                                  macro.location.file, sig.callee, sig))

    def _checked(self, shim: Shim) -> Shim | Refusal:
        key = (shim.ret, tuple(p.type for p in shim.params))
        if key not in self._unspellable:
            try:
                self.declarators.function(PREFIX + shim.name, shim.ret, shim.params)
                self._unspellable[key] = None
            except Unspellable as exc:
                self._unspellable[key] = str(exc)
        why = self._unspellable[key]
        if why is not None:
            return Refusal(shim.name, shim.kind, why, "inline-unshimmable", shim.header)
        return shim

    # -- C text -------------------------------------------------------------

    def function_text(self, shim: Shim) -> str:
        decl = self.declarators.function(PREFIX + shim.name, shim.ret, shim.params)
        call = c_nodes.call(shim.name, [p.name or "" for p in shim.params])
        void = isinstance(shim.ret, Builtin) and shim.ret.name == "void"
        stmt = call if void else c_nodes.returning(call)
        text = c_nodes.to_c(c_nodes.function_definition(decl, [stmt]))
        return kernel_style(text)


def error_stub(name: str) -> str:
    """A stub that stops the build until someone chooses the types."""
    return (f'#error "kbind: cannot infer the C signature of macro {name}; '
            'choose the types by hand"\n')


def _named(params: tuple[Param, ...]) -> tuple[Param, ...]:
    """Unnamed parameters get bindgen's own names (`arg1`, counting only the
    unnamed ones), so the Rust signature of the shim is the original's."""
    names = param_names(params, lambda name: name)
    return tuple(Param(name, p.type) for name, p in zip(names, params, strict=True))


_INDENT = re.compile(r"^((?:  )+)", re.M)
_STAR_QUAL = re.compile(r"\* (const|volatile)\b")


def kernel_style(text: str) -> str:
    """Tabs for pycparser's two-space indent, `*const`, long signatures wrapped."""
    text = _INDENT.sub(lambda m: "\t" * (len(m.group(1)) // 2), text)
    text = _STAR_QUAL.sub(r"*\1", text)
    lines = text.rstrip("\n").split("\n")
    return "\n".join(_wrap(lines[0]) + lines[1:]) + "\n"


def _wrap(line: str) -> list[str]:
    if len(line) <= WIDTH:
        return [line]
    start = line.find(PREFIX)
    open_at = line.find("(", start) if start >= 0 else -1
    if open_at < 0:
        return [line]
    col = open_at + 1
    indent = "\t" * (col // 8) + " " * (col % 8)
    pieces = _top_level_pieces(line[col:])
    out = [line[:col]]
    for piece in pieces:
        candidate = out[-1] + piece
        if len(candidate.expandtabs(8)) > WIDTH and out[-1].strip() and \
                not out[-1].endswith("("):
            out[-1] = out[-1].rstrip()
            out.append(indent + piece.lstrip())
        else:
            out[-1] = candidate
    return out


def _top_level_pieces(text: str) -> list[str]:
    """Split after each comma at parenthesis depth 0, keeping the commas."""
    pieces, depth, cur = [], 0, ""
    for ch in text:
        cur += ch
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            pieces.append(cur)
            cur = ""
    pieces.append(cur)
    return pieces
