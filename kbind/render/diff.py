"""Renderings of a `kbind diff`: compiler-style text, JSON, Markdown, SARIF."""

from __future__ import annotations

import json

from kbind.checks.catalog import DIFF_RULES
from kbind.diff import DiffReport
from kbind.diff.compare import Change
from kbind.ir import Location
from kbind.render import markdown as md
from kbind.render import sarif
from kbind.render.tools import tools_line, tools_of
from kbind.report import Finding

_SEVERITY = {"compatible": "note", "breaking": "error"}


def rule_of(c: Change) -> str:
    if c.change == "added":
        return "item-added"
    if c.change == "removed":
        return "item-removed"
    return f"item-changed-{c.severity}"


def as_finding(c: Change) -> Finding:
    loc = c.location or {"file": "", "line": 0, "column": 0}
    what = {"added": "added", "removed": "removed", "changed": "changed"}[c.change]
    detail = f": {'; '.join(c.details)}" if c.details else ""
    return Finding(rule_of(c), _SEVERITY[c.severity],
                   f"{c.kind} `{c.name}` {what} ({c.severity}){detail}",
                   Location(loc["file"], loc["line"], loc["column"]), c.name)


def summary(report: DiffReport) -> str:
    n = report.counts()
    return (f"kbind diff: {n['added']} added, {n['removed']} removed, {n['changed']} changed "
            f"({n['compatible']} compatible, {n['breaking']} breaking)")


def text(report: DiffReport) -> str:
    lines = [f"{side}: {_side_text(meta)}" for side, meta in
             (("old", report.old), ("new", report.new)) if meta.get("tools")]
    for c in report.changes:
        f = as_finding(c)
        where = f"{f.location.file}:{f.location.line}:{f.location.column}" if f.location.file \
            else "<report>"
        lines.append(f"{where}: {f.severity}: {f.message} [{f.rule}]")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def to_json(report: DiffReport) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"


def _side(meta: dict) -> str:
    return f"{md.code(meta['source'])} ({_settings(meta)})"


def _settings(meta: dict) -> str:
    tools = meta.get("tools")
    bindgen = f", bindgen {tools['bindgen']}" if tools else ""
    return f"{meta.get('profile')}, {meta.get('target')}{bindgen}"


def _side_text(meta: dict) -> str:
    return f"{meta['source']} ({meta.get('profile')}, {meta.get('target')}): " + \
        tools_line(meta["tools"])


def markdown(report: DiffReport) -> str:
    n = report.counts()
    lines = ["# kbind diff", "",
             f"Old: {_side(report.old)}  ", f"New: {_side(report.new)}", "",
             f"{n['added']} added, {n['removed']} removed, {n['changed']} changed: "
             f"**{n['breaking']} breaking**, {n['compatible']} compatible."]
    if report.changes:
        from collections import Counter

        counts = Counter((c.kind, c.change, c.severity) for c in report.changes)
        lines += ["", "| kind | change | class | count |", "|---|---|---|---|"]
        lines += [f"| {k} | {ch} | {sev} | {n} |" for (k, ch, sev), n in sorted(counts.items())]
    for sev in ("breaking", "compatible"):
        rows = [(c.change, c.kind, md.code(c.name), "; ".join(c.details))
                for c in report.changes if c.severity == sev]
        if rows:
            lines += ["", f"## {sev.capitalize()} changes", ""]
            lines += md.table(["change", "kind", "item", "details"], rows)
    return "\n".join(lines) + "\n"


def to_sarif(report: DiffReport, version: str) -> str:
    findings = [as_finding(c) for c in report.changes]
    props = {"old": report.old, "new": report.new, "summary": report.counts()}
    return sarif.render(findings, version, [r.id for r in DIFF_RULES if r.scope == "diff"],
                        props, tools=tools_of(report.new.get("tools")))


def render(report: DiffReport, fmt: str, version: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "markdown":
        return markdown(report)
    if fmt == "sarif":
        return to_sarif(report, version)
    return text(report)
