"""Which `#include <...>` a shim needs for the function it wraps.

The header that declares the function, spelled relative to the include
path it was found on (`include/linux/refcount.h` -> `<linux/refcount.h>`).
Internal headers are not included directly: `asm/` and `asm-generic/`
headers, and headers that `#error` when included on their own ("please
don't include this file directly"), are replaced by the header that
included them, walking up until a public one is found.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence

from kbind.ir import TranslationUnit

_INTERNAL_DIRS = ("asm/", "asm-generic/")
_GUARD_ERROR = re.compile(r"^\s*#\s*error\b.*\binclud", re.I | re.M)


class IncludeResolver:
    def __init__(self, tu: TranslationUnit, clang_args: Sequence[str], root: str | None,
                 ) -> None:
        self.tu = tu
        self.root = os.path.abspath(root or os.getcwd())
        self.search = sorted(_include_dirs(clang_args), key=len, reverse=True)
        self.main = os.path.normpath(tu.header)

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
        seen: set[str] = set()
        current = path
        while current not in seen:
            seen.add(current)
            spelled = self.spelling(current)
            parent = self.tu.included_from.get(current)
            usable_parent = parent is not None and parent.endswith(".h") and \
                self._abs(parent) != self._abs(self.main)
            if spelled is not None and not self._internal(current, spelled):
                return f"<{spelled}>"
            if not usable_parent:
                return f"<{spelled}>" if spelled else None
            current = parent  # type: ignore[assignment]
        return None

    def _internal(self, path: str, spelled: str) -> bool:
        return spelled.startswith(_INTERNAL_DIRS) or _guarded(self._abs(path))


@functools.lru_cache(maxsize=4096)
def _guarded(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return _GUARD_ERROR.search(fh.read()) is not None
    except OSError:
        return False


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
