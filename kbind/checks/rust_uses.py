"""`rust-uses-missing-binding`: Rust code in the tree names `bindings::X`, and
bindgen will not emit X (a macro renamed, a cast added in C, a config change).

The tree's `bindings` crate is bindings_generated.rs (the audit's emitted
items), the rust/helpers shims (`rust_helper_X` is renamed to `X`) and what
rust/bindings/lib.rs defines by hand. Uses are found with a regex over the
Rust sources with comments removed: `bindings::X` and `bindings::{X, Y}`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kbind.checks.const_helpers import emitted_names
from kbind.ir import Location
from kbind.report import Finding, Report

_LINE_COMMENT = re.compile(r"//[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_PATH = re.compile(r"\bbindings::([A-Za-z_][A-Za-z0-9_]*)")
_GROUP = re.compile(r"\bbindings::\{([^}]*)\}")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHIM = re.compile(r"\brust_helper_([A-Za-z0-9_]+)\s*\(")
_LIB_ITEM = re.compile(r"\b(?:type|const|static|fn|struct|union|enum)\s+([A-Za-z_][A-Za-z0-9_]*)")
# Folders of host tools that never see the kernel's bindings crate.
_SKIP_DIRS = {"scripts", "tools", ".git"}


def _strip_comments(text: str) -> str:
    # Keep newlines so that line numbers stay right.
    text = _BLOCK_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _LINE_COMMENT.sub("", text)


def rust_sources(tree: str | Path) -> list[Path]:
    """The tree's Rust source files (one walk of the tree; pass it on)."""
    root = Path(tree)
    out: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        out += [Path(folder) / name for name in sorted(files)
                if name.endswith(".rs") and not name.endswith("_generated.rs")]
    return out


def scanned_paths(tree: str | Path, sources: list[Path]) -> list[str]:
    """What this rule reads: the Rust sources, the folders holding them (their
    listings show an added or removed file), the shims and bindings/lib.rs."""
    root = Path(tree)
    folders = {p.parent for p in sources}
    extra = list((root / "rust" / "helpers").glob("*.c")) + [root / "rust" / "bindings"
                                                             / "lib.rs"]
    return sorted(str(p) for p in [*sources, *folders, *extra, root / "rust" / "helpers"])


def rust_uses(tree: str | Path, sources: list[Path] | None = None) -> dict[str, Location]:
    """Every `bindings::NAME` in the tree's Rust code, with its first place."""
    root = Path(tree)
    uses: dict[str, Location] = {}
    for path in rust_sources(root) if sources is None else sources:
        text = _strip_comments(path.read_text(encoding="utf-8", errors="replace"))
        rel = str(path.relative_to(root))
        for match in _PATH.finditer(text):
            _note(uses, match.group(1), rel, text, match.start(1))
        for match in _GROUP.finditer(text):
            for ident in _IDENT.finditer(match.group(1)):
                if ident.group(0) not in ("self", "as"):
                    _note(uses, ident.group(0), rel, text, match.start(1) + ident.start())
    return uses


def _note(uses: dict[str, Location], name: str, file: str, text: str, pos: int) -> None:
    if name not in uses:
        line = text.count("\n", 0, pos) + 1
        column = pos - text.rfind("\n", 0, pos)
        uses[name] = Location(file, line, column)


def hand_written(tree: str | Path) -> set[str]:
    """Names the bindings crate gets besides bindgen's main pass."""
    root = Path(tree)
    names: set[str] = set()
    helpers = root / "rust" / "helpers"
    for path in sorted(helpers.glob("*.c")) if helpers.is_dir() else []:
        names.update(_SHIM.findall(path.read_text(encoding="utf-8", errors="replace")))
    lib = root / "rust" / "bindings" / "lib.rs"
    if lib.is_file():
        names.update(_LIB_ITEM.findall(_strip_comments(lib.read_text(encoding="utf-8"))))
    return names


def scan_tree(tree: str | Path) -> tuple[list[Path], dict[str, Location]]:
    """The tree's Rust sources and every `bindings::NAME` they use: all of this
    rule's reading, done apart from the report (kbind.api runs it meanwhile)."""
    sources = rust_sources(tree)
    return sources, rust_uses(tree, sources)


def missing_bindings(report: Report, tree: str | Path,
                     uses: dict[str, Location] | None = None) -> list[Finding]:
    """One finding per `bindings::X` the tree's Rust code uses and nothing emits."""
    emitted = emitted_names(report) | hand_written(tree)
    by_name = {i.name: i for i in report.items if i.name}
    findings: list[Finding] = []
    for name, loc in sorted((rust_uses(tree) if uses is None else uses).items()):
        if name in emitted:
            continue
        item = by_name.get(name)
        why = f": {item.reason}" if item is not None and item.reason else \
            ": nothing of that name in the headers under this config"
        findings.append(Finding("rust-uses-missing-binding", "warning",
                                f"Rust code uses `bindings::{name}`, which bindgen does not "
                                f"emit{why}", loc, name))
    return findings
