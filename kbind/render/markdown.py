"""Markdown a reviewer can paste into a mail or a review: headings and tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kbind.report import Finding, Report, StructLayout


def cell(text: object) -> str:
    """A table cell: pipes escaped, one line."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(text: object) -> str:
    """Inline code; the fence grows when the text holds backticks."""
    s = str(text)
    fence = "``" if "`" in s else "`"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return out


def where(f: Finding) -> str:
    return f"{f.location.file}:{f.location.line}"


def rule_counts(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.rule, f.severity) for f in findings)
    rows = [(code(rule), sev, n) for (rule, sev), n in sorted(counts.items())]
    return table(["rule", "severity", "count"], rows)


def findings_table(findings: Sequence[Finding]) -> list[str]:
    rows = [(code(where(f)), f.severity, code(f.rule), code(f.item) if f.item else "",
             f.message) for f in findings]
    return table(["where", "severity", "rule", "item", "message"], rows)


def layout_section(layouts: Sequence[StructLayout], level: str = "##") -> list[str]:
    out: list[str] = []
    for lay in layouts:
        out += ["", f"{level} Layout of {lay.kind} {code(lay.name)}", "",
                f"{lay.summary()}.", ""]
        holes: dict[str | None, list[int]] = {}
        for h in lay.holes:
            holes.setdefault(h.after, []).append(h.size_bits)
        rows: list[tuple[object, ...]] = [("", "", "*hole*", "", _bits(b))
                                          for b in holes.get(None, [])]
        for m in lay.members:
            off = f"{m.offset_bits // 8}" + (f":{m.offset_bits % 8}" if m.bitfield else "")
            rows.append((off, _bits(m.size_bits), code(m.name), code(m.type), ""))
            rows += [("", "", "*hole*", "", _bits(b)) for b in holes.get(m.name, [])]
        if lay.padding_bits:
            rows.append(("", "", "*padding*", "", _bits(lay.padding_bits)))
        out += table(["offset", "size", "member", "Rust type", "wasted"], rows)
    return out


def _bits(bits: int) -> str:
    return f"{bits // 8} B" if bits % 8 == 0 else f"{bits} bits"


def render(report: Report) -> str:
    emitted = sum(1 for i in report.items if i.emitted)
    lines = [f"# kbind audit of {code(report.header)}", "",
             f"Profile **{report.profile}**, target **{report.target}**: "
             f"{len(report.items)} items, {emitted} emitted, {len(report.findings)} findings."]
    if report.tools is not None:
        lines += ["", f"Made by {report.tools.line()}."]
    if not report.complete:
        lines += ["", "**Incomplete:** clang reported errors; what parsed is shown."]
    if report.findings:
        lines += ["", "## Findings by rule", ""] + rule_counts(report.findings)
        lines += ["", "## Findings", ""] + findings_table(report.findings)
    lines += layout_section(report.layouts)
    return "\n".join(lines) + "\n"
