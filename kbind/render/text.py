"""Compiler-style text: `file:line:col: severity: message [rule]`, one line each."""

from __future__ import annotations

from kbind.report import Finding, Item, Report


def rust_decl(item: Item) -> str:
    """The item as bindgen writes it, on one line."""
    name = item.rust_name
    if item.kind == "function":
        params = [f"{p.name}: {p.type}" for p in item.params]
        if item.variadic:
            params.append("...")
        ret = f" -> {item.ret.type}" if item.ret else ""
        return f"pub fn {name}({', '.join(params)}){ret};"
    if item.kind in ("struct", "union"):
        fields = ", ".join(f"{f.name}: {f.type}" for f in item.fields)
        body = f"{{ {fields} }}" if fields else "{}"
        # A union bindgen cannot make a Rust union is a struct of __BindgenUnionField.
        keyword = "struct" if item.kind == "union" and not item.rust_union else item.kind
        return f"pub {keyword} {name} {body}"
    if item.kind == "enum":
        return f"pub type {name} = {item.type}; ({len(item.constants)} consts)"
    if item.kind == "typedef":
        return f"pub type {name} = {item.type};"
    if item.kind == "var":
        return f"pub static {'mut ' if item.mutable else ''}{name}: {item.type};"
    return f"pub const {name}: {item.type} = {item.rust_value};"


def _where(loc: object) -> str:
    return f"{loc.file}:{loc.line}:{loc.column}"  # type: ignore[attr-defined]


def item_line(item: Item) -> str:
    if item.emitted:
        resolved = ""
        if item.kind in ("typedef", "var", "const") and item.resolved and \
                item.resolved != item.type:
            resolved = f" [= {item.resolved}]"
        return f"{_where(item.location)}: note: {rust_decl(item)}{resolved}"
    return f"{_where(item.location)}: note: {item.kind} `{item.name}` not emitted: {item.reason}"


def finding_line(f: Finding) -> str:
    return f"{_where(f.location)}: {f.severity}: {f.message} [{f.rule}]"


def render(report: Report, show_items: bool = True) -> str:
    lines: list[str] = [report.tools.line()] if report.tools else []
    if show_items:
        # Items bindgen skips are told by their finding; list what Rust sees.
        lines.extend(item_line(i) for i in report.items if i.emitted)
    lines.extend(finding_line(f) for f in report.findings)
    if report.layouts:
        from kbind.render.layout_text import render_layouts

        lines.extend(render_layouts(report.layouts))
    emitted = sum(1 for i in report.items if i.emitted)
    status = "" if report.complete else " (INCOMPLETE: clang reported errors)"
    lines.append(f"kbind: {len(report.items)} items, {emitted} emitted, "
                 f"{len(report.findings)} findings{status}")
    return "\n".join(lines) + "\n"
