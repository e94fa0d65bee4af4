"""Renderings of `kbind portability`: text, JSON, Markdown, SARIF."""

from __future__ import annotations

import json

from kbind.portability import RULE, PortabilityReport, as_finding
from kbind.render import markdown as md
from kbind.render import sarif
from kbind.render.tools import tools_line, tools_of


def summary(report: PortabilityReport) -> str:
    return (f"kbind portability: {len(report.items)} of {report.compared} items differ across "
            f"{', '.join(report.targets)} (reference {report.targets[0]})")


def text(report: PortabilityReport) -> str:
    lines = [tools_line(report.tools)] if report.tools else []
    for d in report.items:
        f = as_finding(d, report.targets[0])
        lines.append(f"{f.location.file}:{f.location.line}:{f.location.column}: "
                     f"{f.severity}: {f.message} [{f.rule}]")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def markdown(report: PortabilityReport) -> str:
    others = report.targets[1:]
    lines = ["# kbind portability", "",
             f"Reference **{report.targets[0]}**, compared with {', '.join(others)}: "
             f"{len(report.items)} of {report.compared} items differ.", ""]
    rows = [(d.kind, md.code(d.name),
             *("; ".join(d.differences.get(t, [])) or "same" for t in others))
            for d in report.items]
    lines += md.table(["kind", "item", *others], rows)
    return "\n".join(lines) + "\n"


def render(report: PortabilityReport, fmt: str, version: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2) + "\n"
    if fmt == "markdown":
        return markdown(report)
    if fmt == "sarif":
        findings = [as_finding(d, report.targets[0]) for d in report.items]
        return sarif.render(findings, version, [RULE], {"targets": report.targets},
                            tools=tools_of(report.tools))
    return text(report)
