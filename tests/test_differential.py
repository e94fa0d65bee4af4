"""kbind's predictions against real bindgen (Debian's 0.60) on the fixture headers.

The truth is bindgen's own output, parsed with tree-sitter-rust; every
disagreement fails with both spellings.
"""

from __future__ import annotations

import pytest
from support import FIXTURE, HEADERS, describe, differential

TARGETS = ["x86_64-linux-gnu", "aarch64-linux-gnu", "riscv64-linux-gnu", "arm-linux-gnueabi"]
REGRESSIONS = sorted(str(p) for p in (HEADERS / "regressions").glob("*.h"))


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("profile", ["kernel", "stock"])
def test_fixture_agrees_with_bindgen(profile: str, target: str) -> None:
    result = differential(str(FIXTURE), profile, target)
    assert not (result.differing or result.missing or result.extra), describe(result)
    counts = {kind: sum(c.values()) for kind, c in result.per_kind().items()}
    print(f"{profile}/{target}: {len(result.matched)} items agree: {counts}")
    # Every kind of item the fixtures exercise is really compared.
    assert {"fn", "struct", "union", "type", "const", "static"} <= set(counts)
    assert len(result.matched) > 150


@pytest.mark.parametrize("target", TARGETS[:2])
@pytest.mark.parametrize("header", REGRESSIONS)
def test_regression_headers_agree(header: str, target: str) -> None:
    result = differential(header, "kernel", target)
    assert not (result.differing or result.missing or result.extra), describe(result)


# Debian 13's and unstable's bindgen, run in the roots scripts/bindgen-roots
# builds (scripts/test builds them first).
NEWER = ["0.71.1", "0.72.1"]


@pytest.mark.parametrize("version", NEWER)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("profile", ["kernel", "stock"])
def test_fixture_agrees_with_newer_bindgen(profile: str, target: str, version: str) -> None:
    result = differential(str(FIXTURE), profile, target, version)
    assert not (result.differing or result.missing or result.extra), describe(result)
    assert len(result.matched) > 150


@pytest.mark.parametrize("version", NEWER)
@pytest.mark.parametrize("target", TARGETS[:2])
@pytest.mark.parametrize("header", REGRESSIONS)
def test_regression_headers_agree_with_newer_bindgen(header: str, target: str,
                                                     version: str) -> None:
    result = differential(header, "kernel", target, version)
    assert not (result.differing or result.missing or result.extra), describe(result)
