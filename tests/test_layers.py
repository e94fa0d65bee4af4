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


# Packages and top-level modules, lowest first: a module may import its own
# package and anything in a lower layer, never a higher one or a peer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "version"),
    ("limits", "paths"),
    ("inputs", "outputs", "cache", "parallel", "kernel", "ir"),
    ("clang", "profile", "report"),
    ("predict", "report_codec"),
    ("request",),
    ("generate",),
    ("checks",),
    ("diff", "pipeline"),
    ("api",),
    ("runner", "helpers_command", "verify"),
    ("sources",),
    ("portability",),
    ("review",),
    ("render",),  # renderers read the report classes of review and portability
    ("cli",),
    ("__init__", "__main__"),
)


def _unit(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _kbind_units(path: Path) -> set[str]:
    out: set[str] = set()
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "kbind" and len(parts) > 1 and \
                ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
            out.add(parts[1])
    return out


def test_every_module_has_a_layer() -> None:
    placed = {u for layer in LAYERS for u in layer}
    units = {_unit(p) for p in PACKAGE.rglob("*.py")}
    assert units - placed == set()


def test_imports_go_down_the_layers() -> None:
    rank = {u: i for i, layer in enumerate(LAYERS) for u in layer}
    upward: list[str] = []
    for path in PACKAGE.rglob("*.py"):
        unit = _unit(path)
        for other in _kbind_units(path) - {unit}:
            if rank[other] >= rank[unit]:
                upward.append(f"{path.relative_to(PACKAGE)} imports kbind.{other}")
    assert sorted(upward) == []


def _module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("kbind", *path.relative_to(PACKAGE).with_suffix("").parts))
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for imported in _imports(path):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            # A module's own parent packages are loaded before it: no edge.
            if imported and imported != name and not name.startswith(imported + "."):
                found.add(imported)
        graph[name] = found
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    graph = _module_graph()
    assert len(graph) > 80
    assert _cycles(graph) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
