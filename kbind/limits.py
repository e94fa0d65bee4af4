"""Interpreter settings for one audit: recursion depth and the garbage collector.

Deeply nested declarations: recurse deep enough, and fail in one line beyond.

kbind's type walks recurse once per declarator level. bindgen 0.60 handles
1,000 levels of pointers (and crashes near 2,000), so kbind must handle at
least that. From Python 3.11 on, Python-to-Python calls do not use the C
stack, so a high limit is safe there; 3.10 gets a limit its C stack survives.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kbind.errors import InputError

FRAMES = 200_000 if sys.version_info >= (3, 11) else 8_000


@contextmanager
def deep_recursion(header: str) -> Iterator[None]:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, FRAMES))
    try:
        yield
    except RecursionError:
        raise InputError(f"{header}: declarations nested too deeply for kbind "
                         f"(over {FRAMES:,} levels of calls); simplify them") from None
    finally:
        sys.setrecursionlimit(old)


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Switch the cyclic garbage collector off for one audit.

    An audit builds a few million objects that live until it ends, and the IR
    has almost no reference cycles, so each full collection walks the whole
    heap for nothing: on the kernel that was a fifth of the run. Reference
    counting still frees everything; the collector's state is restored after.
    With `freeze` (the command line, which exits next) what was built moves to
    the permanent generation first, or the first allocation after re-enabling
    would start a full collection over it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
