"""One registry of rules, machine reason codes (issue 14, points 2 and 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kbind
from kbind.checks import catalog
from kbind.report import Code

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ROOT / "headers"
PARAMETERS = HEADERS / "bindgen_parameters"
# Every fixture header, audited with every optional check on.
FIXTURES = sorted({*HEADERS.glob("*.h"), *HEADERS.glob("*/*.h"), *HEADERS.glob("review/*/*.h"),
                   HEADERS / "helpers" / "bindings_helper.h"})
_EMITTED_ID = re.compile(
    r"""(?:Finding\(\s*|\bRULE\s*=\s*|\brule\s*=\s*)"([a-z][a-z0-9-]+)\"""")


def _audit(header: Path) -> kbind.Report:
    from kbind.kernel.bindgen_parameters import read_bindgen_parameters

    return kbind.audit(str(header), ["-nostdinc", f"-I{HEADERS}", f"-I{header.parent}"],
                       bindgen_args=read_bindgen_parameters(PARAMETERS).argv,
                       keep_going=True, root=str(ROOT), hazards=[r.id for r in catalog.CATALOG],
                       helpers_dir=str(HEADERS / "helpers"), check_bodies=True)


@pytest.fixture(scope="module")
def reports() -> list[kbind.Report]:
    return [_audit(h) for h in FIXTURES]


def test_every_emitted_rule_is_registered(reports: list[kbind.Report]) -> None:
    emitted = {f.rule for r in reports for f in r.findings}
    assert emitted, "the fixtures produced no findings"
    assert emitted - catalog.BY_ID.keys() == set()


def test_every_rule_id_in_the_source_is_registered() -> None:
    """Also the rules no fixture triggers: every literal id a Finding is made with."""
    found: set[str] = set()
    for path in (ROOT / "kbind").rglob("*.py"):
        found |= set(_EMITTED_ID.findall(path.read_text()))
    found -= {"note", "warning", "error"}
    assert len(found) >= 20, sorted(found)
    from kbind.checks.hazards import HAZARD_RULES, YIELDS

    found |= set(HAZARD_RULES) | {rid for ids in YIELDS.values() for rid in ids}
    assert found - catalog.BY_ID.keys() == set()


def test_unregistered_rule_is_an_error_not_a_generic_entry() -> None:
    with pytest.raises(KeyError):
        catalog.rule_info("no-such-rule")


def test_registry_ids_are_unique_and_documented() -> None:
    rules = catalog.CATALOG + catalog.CHECKS + catalog.DIFF_RULES
    assert len({r.id for r in rules}) == len(rules)
    for r in rules:
        assert r.severity in ("note", "warning", "error") and len(r.help) > 40, r.id


def test_readme_table_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text()
    assert catalog.with_readme_table(readme) == readme, "run scripts/rules-table"


def test_sarif_rule_metadata_comes_from_the_registry(reports: list[kbind.Report]) -> None:
    import json

    from kbind.render import sarif

    findings = [f for r in reports for f in r.findings]
    doc = json.loads(sarif.render(findings, "test"))
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        info = catalog.BY_ID[rule["id"]]
        assert rule["shortDescription"]["text"] == info.short
        assert rule["defaultConfiguration"]["level"] == sarif.LEVELS[info.severity]


def test_every_reason_has_a_code_and_every_code_a_reason(reports: list[kbind.Report]) -> None:
    codes = {v for k, v in vars(Code).items() if k.isupper()}
    seen: set[str] = set()
    for report in reports:
        for item in report.items:
            assert (item.reason is None) == (item.code is None), (item.name, item.reason)
            if item.code is not None:
                assert item.code in codes
                seen.add(item.code)
            if not item.emitted:
                assert item.code is not None, item.name
    assert len(seen) >= 10, seen


def test_rules_follow_codes_not_wording(reports: list[kbind.Report]) -> None:
    """Rewording a reason changes no rule: the findings of an item whose prose is
    replaced stay what they were."""
    from dataclasses import replace

    from kbind.checks.rules import RULES

    for report in reports[:5]:
        for item in report.items:
            before = [(f.rule, f.severity) for rule in RULES if (f := rule(item)) is not None]
            reworded = replace(item, reason=None if item.reason is None else "reworded")
            after = [(f.rule, f.severity) for rule in RULES if (f := rule(reworded)) is not None]
            assert before == after, item.name
