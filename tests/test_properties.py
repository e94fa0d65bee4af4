"""Property tests on random C declarations (issue 8), against real bindgen and rustc.

Profiles: `ci` (the default: a fixed seed, a few hundred declarations per
property) and `long` (HYPOTHESIS_PROFILE=long: random seeds, many more).
A counterexample is a kbind bug: fix the rule, then keep the header in
headers/regressions/ (tests/test_differential.py checks every one).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import c_strategies as cs
import jsonschema
from conftest import describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kbind
from kbind.render import json_report
from kbind.report import Report
from kbind.verify.compare import Comparison, compare, flatten_bindgen, flatten_report
from kbind.verify.real_bindgen import run_bindgen
from kbind.verify.rust_reader import read_bindings

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("long", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCHEMA = Path(kbind.__file__).parent / "schema" / "report.schema.json"
TARGETS = ["x86_64-linux-gnu", "aarch64-linux-gnu", "riscv64-linux-gnu", "arm-linux-gnueabi"]
CLANG_ARGS = ["-nostdinc"]


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def audit_text(text: str, target: str = TARGETS[0], profile: str = "kernel") -> Report:
    with tempfile.TemporaryDirectory(prefix="kbind-prop-") as tmp:
        header = Path(tmp) / "random.h"
        header.write_text(text)
        return kbind.audit(str(header), CLANG_ARGS, profile=profile, target=target,
                           root=tmp)


def bindgen_text(text: str, target: str) -> str:
    with tempfile.TemporaryDirectory(prefix="kbind-prop-") as tmp:
        header = Path(tmp) / "random.h"
        header.write_text(text)
        return run_bindgen(header, [*CLANG_ARGS, f"--target={target}"]).text


def differential(text: str, target: str) -> tuple[Report, str, Comparison]:
    report = audit_text(text, target)
    rust = bindgen_text(text, target)
    result = compare(flatten_report(report), flatten_bindgen(read_bindings(rust)))
    return report, rust, result


def without_locations(report: Report) -> list[str]:
    """Items and findings as JSON lines, minus where they are: order-free."""
    out = []
    for entry in report.to_json()["items"] + report.to_json()["findings"]:
        entry = dict(entry)
        entry.pop("location")
        out.append(json.dumps(entry, sort_keys=True))
    return sorted(out)


# ---------------------------------------------------------------- properties


@given(cs.headers(), st.sampled_from(TARGETS), st.sampled_from(["kernel", "stock"]))
def test_never_crashes_and_report_is_valid(groups: list[cs.Group], target: str,
                                           profile: str) -> None:
    report = audit_text(cs.render(groups), target, profile)
    errors = sorted(validator().iter_errors(report.to_json()), key=str)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors[:5])
    assert report.complete


@given(cs.headers(max_groups=5), st.randoms(use_true_random=False))
def test_report_is_deterministic_and_order_free(groups: list[cs.Group],
                                                rng: random.Random) -> None:
    text = cs.render(groups)
    first = json_report.render(audit_text(text))
    assert json_report.render(audit_text(text)) == first
    shuffled = list(groups)
    rng.shuffle(shuffled)
    assert without_locations(audit_text(cs.render(shuffled))) == \
        without_locations(audit_text(text))


@settings(max_examples=settings().max_examples * 2)
@given(cs.headers(), st.sampled_from(TARGETS))
def test_agrees_with_bindgen(groups: list[cs.Group], target: str) -> None:
    text = cs.render(groups)
    _, _, result = differential(text, target)
    assert not (result.differing or result.missing or result.extra), \
        f"{target}\n{text}\n{describe(result)}"
