"""`rust-uses-missing-binding`: Rust code in the tree names `bindings::X`, and
bindgen will not emit X (a macro renamed, a cast added in C, a config change).

The tree's `bindings` crate is bindings_generated.rs (the audit's emitted
items), the rust/helpers shims (`rust_helper_X` is renamed to `X`) and what
rust/bindings/lib.rs defines by hand. Uses are read from the Rust sources
with tree-sitter's Rust grammar (`bindings::X`, `bindings::{X, Y as Z}`,
also inside macro arguments), skipping code the configuration leaves out
by `#[cfg(...)]` (kbind.kernel.rust_cfg). Which files Kbuild compiles at
all (`obj-$(CONFIG_X)`) is not modelled: every .rs file is read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import tree_sitter_rust
from tree_sitter import Language, Node, Parser

from kbind.ir import Location
from kbind.kernel.rust_cfg import RustCfg, evaluate, read_rustc_cfg
from kbind.report import Finding, Report

_LINE_COMMENT = re.compile(r"//[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_PARSER = Parser(Language(tree_sitter_rust.language()))
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
    listings show an added or removed file), the shims, bindings/lib.rs and
    rustc_cfg."""
    root = Path(tree)
    folders = {p.parent for p in sources}
    extra = list((root / "rust" / "helpers").glob("*.c")) + [root / "rust" / "bindings"
                                                             / "lib.rs"]
    rustc_cfg = root / "include" / "generated" / "rustc_cfg"  # decides the #[cfg]s
    if rustc_cfg.is_file():
        extra.append(rustc_cfg)
    return sorted(str(p) for p in [*sources, *folders, *extra, root / "rust" / "helpers"])


def rust_uses(tree: str | Path, sources: list[Path] | None = None,
              cfg: RustCfg | None = None) -> dict[str, Location]:
    """Every `bindings::NAME` in the tree's Rust code that its configuration
    compiles, with its first place.

    The sources are parsed with tree-sitter's Rust grammar, so strings and
    comments never count, `use bindings::{X as Y}` is a use of X (not Y),
    and a use inside a macro's arguments still counts. Code under a
    `#[cfg(...)]` that `cfg` (the tree's rustc_cfg) makes false is skipped,
    and so are the files of a module declared under one.
    """
    root = Path(tree)
    cfg = cfg if cfg is not None else read_rustc_cfg(root)
    files = rust_sources(root) if sources is None else sources
    per_file: list[tuple[str, list[tuple[str, Location]]]] = []
    disabled: set[Path] = set()
    for path in files:
        data = path.read_bytes()
        reader = _Reader(data, str(path.relative_to(root)), cfg, path)
        reader.walk(_PARSER.parse(data).root_node)
        per_file.append((str(path), reader.uses))
        disabled |= reader.disabled_modules
    uses: dict[str, Location] = {}
    for path_text, found in per_file:
        if _under(Path(path_text), disabled):
            continue
        for name, loc in found:
            uses.setdefault(name, loc)
    return uses


def _under(path: Path, disabled: set[Path]) -> bool:
    """True when `path` is a disabled module's file or lies in its folder."""
    for module in disabled:
        if path == module or module.suffix == ".rs" and module.with_suffix("") in path.parents:
            return True
        if module.name == "mod.rs" and module.parent in path.parents:
            return True
    return False


