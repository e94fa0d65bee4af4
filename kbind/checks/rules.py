"""Audit rules: each turns report items into findings with a stable id."""

from __future__ import annotations

from kbind.ir import TranslationUnit
from kbind.report import Finding, Report


def run_rules(report: Report, tu: TranslationUnit) -> list[Finding]:
    findings: list[Finding] = []
    for item in report.items:
        if item.emitted or item.reason is None:
            continue
        findings.append(Finding("not-emitted", "note", f"{item.kind} `{item.name}`: "
                                f"{item.reason}", item.location, item.name))
    return findings
