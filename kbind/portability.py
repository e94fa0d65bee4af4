"""`kbind portability`: items whose Rust type or layout is not the same on every target.

The first target is the reference; every other target's report is compared
with it by `kbind.diff` (same identity and rules). Differences of spelling
only (a typedef chain that resolves to the same Rust type) are not
portability problems and are left out; an item missing on some target is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kbind.checks.catalog import rule_info
from kbind.diff.compare import diff_items
from kbind.errors import UsageError
from kbind.ir import Location
from kbind.report import Finding, Report
from kbind.request import AuditRequest
from kbind.runner import AuditJob, run_audits
from kbind.sources import Common, header_job, load_report_json, tree_job

PORTABILITY_SCHEMA = "kbind-portability/1"
RULE = "target-dependent-layout"
DEFAULT_TARGETS = ("x86_64", "arm64", "riscv64", "arm")
_COSMETIC = (" spelled ", " renamed ", " (generated)")
# diff's notes on how Rust holds a type matter for compatibility, not here.
_HOLD_NOTES = (" (only used through pointers)", " (held by value elsewhere)",
               " (the type is held by value elsewhere)")


def _plain(detail: str) -> str:
    for note in _HOLD_NOTES:
        detail = detail.replace(note, "")
    return detail


@dataclass
class TargetDifference:
    kind: str
    name: str
    location: dict[str, Any] | None
    # target triple -> what differs from the reference target there
    differences: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "location": self.location,
                "differences": self.differences}


@dataclass
class PortabilityReport:
    targets: list[str]
    sources: list[str]
    compared: int  # items of the reference target Rust sees
    items: list[TargetDifference] = field(default_factory=list)
    tools: dict[str, Any] | None = None  # the reference report's tool versions (JSON)

    def to_json(self) -> dict[str, Any]:
        return {"schema": PORTABILITY_SCHEMA, "reference": self.targets[0],
                "targets": self.targets, "sources": self.sources,
                "compared": self.compared, "differing": len(self.items),
                "tools": self.tools,
                "items": [i.to_json() for i in self.items]}


def compare_reports(reports: Sequence[dict[str, Any]], labels: Sequence[str]
                    ) -> list[TargetDifference]:
    """Items that differ between reports[0] and any other report."""
    found: dict[tuple[str, str], TargetDifference] = {}
    base = reports[0]["items"]
    for report, label in zip(reports[1:], labels[1:], strict=True):
        for c in diff_items(base, report["items"]):
            details = [_plain(d) for d in c.details if not any(k in d for k in _COSMETIC)]
            if c.change == "changed" and not details:
                continue
            if c.change == "added":
                details = [f"only here, not on {labels[0]}"] + details
            elif c.change == "removed":
                details = [f"missing here, present on {labels[0]}"] + details
            entry = found.setdefault((c.kind, c.name), TargetDifference(c.kind, c.name,
                                                                         c.location))
            entry.differences[label] = details
    return [found[k] for k in sorted(found)]


def portability(sources: list[str], trees: list[str], targets: list[str], common: Common,
                jobs: int | None = None) -> PortabilityReport:
    work: list[AuditJob | dict[str, Any]] = []
    for tree in trees:
        work.append(tree_job(tree, common))
    for src in sources:
        if os.path.isdir(src):
            work.append(tree_job(src, common))
        elif src.endswith(".json"):
            work.append(load_report_json(src))
        else:
            for t in targets or DEFAULT_TARGETS:
                work.append(header_job(src, common, t, label=f"{src} [{t}]"))
    if len(work) < 2:
        raise UsageError("kbind portability: give a header (audited for each --target), or "
                         "two or more kernel trees or saved reports")
    audits = iter(run_audits([w for w in work if isinstance(w, AuditJob)], jobs))
    reports = [next(audits).to_json() if isinstance(w, AuditJob) else w for w in work]
    labels = [r["target"] for r in reports]
    if len(set(labels)) != len(labels):
        labels = [f"{r['target']} ({i + 1})" for i, r in enumerate(reports)]
    compared = sum(1 for i in reports[0]["items"] if i.get("emitted"))
    names = [w.meta.get("source", w.request.header) if isinstance(w, AuditJob)
             else w.get("header", "")
             for w in work]
    return PortabilityReport(labels, names, compared, compare_reports(reports, labels),
                             tools=reports[0].get("tools"))


def add_target_findings(report: Report, request: AuditRequest, others: Sequence[str],
                        jobs: int | None = None) -> None:
    """`audit --target A --target B...`: append a target-dependent-layout finding
    to `report` (`request`, audited for A) for each item that differs on B....
    The other targets are audited as `request` is (same bindgen release and
    options) without its hazards, layouts, helpers and Rust checks."""
    work = [AuditJob(label=f"{request.header} [{t}]", request=request.with_(
        target=t, hazards=(), layouts=(), helpers_dir=None, kernel_tree=None,
        check_bodies=False)) for t in others]
    docs = [report.to_json()] + [r.to_json() for r in run_audits(work, jobs)]
    labels = [d["target"] for d in docs]
    report.findings += [as_finding(d, labels[0]) for d in compare_reports(docs, labels)]


def as_finding(d: TargetDifference, reference: str) -> Finding:
    """A difference as a `target-dependent-layout` finding against `reference`."""
    loc = d.location or {"file": "", "line": 0, "column": 0}
    parts = [f"{t}: {'; '.join(ds)}" for t, ds in d.differences.items()]
    return Finding(RULE, rule_info(RULE).severity,
                   f"{d.kind} `{d.name}` differs from {reference}: " + " | ".join(parts),
                   Location(loc["file"], loc["line"], loc["column"]), d.name)
