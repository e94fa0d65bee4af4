"""Does a header compile on its own? The test that picks a shim's #include.

Many kernel headers rely on what their includer brought in first
(`atomic-instrumented.h` on `atomic.h`, `bit_spinlock.h` on `cpu_relax`):
a shim file that includes one of them alone does not compile. libclang
parses a one-line file `#include <H>` with the tree's flags and function
bodies; any error means "not self-contained".
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from kbind.clang._compat import cindex
from kbind.clang.parse import build_args


class HeaderProbe:
    def __init__(self, clang_args: Sequence[str], triple: str, folder: str) -> None:
        self.folder = os.path.abspath(folder)
        self.args = build_args(os.path.join(self.folder, "kbind-probe.c"), list(clang_args),
                               triple)
        self.index = cindex.Index.create()
        self._known: dict[str, bool] = {}

    def compiles(self, spelling: str) -> bool:
        known = self._known.get(spelling)
        if known is None:
            name = os.path.join(self.folder, "kbind-probe.c")
            tu = self.index.parse(name, args=self.args,
                                  unsaved_files=[(name, f"#include <{spelling}>\n")])
            known = not any(d.severity >= cindex.Diagnostic.Error for d in tu.diagnostics)
            self._known[spelling] = known
        return known
