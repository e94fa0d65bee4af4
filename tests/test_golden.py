"""Golden reports for the fixture headers; `KBIND_BLESS=1 pytest` re-blesses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import FIXTURE, GOLDEN, check_golden, fixture_report

import kbind
from kbind.clang._compat import libclang_version
from kbind.render import json_report, text

CASES = [("kernel", "x86_64-linux-gnu"), ("stock", "x86_64-linux-gnu"),
         ("kernel", "aarch64-linux-gnu"), ("stock", "arm-linux-gnueabi")]


@pytest.mark.parametrize(("profile", "target"), CASES)
def test_json_golden(profile: str, target: str) -> None:
    report = fixture_report(str(FIXTURE), profile, target)
    check_golden(GOLDEN / f"bindings_helper.{profile}.{target}.json", json_report.render(report))


def test_text_golden() -> None:
    report = fixture_report(str(FIXTURE), "kernel", "x86_64-linux-gnu")
    check_golden(GOLDEN / "bindings_helper.kernel.txt", text.render(report))


def test_json_contract_shape() -> None:
    data = json.loads(json_report.render(fixture_report()))
    assert data["schema"] == "kbind-report/2"
    assert data["tools"] == {"kbind": kbind.__version__, "bindgen": "0.60.1",
                             "bindgen_source": "kbind's default",
                             "libclang": libclang_version(), "kernel": None,
                             "kernel_config": None}
    assert {"schema", "profile", "target", "header", "items", "findings"} <= set(data)
    keys = [(i["location"]["file"], i["location"]["line"]) for i in data["items"]]
    assert keys == sorted(keys), "items are ordered by file then line"
    by_kind = {}
    for item in data["items"]:
        by_kind.setdefault(item["kind"], item)
        assert {"kind", "name", "rust_name", "emitted", "reason", "location"} <= set(item)
        assert item["emitted"] == (item["reason"] is None or item["kind"] == "struct")
    assert {"function", "struct", "union", "enum", "typedef", "var", "const", "macro"} <= set(
        by_kind)
    assert {"params", "return", "variadic", "inline"} <= set(by_kind["function"])
    assert {"fields", "size", "align", "opaque"} <= set(by_kind["struct"])
    assert {"type", "resolved", "value"} <= set(by_kind["const"])
    assert {"type", "constants"} <= set(by_kind["enum"])


def test_paths_are_relative() -> None:
    data = json_report.render(fixture_report())
    assert str(Path.home()) not in data and "/work/" not in data
