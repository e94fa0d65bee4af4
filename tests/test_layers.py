"""The package layering of ARCHITECTURE.md, held the way import-linter would:
only `kbind/clang` (and the modules that orchestrate a run) talk to libclang,
and the data model imports nothing above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kbind"
# Below clang in the data flow, or beside it: they read the IR only.
CLANG_FREE = ("ir", "profile", "predict", "checks", "generate", "render", "diff")


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (function-level ones too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


@pytest.mark.parametrize("package", CLANG_FREE)
def test_only_clang_talks_to_libclang(package: str) -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in _imports(path)
                                               if m == "clang" or m.startswith(("clang.",
                                                                                "kbind.clang")))
        for path in _modules(package)
    }
    assert _modules(package)
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_data_model_imports_nothing_above_it() -> None:
    for path in _modules("ir"):
        above = sorted(m for m in _imports(path)
                       if m.startswith("kbind.") and not m.startswith("kbind.ir"))
        assert above == [], path.name


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    # The walk finds imports inside functions too, where lazy ones hide.
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from kbind.clang.parse import load\n")
    assert "kbind.clang.parse" in _imports(module)
