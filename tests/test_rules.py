"""Each audit rule fires on the fixture item that needs it, and not on others."""

from __future__ import annotations

from support import fixture_report


def _by_rule() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in fixture_report().findings:
        found.setdefault(f.rule, set()).add(f.item or "")
    return found


def test_rules_fire_where_they_should() -> None:
    found = _by_rule()
    assert {"atomic_read", "INIT_LIST_HEAD", "is_err"} <= found["inline-needs-helper"]
    assert "atomic_fetch_add" not in found["inline-needs-helper"]  # a real symbol
    assert {"m_helper", "ALIGN_UP"} <= found["macro-needs-helper"]
    assert "M_PARAM_IS_MACRO" not in found["macro-needs-helper"]  # bindgen evaluates it
    assert {"M_LOGICAL_NOT", "M_REF_CAST"} <= found["macro-needs-const-helper"]
    # bindings_helper.h wraps these two: the const-helper rules say so instead.
    assert {"M_CAST", "M_SIZEOF"} == found["already-wrapped"]
    assert not {"M_CAST", "M_SIZEOF"} & found["macro-needs-const-helper"]
    assert "M_DEC" not in found["macro-needs-const-helper"]
    assert found["opaque-type"] == {"opaque_me"}
    assert {"__kernel_size_t", "__kernel_ptrdiff_t"} <= found["blocklisted"]
    assert "static_not_inline" in found["not-emitted"]


def test_every_unemitted_item_has_a_finding_or_reason() -> None:
    report = fixture_report()
    with_findings = {f.item for f in report.findings}
    for item in report.items:
        if not item.emitted:
            assert item.reason, item
            assert item.name in with_findings or "empty macro body" in item.reason, item
