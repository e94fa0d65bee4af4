"""kbind: predict and audit the Rust bindings bindgen generates for the kernel.

    import kbind
    report = kbind.audit("headers/bindings_helper.h", profile="kernel")
    for item in report.items: ...

The libclang-backed entry points are imported lazily, so `import kbind`
works (and the CLI can report a clear error) even where libclang is missing.
"""

from __future__ import annotations

from typing import Any

from kbind.errors import KbindError
from kbind.report import SCHEMA, Finding, Item, Report
from kbind.version import __version__

_LAZY = {"audit", "parse", "helper_stub"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from kbind import api

        return getattr(api, name)
    raise AttributeError(f"module 'kbind' has no attribute {name!r}")


__all__ = ["SCHEMA", "Finding", "Item", "KbindError", "Report", "audit", "helper_stub", "parse",
           "__version__"]
