"""The versioned JSON contract (`kbind-report/1`): stable order, deterministic."""

from __future__ import annotations

import json

from kbind.report import Report


def render(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, sort_keys=False) + "\n"
