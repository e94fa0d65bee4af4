"""Read a tree's rust/helpers: each `rust_helper_X` shim, what it uses, its errors.

The helpers are parsed the way the kernel builds them (helpers.c, which
`#include`s every subsystem file), with function bodies, so a shim whose
body no longer compiles is seen. Functions and macros are lowered to IR
only when a check looks them up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from kbind.clang import _compat
from kbind.clang._compat import cindex
from kbind.clang.lower import Lowerer, decl_id
from kbind.clang.parse import build_args
from kbind.errors import InputError
from kbind.ir import Function, Location, Macro
from kbind.ir.helpers import HelperDef, HelpersTree

PREFIX = "rust_helper_"
T = TypeVar("T")
CK = cindex.CursorKind
_OPTIONS = cindex.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
_CK_MACRO_DEFINITION = CK.MACRO_DEFINITION.value
_CK_MACRO_INSTANTIATION = CK.MACRO_INSTANTIATION.value
_CK_FUNCTION_DECL = CK.FUNCTION_DECL.value
_CK_ENUM_DECL = CK.ENUM_DECL.value
_KNOWN_KINDS = {CK.VAR_DECL.value, CK.TYPEDEF_DECL.value}
_HELPER_C_FLAGS = ("-Wno-missing-prototypes", "-Wno-missing-declarations")


class _Lazy(Mapping[str, T]):
    """Declarations by name, lowered to IR only when looked up: the helpers' TU
    holds some 30,000 of them and a check needs a few dozen."""

    def __init__(self, cursors: dict[str, cindex.Cursor],
                 lower: Callable[[cindex.Cursor], T]) -> None:
        self._cursors = cursors
        self._lower = lower
        self._done: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        if name not in self._done:
            self._done[name] = self._lower(self._cursors[name])
        return self._done[name]

    def __contains__(self, name: object) -> bool:
        return name in self._cursors

    def __iter__(self) -> Iterator[str]:
        return iter(self._cursors)

    def __len__(self) -> int:
        return len(self._cursors)


def read_helpers(folder: str, clang_args: Sequence[str], triple: str,
                 root: str | None = None) -> HelpersTree:
    """Parse `folder`/helpers.c (or every *.c there) and describe its shims."""
    if not os.path.isdir(folder):
        raise InputError(f"{folder}: no such folder; give the tree's rust/helpers")
    main = os.path.join(folder, "helpers.c")
    sources = sorted(f for f in os.listdir(folder) if f.endswith(".c"))
    unsaved = []
    if not os.path.exists(main):
        # Without helpers.c, build one the way the kernel's does.
        main = os.path.join(folder, "kbind-all-helpers.c")
        unsaved = [(main, "".join(f'#include "{f}"\n' for f in sources))]
    args = build_args(main, [*clang_args, f"-I{os.path.dirname(os.path.abspath(folder))}",
                             *_HELPER_C_FLAGS], triple)
    index = cindex.Index.create()
    try:
        tu = index.parse(main, args=args, unsaved_files=unsaved, options=_OPTIONS)
    except cindex.TranslationUnitLoadError as exc:
        raise InputError(f"{main}: clang could not load it ({exc})") from None
    lowerer = Lowerer(tu, main, triple, root)
    out = HelpersTree(folder)
    defs: list[cindex.Cursor] = []
    expansions: dict[str, list[tuple[int, str]]] = {}
    functions: dict[str, cindex.Cursor] = {}
    macros: dict[str, cindex.Cursor] = {}
    for cursor in _compat.children(tu.cursor):
        kind = cursor._kind_id
        if kind == _CK_MACRO_DEFINITION:
            if _compat.location(cursor)[0] is not None:
                macros[_compat.spelling(cursor)] = cursor  # the last definition is in force
        elif kind == _CK_MACRO_INSTANTIATION:
            handle, line = _compat.location(cursor)[:2]
            if handle is not None:
                expansions.setdefault(lowerer._file(handle), []).append(
                    (line, _compat.spelling(cursor)))
        elif kind == _CK_FUNCTION_DECL:
            name = _compat.spelling(cursor)
            if not name.startswith(PREFIX):
                functions.setdefault(name, cursor)
            elif cursor.is_definition():
                defs.append(cursor)
        elif kind == _CK_ENUM_DECL:
            where = lowerer._location(cursor).file
            out.known.update((_compat.spelling(c), where) for c in _compat.children(cursor))
        elif kind in _KNOWN_KINDS:
            out.known[_compat.spelling(cursor)] = lowerer._location(cursor).file
    out.functions = _Lazy(functions, lambda c: _lowered_function(lowerer, c))
    out.macros = _Lazy(macros, lambda c: _lowered_macro(lowerer, c))
    errors = [d for d in tu.diagnostics if d.severity >= cindex.Diagnostic.Error]
    claimed: set[int] = set()
    for cursor in defs:
        ext = cursor.extent
        fname = ext.start.file.name if ext.start.file else ""
        lines = range(ext.start.line, ext.end.line + 1)
        uses = {name for line, name in expansions.get(fname, []) if line in lines}
        uses |= {c.spelling for c in cursor.walk_preorder()
                 if c.kind in (CK.CALL_EXPR, CK.DECL_REF_EXPR) and c.spelling}
        mine = [i for i, d in enumerate(errors) if d.location.file is not None
                and d.location.file.name == fname and d.location.line in lines]
        claimed.update(mine)
        lowerer._function(cursor, None)
        fn = lowerer.out.by_id[cursor.get_usr()]
        assert isinstance(fn, Function)
        out.helpers.append(HelperDef(cursor.spelling[len(PREFIX):], fn, frozenset(uses),
                                     tuple(_format(errors[i]) for i in mine)))
    lowerer.record_includes()
    out.errors = [_format(d) for i, d in enumerate(errors) if i not in claimed]
    if out.errors:
        # Outside any shim (a missing header, bad flags): clang may have stopped
        # early, so no shim can be judged.
        more = f" (and {len(out.errors) - 1} more)" if len(out.errors) > 1 else ""
        raise InputError(f"{out.errors[0]}{more}; rust/helpers does not compile with these "
                         "flags: fix the include path or the helper files")
    out.tu = lowerer.out
    out.read_files = sorted({os.path.abspath(inc.include.name) for inc in tu.get_includes()}
                            | {os.path.abspath(folder)}
                            | {os.path.join(os.path.abspath(folder), f) for f in sources})
    del index
    return out


def _lowered_function(lowerer: Lowerer, cursor: cindex.Cursor) -> Function:
    lowerer._function(cursor, None)
    found = lowerer.out.by_id[decl_id(cursor)]
    assert isinstance(found, Function)
    return found


def _lowered_macro(lowerer: Lowerer, cursor: cindex.Cursor) -> Macro:
    before = len(lowerer.out.decls)
    lowerer._macro(cursor, None)
    found = lowerer.out.decls[-1] if len(lowerer.out.decls) > before else None
    if not isinstance(found, Macro):
        raise KeyError(cursor.spelling)  # a builtin macro: nothing to lower
    return found



def _format(diag: cindex.Diagnostic) -> str:
    loc = diag.location
    where = f"{loc.file.name}:{loc.line}:{loc.column}" if loc.file else "<command line>"
    return f"{where}: error: {diag.spelling}"


__all__ = ["HelperDef", "HelpersTree", "Location", "read_helpers"]
