"""A saved report's `tools` object (JSON) back as the line and record renderers use."""

from __future__ import annotations

from typing import Any

from kbind.report import Tools


def tools_of(data: dict[str, Any] | None) -> Tools | None:
    return None if not data else Tools.from_json(data)


def tools_line(data: dict[str, Any] | None) -> str:
    tools = tools_of(data)
    return tools.line() if tools else "tool versions unknown (a kbind-report/1)"
