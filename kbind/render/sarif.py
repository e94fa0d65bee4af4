"""SARIF 2.1.0 for code scanning: stable ruleIds, fingerprints, relative locations.

Locations are relative to the kernel tree (or the working folder) and carry
`uriBaseId: SRCROOT`, so the same run on two machines gives the same file.
`partialFingerprints` hash the rule, the item and the message without the
line, so a result keeps its identity when code above it moves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from kbind.checks.catalog import CATALOG, rule_info
from kbind.report import Finding, Tools

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
BASE_ID = "SRCROOT"
FINGERPRINT = "kbindFinding/v1"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def _artifact(path: str) -> dict[str, Any]:
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": BASE_ID}


def _location(f: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(f.location.file)}
    if f.location.line > 0:
        region: dict[str, Any] = {"startLine": f.location.line}
        if f.location.column > 0:
            region["startColumn"] = f.location.column
        physical["region"] = region
    loc: dict[str, Any] = {"physicalLocation": physical}
    if f.item:
        loc["logicalLocations"] = [{"name": f.item}]
    return loc


def fingerprint(f: Finding) -> str:
    """Stable across line moves: rule, item and message, not the position."""
    key = "\0".join((f.rule, f.item or "", f.location.file, f.message))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _rule(rule_id: str) -> dict[str, Any]:
    info = rule_info(rule_id)
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("-")),
        "shortDescription": {"text": info.short},
        "fullDescription": {"text": info.help},
        "help": {"text": info.help},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"scope": info.scope},
    }


def sarif_document(findings: Sequence[Finding], version: str,
                   rule_ids: Iterable[str] = (), properties: dict[str, Any] | None = None,
                   tools: Tools | None = None) -> dict[str, Any]:
    """One run: every catalog rule of `rule_ids` (plus those used), then the results."""
    ids: list[str] = []
    for rid in list(rule_ids) + [f.rule for f in findings]:
        if rid not in ids:
            ids.append(rid)
    index = {rid: i for i, rid in enumerate(ids)}
    results = []
    for f in findings:
        results.append({
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVELS.get(f.severity, "note"),
            "message": {"text": f.message},
            "locations": [_location(f)],
            "partialFingerprints": {FINGERPRINT: fingerprint(f)},
        })
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "kbind", "version": version,
                            "rules": [_rule(rid) for rid in ids]}},
        "originalUriBaseIds": {BASE_ID: {"description": {
            "text": "the kernel tree kbind read (--kernel-tree), or the working folder"}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if tools is not None:
        _add_tools(run, tools)
    if properties:
        run["properties"] = properties
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _add_tools(run: dict[str, Any], tools: Tools) -> None:
    """The bindgen modelled and the libclang that parsed, as the driver's
    extensions; the kernel tree's release and config on the invocation."""
    driver = run["tool"]["driver"]
    driver["properties"] = {"bindgenModelled": tools.bindgen,
                            "bindgenSource": tools.bindgen_source}
    run["tool"]["extensions"] = [
        {"name": "bindgen", "version": tools.bindgen,
         "properties": {"role": "modelled: kbind predicts this release's output",
                        "source": tools.bindgen_source}},
        {"name": "libclang", "version": tools.libclang,
         "properties": {"role": "parsed the headers"}},
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if tools.kernel:
        invocation["properties"] = {"kernel": tools.kernel,
                                    "kernelConfig": tools.kernel_config}
    run["invocations"] = [invocation]


def render(findings: Sequence[Finding], version: str, rule_ids: Iterable[str] | None = None,
           properties: dict[str, Any] | None = None, tools: Tools | None = None) -> str:
    ids = [r.id for r in CATALOG] if rule_ids is None else rule_ids
    doc = sarif_document(findings, version, ids, properties, tools)
    return json.dumps(doc, indent=2) + "\n"
