"""`kbind diff`: what changed for Rust between two reports, and whether it breaks callers.

Exit codes follow abidiff's bits (see EXIT_* below), so CI can gate on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kbind.diff.compare import BREAKING, COMPATIBLE, Change, diff_items

DIFF_SCHEMA = "kbind-diff/1"
# abidiff's bit scheme.
EXIT_ERROR = 1  # bit 0: kbind could not run (bad input, libclang, output)
EXIT_USAGE = 2  # bit 1: usage error
EXIT_CHANGE = 4  # bit 2: the Rust-visible bindings changed
EXIT_INCOMPATIBLE = 8  # bit 3: some change breaks existing Rust callers


@dataclass
class DiffReport:
    old: dict[str, Any]  # source, header, profile, target, complete
    new: dict[str, Any]
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, COMPATIBLE: 0, BREAKING: 0}
        for c in self.changes:
            out[c.change] += 1
            out[c.severity] += 1
        return out

    def exit_code(self) -> int:
        code = 0
        if self.changes:
            code |= EXIT_CHANGE
        if any(c.severity == BREAKING for c in self.changes):
            code |= EXIT_INCOMPATIBLE
        return code

    def to_json(self) -> dict[str, Any]:
        return {"schema": DIFF_SCHEMA, "old": self.old, "new": self.new,
                "summary": self.counts(), "changes": [c.to_json() for c in self.changes]}


def _meta(report: dict[str, Any], source: str) -> dict[str, Any]:
    return {"source": source, "header": report.get("header"), "profile": report.get("profile"),
            "target": report.get("target"), "complete": report.get("complete", True),
            "tools": report.get("tools")}  # None for a kbind-report/1


def diff_reports(old: dict[str, Any], new: dict[str, Any], old_source: str = "old",
                 new_source: str = "new") -> DiffReport:
    """Diff two `kbind-report` documents (as loaded from JSON)."""
    return DiffReport(_meta(old, old_source), _meta(new, new_source),
                      diff_items(old["items"], new["items"]))


__all__ = ["DIFF_SCHEMA", "Change", "DiffReport", "diff_reports", "EXIT_ERROR", "EXIT_USAGE",
           "EXIT_CHANGE", "EXIT_INCOMPATIBLE"]
