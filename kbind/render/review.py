"""Renderings of `kbind review`: text, JSON (`kbind-review/1`), Markdown, SARIF."""

from __future__ import annotations

import json

from kbind.render import markdown as md
from kbind.render import sarif
from kbind.render.layout_text import render_layouts
from kbind.render.text import finding_line, item_line, rust_decl
from kbind.review import HeaderReview, ReviewReport

ITEM_LIMIT = 50


def _headline(h: HeaderReview) -> str:
    n = h.counts()
    if not any(n.values()):
        return "nothing new: the base already brings everything this header declares"
    return (f"{n['items']} new items Rust sees, {n['not_emitted']} not emitted; "
            f"{n['helpers']} helpers and {n['const_helpers']} const helpers owed; "
            f"{n['hazards']} hazards")


def text(report: ReviewReport, all_items: bool = False) -> str:
    lines: list[str] = [report.tools.line()] if report.tools else []
    for h in report.headers:
        lines.append(f"== {h.header} (#include {h.include}): {_headline(h)}")
        shown = h.items if all_items else h.items[:ITEM_LIMIT]
        lines.extend(item_line(i) for i in shown)
        if len(shown) < len(h.items):
            lines.append(f"... {len(h.items) - len(shown)} more items (--all-items, or "
                         "--format json/markdown)")
        lines.extend(finding_line(f) for f in h.findings())
        lines.extend(render_layouts(h.layouts))
    base = report.tree or report.base or "nothing"
    lines.append(f"kbind review: {len(report.headers)} headers against {base} "
                 f"({report.base_items} items already there), {report.profile}, "
                 f"{', '.join(report.targets)}")
    return "\n".join(lines) + "\n"


def markdown(report: ReviewReport) -> str:
    base = md.code(report.tree or report.base or "(none)")
    lines = ["# kbind review", "",
             f"Base {base} ({report.base_items} items already known); profile "
             f"**{report.profile}**, target **{', '.join(report.targets)}**."]
    for h in report.headers:
        lines += ["", f"## {md.code(h.header)}", "", _headline(h) + "."]
        if h.items:
            lines += ["", "### New items", ""]
            rows = [(i.kind, md.code(i.rust_name), md.code(rust_decl(i)),
                     md.code(f"{i.location.file}:{i.location.line}")) for i in h.items]
            lines += md.table(["kind", "Rust name", "Rust", "from"], rows)
        for title, findings in (("Helpers owed (rust/helpers)", h.helpers),
                                ("Const helpers owed (RUST_CONST_HELPER_)", h.const_helpers),
                                ("Hazards", h.hazards), ("Not emitted", h.dropped)):
            if findings:
                lines += ["", f"### {title}", ""] + md.findings_table(findings)
        lines += md.layout_section(h.layouts, "###")
    return "\n".join(lines) + "\n"


def render(report: ReviewReport, fmt: str, version: str, all_items: bool = False) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2) + "\n"
    if fmt == "markdown":
        return markdown(report)
    if fmt == "sarif":
        # A dependency two headers share brings the same findings twice: once is enough.
        findings = list(dict.fromkeys(f for h in report.headers for f in h.findings()))
        return sarif.render(findings, version, None,
                            {"headers": [h.header for h in report.headers],
                             "targets": report.targets, "profile": report.profile},
                            tools=report.tools)
    return text(report, all_items)
