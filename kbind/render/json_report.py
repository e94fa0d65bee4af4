"""The versioned JSON contract (`kbind-report/1`): stable order, deterministic."""

from __future__ import annotations

import orjson

from kbind.report import Report


def render(report: Report) -> str:
    # orjson writes the same text as json.dumps(indent=2, ensure_ascii=False)
    # about ten times faster; the kernel report is 22 MB.
    return orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