class _Reader:
    """One Rust file's `bindings::` uses and the modules it declares off."""

    def __init__(self, data: bytes, rel: str, cfg: RustCfg, path: Path) -> None:
        self.data, self.rel, self.cfg, self.path = data, rel, cfg, path
        self.uses: list[tuple[str, Location]] = []
        self.disabled_modules: set[Path] = set()

    def walk(self, node: Node) -> None:
        kind = node.type
        if kind in _OPAQUE:
            return
        if kind in ("scoped_identifier", "scoped_type_identifier"):
            name = node.child_by_field_name("name")
            if _last_segment(node.child_by_field_name("path")) == "bindings" and name:
                self._note(name)
                return
        elif kind == "scoped_use_list":
            if _last_segment(node.child_by_field_name("path")) == "bindings":
                self._use_list(node.child_by_field_name("list"))
                return
        elif kind == "token_tree":
            self._token_tree(node)
            return
        if kind == "match_arm" and any(c.type == "attribute_item" and self._cfg(c) is False
                                       for c in node.children):
            return  # an arm's attributes sit inside it, and apply to all of it
        cfgs: list[Node] = []  # the #[...] attributes of the next item
        for child in node.children:
            ckind = child.type
            if ckind == "inner_attribute_item" and self._cfg(child) is False:
                return  # `#![cfg(...)]`: the rest of this module is not compiled
            if ckind == "attribute_item":
                cfgs.append(child)
                continue
            if ckind in ("line_comment", "block_comment"):
                continue
            attributes, cfgs = cfgs, []
            declared_mod = ckind == "mod_item" and child.child_by_field_name("body") is None
            # Most of a file never names the bindings: only such parts are read.
            if not declared_mod and self.data.find(b"bindings", child.start_byte,
                                                    child.end_byte) < 0:
                continue
            if any(self._cfg(a) is False for a in attributes):
                if declared_mod:
                    self.disabled_modules.update(self._module_files(child))
                continue
            self.walk(child)

    def _use_list(self, items: Node | None) -> None:
        for item in items.named_children if items is not None else []:
            if item.type == "use_as_clause":
                item = item.child_by_field_name("path") or item
            while item.type in ("scoped_identifier", "scoped_use_list"):
                first = item.child_by_field_name("path")
                if first is None:
                    break
                item = first
            if item.type == "identifier":
                self._note(item)

    def _token_tree(self, node: Node) -> None:
        """Tokens of a macro call: `bindings :: X` and `bindings :: { X , Y }`."""
        kids = node.children
        for i, tok in enumerate(kids):
            if tok.type == "token_tree":
                self._token_tree(tok)
            elif tok.type == "identifier" and self._text(tok) == "bindings" \
                    and i + 2 < len(kids) and kids[i + 1].type == "::":
                after = kids[i + 2]
                if after.type == "identifier":
                    self._note(after)
                elif after.type == "token_tree" and self._text(after).startswith("{"):
                    alias = False
                    for inner in after.children:
                        if inner.type == "identifier" and not alias:
                            self._note(inner)
                        alias = inner.type == "as"

    def _cfg(self, attribute_item: Node) -> bool | None:
        """The value of a `#[cfg(...)]` (True for any other attribute)."""
        attribute = next((c for c in attribute_item.named_children if c.type == "attribute"),
                         None)
        if attribute is None or attribute.named_child_count < 2:
            return True
        name, args = attribute.named_children[0], attribute.named_children[1]
        if self._text(name) != "cfg" or args.type != "token_tree":
            return True
        return evaluate(_tokens(args, self.data)[1:-1], self.cfg)

    def _module_files(self, mod: Node) -> list[Path]:
        name_node = mod.child_by_field_name("name")
        if name_node is None:
            return []
        name = self._text(name_node)
        # `mod x;` in lib.rs, main.rs or mod.rs is x.rs beside it; in a.rs, a/x.rs.
        here = self.path.parent if self.path.name in ("lib.rs", "main.rs", "mod.rs") \
            else self.path.with_suffix("")
        return [here / f"{name}.rs", here / name / "mod.rs"]

    def _note(self, node: Node) -> None:
        row, byte_column = node.start_point
        line_start = node.start_byte - byte_column
        column = len(self.data[line_start:node.start_byte].decode("utf-8", "replace")) + 1
        self.uses.append((self._text(node), Location(self.rel, row + 1, column)))

    def _text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")


# Never a use of the bindings: text and comments.
_OPAQUE = frozenset({"string_literal", "raw_string_literal", "char_literal", "line_comment",
                     "block_comment"})


def _last_segment(path: Node | None) -> str | None:
    if path is None:
        return None
    if path.type == "identifier":
        return path.text.decode() if path.text is not None else None
    if path.type == "scoped_identifier":
        return _last_segment(path.child_by_field_name("name"))
    return None


def _tokens(node: Node, data: bytes) -> list[str]:
    """A token tree's tokens, nested trees flattened."""
    out: list[str] = []
    for child in node.children:
        if child.type == "token_tree":
            out += _tokens(child, data)
        else:
            out.append(data[child.start_byte:child.end_byte].decode("utf-8", "replace"))
    return out


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


def scan_tree(tree: str | Path, triple: str | None = None
              ) -> tuple[list[Path], dict[str, Location]]:
    """The tree's Rust sources and every `bindings::NAME` they use: all of this
    rule's reading, done apart from the report (kbind.api runs it meanwhile)."""
    sources = rust_sources(tree)
    return sources, rust_uses(tree, sources, read_rustc_cfg(tree, triple))


def missing_bindings(report: Report, tree: str | Path,
                     uses: dict[str, Location] | None = None) -> list[Finding]:
    """One finding per `bindings::X` the tree's Rust code uses and nothing emits."""
    emitted = report.emitted_names() | hand_written(tree)
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
