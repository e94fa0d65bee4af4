"""pytest fixtures and hooks. Shared helpers live in support.py.

Every test runs in exactly one lane, and may also be slow (markers registered
in pyproject.toml):

    unit    kbind alone: no bindgen, clang binary, rustc, pahole or llvm tools,
            no kernel tree (libclang comes from its Python wheel, as for kbind);
    oracle  runs a real external tool (bindgen, clang, rustc, pahole,
            llvm-dwarfdump...) and compares kbind with it;
    slow    takes more than ~5 s alone: hypothesis properties, big parses.

The lanes are given below, by module and then per test where a test differs
from its module, so a new test lands in its module's lane. A module not listed
must mark its tests itself (`pytestmark = pytest.mark.unit`). A test with no
lane, or with both, stops the run before any test starts, and so does a
per-test entry naming a test that does not exist.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from support import FIXTURE

UNIT, ORACLE, SLOW = "unit", "oracle", "slow"
LANES = (UNIT, ORACLE)

# The lane of each module's tests.
MODULE_LANES = {
    "test_bad_input.py": UNIT,
    "test_cache.py": UNIT,
    "test_cli.py": UNIT,
    "test_const_helpers.py": UNIT,
    "test_diff.py": UNIT,
    "test_differential.py": ORACLE,
    "test_formats.py": UNIT,
    "test_golden.py": UNIT,
    "test_hazards.py": UNIT,
    "test_helpers.py": UNIT,
    "test_kernel_flags.py": UNIT,
    "test_layers.py": UNIT,
    "test_layout.py": ORACLE,
    "test_macro_tokens.py": UNIT,
    "test_macros.py": UNIT,
    "test_pipeline.py": UNIT,
    "test_profiles.py": UNIT,
    "test_properties.py": UNIT,
    "test_real_bindgen.py": ORACLE,
    "test_records.py": UNIT,
    "test_registry.py": UNIT,
    "test_review.py": UNIT,
    "test_rules.py": UNIT,
    "test_rust_reader.py": ORACLE,
    "test_rust_uses.py": UNIT,
    "test_safety.py": UNIT,
    "test_versions.py": UNIT,
}

# Tests whose lane is not their module's, with the tool that puts them there.
TEST_LANES = {
    "test_const_helpers.py::test_bad_helpers_agree_with_bindgen": ORACLE,  # bindgen
    "test_const_helpers.py::test_generated_helpers_compile_and_bindgen_agrees":
        ORACLE,  # clang -fsyntax-only, bindgen
    "test_const_helpers.py::test_helpers_for_the_main_fixture_agree_with_bindgen":
        ORACLE,  # bindgen
    "test_hazards.py::test_hazard_fixtures_agree_with_bindgen": ORACLE,  # bindgen
    "test_hazards.py::test_layouts_match_pahole": ORACLE,  # clang -g, pahole
    "test_helpers.py::test_generated_shims_compile_and_match_bindgen":
        ORACLE,  # clang, bindgen's helpers pass
    "test_helpers.py::test_generated_object_code": ORACLE,  # clang -c -O2, nm
    "test_helpers.py::test_wrappability_proven_by_object_code": ORACLE,  # clang -c -O2
    "test_helpers.py::test_includes_are_self_contained": ORACLE,  # clang -fsyntax-only
    "test_helpers.py::test_cli_writes_const_helper_lines_that_compile":
        ORACLE,  # clang -fsyntax-only
    "test_layout.py::test_opaque_rules_fire_with_reasons": UNIT,
    "test_layout.py::test_audit_flags_rust_layouts_that_differ_from_c": UNIT,
    "test_layout.py::test_dwarf_bitfield_encodings": UNIT,  # parses a dump given as text
    "test_properties.py::test_agrees_with_bindgen": ORACLE,  # bindgen
    "test_properties.py::test_layouts_match_rustc": ORACLE,  # bindgen, rustc
    "test_properties.py::test_regression_layouts_match_rustc": ORACLE,  # bindgen, rustc
    "test_properties.py::test_bindgen_crashes_are_predicted": ORACLE,  # bindgen
    "test_real_bindgen.py::test_seds_match_the_makefile": UNIT,
    "test_records.py::test_packed_holder_of_a_zero_sized_union_is_e0588_as_rustc_says":
        ORACLE,  # bindgen, rustc
    "test_review.py::test_review_fixture_agrees_with_bindgen": ORACLE,  # bindgen
    "test_rust_reader.py::test_malformed_raises": UNIT,
    "test_versions.py::test_bindgen_upgrade_diff_is_what_real_bindgen_changes":
        ORACLE,  # bindgen 0.60.1, 0.71.1, 0.72.1
}

# Tests that take more than ~5 s alone (measured on 2 cores), and the hypothesis
# properties: a few seconds each with the default `ci` profile, many times
# that with HYPOTHESIS_PROFILE=long.
SLOW_TESTS = {
    "test_bad_input.py::test_deep_declarators",  # 15-25 s: a 20,000-level declarator
    "test_bad_input.py::test_hundred_thousand_declarations",  # 10-20 s: 100,000 items
    "test_macro_tokens.py::test_random_definitions_lex_as_libclang_does",  # hypothesis
    "test_properties.py::test_never_crashes_and_report_is_valid",  # hypothesis
    "test_properties.py::test_report_is_deterministic_and_order_free",  # hypothesis
    "test_properties.py::test_agrees_with_bindgen",  # hypothesis, 35-45 s
    "test_properties.py::test_layouts_match_rustc",  # hypothesis, 10-15 s
    "test_properties.py::test_diff_of_a_random_header_with_itself_is_empty",  # hypothesis
}


def _tests_in(path: Path) -> set[str]:
    return {node.name for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def _check_tables() -> list[str]:
    """Per-test entries that name a test that does not exist."""
    here = Path(__file__).parent
    problems: list[str] = []
    tests: dict[str, set[str]] = {}
    for key in [*TEST_LANES, *SLOW_TESTS]:
        module, _, test = key.partition("::")
        if module not in tests:
            tests[module] = _tests_in(here / module) if (here / module).is_file() else set()
        if test not in tests[module]:
            problems.append(f"{key}: no such test")
    return problems


@pytest.hookimpl(tryfirst=True)  # before -m selects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = _check_tables()
    for item in items:
        module = Path(item.nodeid.split("::")[0]).name
        key = f"{module}::{getattr(item, 'originalname', item.name)}"
        lane = TEST_LANES.get(key, MODULE_LANES.get(module))
        if lane:
            item.add_marker(lane)
        if key in SLOW_TESTS:
            item.add_marker(SLOW)
        lanes = sorted({m.name for m in item.iter_markers() if m.name in LANES})
        if len(lanes) != 1:
            problems.append(f"{item.nodeid}: lanes {lanes or 'none'}, need exactly one "
                            "of unit/oracle")
    if problems:
        raise pytest.UsageError(
            "test lanes (tests/conftest.py):\n  " + "\n  ".join(problems[:20])
            + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""))


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or fill the user's cache; CLI subprocesses inherit this."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture
def fixture_path() -> Path:
    return FIXTURE
