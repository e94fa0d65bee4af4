"""What a look at inline function bodies tells: can a shim wrap the function?

`kbind.clang.bodies.BodyAnalyser` answers; `kbind.checks.wrappable` and the
helpers command ask, through `BodyFacts`, without importing clang.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

UNKNOWN, DYNAMIC = "unknown", "dynamic"  # argument values besides ints
ERROR_CALL, ASM_IMMEDIATE = "error-attribute call", "inline asm immediate"


@dataclass(frozen=True)
class NotWrappable:
    reason: str  # the rule's explanation
    where: str  # file:line of the offending call or asm
    kind: str = ERROR_CALL  # ERROR_CALL or ASM_IMMEDIATE


class BodyFacts(Protocol):
    def check(self, name: str, values: Sequence[object] | None = None
              ) -> NotWrappable | None:
        """None when a shim passing these values (unknown by default) compiles."""

    def is_error_function(self, name: str) -> bool:
        """A function declared with the error (or, under -Werror, warning) attribute."""
