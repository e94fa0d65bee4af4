"""Which `#include <...>` a shim needs for the function it wraps.

The header that declares the function, spelled relative to the include
path it was found on (`include/linux/refcount.h` -> `<linux/refcount.h>`).
Internal headers are not included directly: `asm/` and `asm-generic/`
headers, headers that `#error` when included on their own ("please
don't include this file directly") and headers without an include guard
(fragments meant to be pasted into another header) are replaced by the
header that included them, walking up until a public one is found.

A header may rely on its includer for the types in its prototypes (it is
not self-contained): the headers declaring those types are included too
when the function's header does not reach them itself.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence

from kbind.ir import Array, CType, FunctionType, Pointer, Ref, TranslationUnit

_INTERNAL_DIRS = ("asm/", "asm-generic/")
_GUARD_ERROR = re.compile(r"^\s*#\s*error\b.*\binclud", re.I | re.M)


class IncludeResolver:
    """`probe(spelling) -> bool` says whether `#include <spelling>` compiles on its
    own; a header that does not is replaced by its includer."""

    def __init__(self, tu: TranslationUnit, clang_args: Sequence[str], root: str | None,
                 probe: Callable[[str], bool] | None = None) -> None:
        self.probe = probe
        self.tu = tu
        self.root = os.path.abspath(root or os.getcwd())
        self.search = sorted(_include_dirs(clang_args), key=len, reverse=True)
        self.main = os.path.normpath(tu.header)
        self._reach: dict[str, set[str]] = {}

    def _abs(self, path: str) -> str:
        return os.path.normpath(os.path.join(self.root, path))

    def spelling(self, path: str) -> str | None:
        """`path` as an `#include <...>` spelling, if it is on the include path."""
        full = self._abs(path)
        for d in self.search:
            if full.startswith(d + os.sep):
                return full[len(d) + 1:]
        return None

    def include_for(self, path: str) -> str | None:
        """The `<...>` header to include for a declaration in `path`."""
        found = self._public(path)
        return None if found is None else f"<{found[1]}>"

    def _public(self, path: str) -> tuple[str, str] | None:
        """(file, spelling) of the public header that brings in `path`."""
        seen: set[str] = set()
        current = path
        while current not in seen:
            seen.add(current)
            spelled = self.spelling(current)
            parent = self.tu.included_from.get(current)
            usable_parent = parent is not None and parent.endswith(".h") and \
                self._abs(parent) != self._abs(self.main)
            if spelled is not None and not self._internal(current, spelled) and (
                    self.probe is None or not usable_parent or self.probe(spelled)):
                return current, spelled
            if not usable_parent:
                return (current, spelled) if spelled else None
            current = parent  # type: ignore[assignment]
        return None

    def _internal(self, path: str, spelled: str) -> bool:
        return spelled.startswith(_INTERNAL_DIRS) or _internal_text(self._abs(path))

    def includes_for(self, path: str, types: Sequence[CType],
                     uses: Sequence[str] = ()) -> list[str]:
        """The includes for a function declared in `path` with these types; `uses`
        are files declaring what a macro's expansion needs (its callee...)."""
        out: list[str] = []
        own = self._public(path)
        if own:
            out.append(f"<{own[1]}>")
        reach = self._reachable(own[0] if own else path)
        for file in sorted(self._type_files(types) | set(uses)):
            if file not in reach and self._abs(file) != self._abs(self.main):
                inc = self.include_for(file)
                if inc and inc not in out:
                    out.append(inc)
        return out

    def _reachable(self, path: str) -> set[str]:
        """Files `path` includes, directly or not (as IR paths)."""
        cached = self._reach.get(path)
        if cached is None:
            cached, todo = {path}, [path]
            while todo:
                for nxt in self._edges(todo.pop()):
                    if nxt not in cached:
                        cached.add(nxt)
                        todo.append(nxt)
            self._reach[path] = cached
        return cached

    def _edges(self, path: str) -> list[str]:
        """What `path` includes: clang's record, plus its `#include` lines, since
        clang does not record a re-inclusion its include guard skipped."""
        edges = list(self.tu.includes.get(path, ()))
        full = self._abs(path)
        for quoted, name in _include_lines(full):
            dirs = ([os.path.dirname(full)] if quoted else []) + self.search
            for d in dirs:
                candidate = os.path.join(d, name)
                if os.path.isfile(candidate):
                    edges.append(self._ir_path(candidate))
                    break
        return edges

    def _ir_path(self, full: str) -> str:
        rel = os.path.relpath(full, self.root)
        return os.path.normpath(full) if rel.startswith("..") else rel

    def _type_files(self, types: Sequence[CType]) -> set[str]:
        files: set[str] = set()
        todo = list(types)
        while todo:
            t = todo.pop()
            if isinstance(t, Pointer):
                todo.append(t.pointee)
            elif isinstance(t, Array):
                todo.append(t.element)
            elif isinstance(t, FunctionType):
                todo.append(t.ret)
                todo.extend(p.type for p in t.params)
            elif isinstance(t, Ref):
                decl = self.tu.resolve(t.decl_id)
                if decl is not None and decl.location.file != "<builtin>":
                    files.add(decl.location.file)
        return files


_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_DIRECTIVE = re.compile(r"^\s*#\s*(\w+)\s*(.*?)\s*$", re.M)


@functools.lru_cache(maxsize=4096)
def _internal_text(path: str) -> bool:
    """True for a header that refuses direct inclusion or has no include guard."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return False
    if _GUARD_ERROR.search(text):
        return True
    directives = _DIRECTIVE.findall(_COMMENTS.sub("", text))[:2]
    if not directives:
        return True
    if directives[0] == ("pragma", "once"):
        return False
    if len(directives) < 2 or directives[1][0] != "define":
        return True
    kind, cond = directives[0]
    guard = directives[1][1].split()[0] if directives[1][1] else ""
    if kind == "ifndef":
        return cond != guard
    if kind == "if":
        return cond.replace(" ", "") not in (f"!defined({guard})", f"!defined{guard}")
    return True


_INCLUDE_LINE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


@functools.lru_cache(maxsize=8192)
def _include_lines(path: str) -> tuple[tuple[bool, str], ...]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return ()
    return tuple((m.group(1) == '"', m.group(2)) for m in _INCLUDE_LINE.finditer(text))


def _include_dirs(args: Sequence[str]) -> list[str]:
    dirs: list[str] = []
    it = iter(args)
    for arg in it:
        if arg in ("-I", "-isystem", "-iquote"):
            value = next(it, None)
        elif arg.startswith("-I"):
            value = arg[2:]
        elif arg.startswith("-isystem"):
            value = arg[len("-isystem"):]
        else:
            continue
        if value:
            dirs.append(os.path.normpath(os.path.abspath(value)))
    return dirs
