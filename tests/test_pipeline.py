"""The two-process pipeline gives exactly the report of the one-process one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import CLANG_ARGS, FIXTURE, PARAMETERS, ROOT

import kbind
from kbind import pipeline
from kbind.ir import Macro


def _audit() -> kbind.Report:
    return kbind.audit(str(FIXTURE), CLANG_ARGS, bindgen_args=PARAMETERS, root=str(ROOT))


def _sequential(monkeypatch: pytest.MonkeyPatch, audit: Callable[[], kbind.Report]
                ) -> kbind.Report:
    """`audit()` in one process; forking is allowed again afterwards."""
    monkeypatch.setenv("KBIND_NO_FORK", "1")
    report = audit()
    monkeypatch.delenv("KBIND_NO_FORK")
    return report


def _spy_forks(monkeypatch: pytest.MonkeyPatch, module: object) -> list[str]:
    """The names of the functions `module` hands to Forked from now on."""
    names: list[str] = []
    real_forked = module.Forked  # type: ignore[attr-defined]

    def spy(fn):  # type: ignore[no-untyped-def]
        names.append(getattr(getattr(fn, "func", fn), "__name__", "?"))
        return real_forked(fn)

    monkeypatch.setattr(module, "Forked", spy)
    return names


def test_forked_macros_give_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    sequential = _sequential(monkeypatch, _audit)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MACROS", 0)
    forks = _spy_forks(monkeypatch, pipeline)
    forked = _audit()
    assert forks == ["macro_part"]
    assert forked.to_json() == sequential.to_json()
    assert sum(i.kind == "const" for i in forked.items) > 10


def test_forked_ir_keeps_every_macro(monkeypatch: pytest.MonkeyPatch) -> None:
    from kbind.predict.options import BindgenOptions
    from kbind.profile.ffi import get_profile
    from kbind.profile.targets import get_target

    prof = get_profile("kernel", get_target(None))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MACROS", 0)
    ir, _, _, _ = pipeline.parse_and_predict(str(FIXTURE), CLANG_ARGS, prof, BindgenOptions(),
                                       False, str(ROOT))
    monkeypatch.setenv("KBIND_NO_FORK", "1")
    ir_seq, _, _, _ = pipeline.parse_and_predict(str(FIXTURE), CLANG_ARGS, prof, BindgenOptions(),
                                           False, str(ROOT))
    assert [m for m in ir.decls if isinstance(m, Macro)] == \
        [m for m in ir_seq.decls if isinstance(m, Macro)]


def test_child_errors_reach_the_parent() -> None:
    from kbind.parallel import Forked

    def boom() -> int:
        raise ValueError("from the child")

    with pytest.raises(ValueError, match="from the child"):
        Forked(boom).result()


def test_forked_shim_plans_give_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    from kbind import api

    helpers = ROOT / "headers" / "helpers"

    def audit() -> kbind.Report:
        return kbind.audit(str(helpers / "bindings_helper.h"), ["-nostdinc", f"-I{helpers}"],
                           root=str(ROOT))

    sequential = _sequential(monkeypatch, audit)
    monkeypatch.setattr(api, "PARALLEL_MIN_ITEMS", 0)
    planned = _spy_forks(monkeypatch, api)
    forked = audit()
    assert "plan_helpers" in planned
    assert forked.to_json() == sequential.to_json()
    # The plans reached the findings: inferred macro signatures and refusals.
    messages = [f.message for f in forked.findings]
    assert any("kbind infers" in m for m in messages)
    assert any("writes an #error stub" in m for m in messages)


def test_a_probe_split_in_two_gives_the_same_types(monkeypatch: pytest.MonkeyPatch) -> None:
    from kbind.clang.probe import probe
    from kbind.profile.targets import get_target

    triple = get_target(None).triple
    names = {f.item for f in _audit().findings if f.rule == "macro-needs-const-helper"}
    names |= {"M_PASTE", "NOT_A_MACRO"}  # a refusal and an unknown name
    whole = probe(str(FIXTURE), CLANG_ARGS, triple, names, str(ROOT))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PROBES", 0)
    forks = _spy_forks(monkeypatch, pipeline)
    split = pipeline._probe_split(str(FIXTURE), CLANG_ARGS, triple, names, str(ROOT), {})
    assert forks == ["<lambda>"]
    assert split.macros == whole.macros and split.helpers == whole.helpers
    assert sum(m.type is not None for m in whole.macros.values()) >= 5
    assert whole.macros["NOT_A_MACRO"].type is None


def test_an_audit_gives_the_collector_back_as_it_found_it() -> None:
    import gc

    from kbind.api import audit_probed

    assert gc.isenabled()
    audit_probed(str(FIXTURE), CLANG_ARGS, bindgen_args=PARAMETERS, root=str(ROOT))
    assert gc.isenabled()
    gc.disable()
    try:
        audit_probed(str(FIXTURE), CLANG_ARGS, bindgen_args=PARAMETERS, root=str(ROOT))
        assert not gc.isenabled()
    finally:
        gc.enable()
