"""Each hazard rule fires on its trigger fixture and not on its near miss.

The fixtures in headers/review/hazards/ are also checked against real
bindgen, and the pahole-style layouts against pahole itself.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from support import CLANG_ARGS, HEADERS, ROOT, describe, differential

import kbind
from kbind.checks.catalog import AUDIT_HAZARDS, CATALOG, REVIEW_HAZARDS
from kbind.checks.hazards import HAZARD_RULES, YIELDS

HAZARDS = HEADERS / "review" / "hazards"
ALL = [r.id for r in CATALOG]
# What each fixture needs beyond the defaults to show its rule.
EXTRA = {"opaque-type": {"bindgen_args": ["--opaque-type", "secret"]},
         "padding-hole": {"layouts": ["stats"]}}
RULES = sorted(p.stem for p in (HAZARDS / "trigger").glob("*.h"))


def _rules_in(header: Path, rule: str) -> set[str]:
    extra = dict(EXTRA.get(rule, {}))
    report = kbind.audit(str(header), CLANG_ARGS, hazards=ALL, root=str(ROOT), **extra)
    here = str(header.relative_to(ROOT))
    return {f.rule for f in report.findings if f.location.file == here}


def test_every_hazard_rule_has_both_fixtures() -> None:
    hazard_ids = {rid for key in HAZARD_RULES for rid in YIELDS.get(key, (key,))}
    expected = hazard_ids | {"padding-hole", "opaque-type"}
    assert set(RULES) == expected
    assert {p.stem for p in (HAZARDS / "clean").glob("*.h")} == expected
    assert set(AUDIT_HAZARDS) | set(REVIEW_HAZARDS) >= expected


@pytest.mark.parametrize("rule", RULES)
def test_hazard_fires_on_trigger(rule: str) -> None:
    assert rule in _rules_in(HAZARDS / "trigger" / f"{rule}.h", rule)


@pytest.mark.parametrize("rule", RULES)
def test_hazard_silent_on_near_miss(rule: str) -> None:
    assert rule not in _rules_in(HAZARDS / "clean" / f"{rule}.h", rule)


@pytest.mark.parametrize("header", sorted(HAZARDS.glob("*/*.h")), ids=lambda p: p.parent.name
                         + "/" + p.name)
def test_hazard_fixtures_agree_with_bindgen(header: Path) -> None:
    result = differential(str(header))
    assert not (result.differing or result.missing or result.extra), describe(result)


def test_audit_default_runs_only_audit_hazards() -> None:
    report = kbind.audit(str(HAZARDS / "trigger" / "union-type.h"), CLANG_ARGS)
    assert "union-type" not in {f.rule for f in report.findings}
    report = kbind.audit(str(HAZARDS / "trigger" / "packed-type.h"), CLANG_ARGS)
    assert "packed-type" in {f.rule for f in report.findings}


def test_layout_of_unknown_type_is_a_usage_error() -> None:
    with pytest.raises(kbind.errors.UsageError, match="no_such"):
        kbind.audit(str(HAZARDS / "trigger" / "padding-hole.h"), CLANG_ARGS,
                    layouts=["no_such"])


# -- layouts against pahole ----------------------------------------------------

PAHOLE_CASES = {  # header -> structs to compare
    HEADERS / "linux" / "records.h": ["plain", "with_bitfields", "packed_hdr", "with_anon",
                                      "holder_of_aligned", "with_flex", "outer", "keywords"],
    HAZARDS / "trigger" / "padding-hole.h": ["stats"],
    HAZARDS / "clean" / "padding-hole.h": ["stats"],
    HAZARDS / "trigger" / "bitfield.h": ["port_flags"],
    HEADERS / "review" / "subsys" / "ringbuf.h": ["ringbuf"],
}


def _pahole(obj: Path, name: str) -> dict[str, int]:
    text = subprocess.run(["pahole", "-C", name, str(obj)], check=True, capture_output=True,
                          text=True).stdout
    # The summary comments are the last ones; nested records print their own.
    tail = text[text.rindex("/* size:"):]

    def num(pattern: str) -> int:
        m = re.search(pattern, tail)
        return int(m.group(1)) if m else 0

    return {"size": num(r"size: (\d+)"), "members": num(r"members: (\d+)"),
            "byte_hole_bits": num(r"sum holes: (\d+)") * 8,
            "bit_hole_bits": num(r"sum bit holes: (\d+)"),
            "holes": num(r"[^t] holes: (\d+)") + num(r"bit holes: (\d+)"),
            "padding_bits": num(r"[^_]padding: (\d+)") * 8 + num(r"bit_padding: (\d+)")}


@pytest.mark.parametrize("header", list(PAHOLE_CASES), ids=lambda p: p.name)
def test_layouts_match_pahole(header: Path, tmp_path: Path) -> None:
    names = PAHOLE_CASES[header]
    src = tmp_path / "use.c"
    # Debug info only describes types the object uses: declare one of each.
    uses = "".join(f"struct {n} use_{n};\n" for n in names)
    src.write_text(f'#include "{header}"\n{uses}')
    obj = tmp_path / "use.o"
    subprocess.run(["clang", "-g", "-c", "--target=x86_64-linux-gnu", *CLANG_ARGS, str(src),
                    "-o", str(obj)], check=True)
    report = kbind.audit(str(header), CLANG_ARGS, layouts=names)
    for lay in report.layouts:
        theirs = _pahole(obj, lay.name)
        ours = {"size": lay.size, "members": len(lay.members),
                "byte_hole_bits": sum(h.size_bits for h in lay.holes if not h.in_bits),
                "bit_hole_bits": sum(h.size_bits for h in lay.holes if h.in_bits),
                "holes": len(lay.holes), "padding_bits": lay.padding_bits}
        assert ours == theirs, lay.name
