"""Read bindgen's generated Rust into a normalized list of items.

The text is parsed with tree-sitter's Rust grammar, so rustfmt'ed and
unformatted bindgen output give the same items. Only items of the C API are
kept; bindgen's helpers (impl blocks, generic structs, layout tests, `use`
lines) are skipped. All type and value text goes through
`kbind.profile.spelling.canonical`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_rust
from tree_sitter import Language, Node, Parser

from kbind.profile.spelling import canonical

_LANGUAGE = Language(tree_sitter_rust.language())
_canonical = lru_cache(maxsize=65536)(canonical)  # type texts repeat a lot

# Top-level (or extern-block) nodes that are never C API items.
_SKIP = frozenset(
    {
        "attribute_item",
        "inner_attribute_item",
        "line_comment",
        "block_comment",
        "impl_item",
        "function_item",  # only layout tests (#[test]) in bindgen 0.60 output
        "extern_crate_declaration",
    }
)

_ESCAPE = re.compile(r"\\(u\{([0-9A-Fa-f_]+)\}|x([0-9A-Fa-f]{2})|.)", re.DOTALL)
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "0": "\0",
    "\\": "\\",
    '"': '"',
    "'": "'",
}


@dataclass(frozen=True)
class RustItem:
    """One item of the C API as bindgen emitted it."""

    kind: str  # "fn", "struct", "union", "type", "const", "static" (or "enum")
    name: str
    params: tuple[tuple[str, str], ...] = ()
    ret: str | None = None
    variadic: bool = False
    fields: tuple[tuple[str, str], ...] = ()
    type: str | None = None
    value: str | None = None
    mutable: bool = False
    link_name: str | None = None
    line: int = 0


def _unescape(body: str) -> str:
    """Decode the escapes of a Rust string literal body."""

    def repl(m: re.Match[str]) -> str:
        if m.group(2) is not None:
            return chr(int(m.group(2).replace("_", ""), 16))
        if m.group(3) is not None:
            return chr(int(m.group(3), 16))
        c = m.group(1)
        if c == "\n":  # line continuation
            return ""
        return _SIMPLE_ESCAPES.get(c, "\\" + c)

    return _ESCAPE.sub(repl, body)


class _Reader:
    def __init__(self, src: bytes) -> None:
        self.src = src
        self.items: list[RustItem] = []

    def text(self, node: Node | None) -> str:
        assert node is not None
        return self.src[node.start_byte : node.end_byte].decode("utf-8")

    def ctext(self, node: Node | None) -> str:
        return _canonical(self.text(node))

    def link_name(self, attr: Node) -> str | None:
        """Return the value of `#[link_name = "..."]`, or None."""
        meta = next((c for c in attr.named_children if c.type == "attribute"), None)
        if meta is None or not meta.named_children:
            return None
        if self.text(meta.named_children[0]) != "link_name":
            return None
        value = meta.child_by_field_name("value")
        if value is None or value.type != "string_literal":
            return None
        return _unescape(self.text(value)[1:-1])

    def read_block(self, nodes: list[Node]) -> None:
        """Read a list of sibling items (source file or extern block body)."""
        link: str | None = None
        for node in nodes:
            kind = node.type
            if kind == "attribute_item":
                link = self.link_name(node) or link
                continue
            if kind in ("line_comment", "block_comment"):
                continue
            if kind not in _SKIP:
                self.read_item(node, link)
            link = None

    def read_item(self, node: Node, link: str | None) -> None:
        kind = node.type
        line = node.start_point[0] + 1
        name_node = node.child_by_field_name("name")
        if kind == "foreign_mod_item":
            body = node.child_by_field_name("body")
            if body is not None:
                self.read_block(body.named_children)
        elif kind == "function_signature_item":
            params: list[tuple[str, str]] = []
            variadic = False
            for p in node.child_by_field_name("parameters").named_children:  # type: ignore[union-attr]
                if p.type == "parameter":
                    pat, ty = (
                        p.child_by_field_name("pattern"),
                        p.child_by_field_name("type"),
                    )
                    params.append((self.text(pat), self.ctext(ty)))
                elif p.type == "variadic_parameter":
                    variadic = True
                elif p.type not in _SKIP:
                    raise ValueError(f"line {line}: unexpected parameter {p.type}")
            ret = node.child_by_field_name("return_type")
            self.add(
                "fn",
                name_node,
                line,
                params=tuple(params),
                ret=self.ctext(ret) if ret is not None else None,
                variadic=variadic,
                link_name=link,
            )
        elif kind in ("struct_item", "union_item"):
            if node.child_by_field_name("type_parameters") is not None:
                return  # bindgen's generic helpers (__BindgenBitfieldUnit, ...)
            self.add(kind[:-5], name_node, line, fields=self.fields(node))
        elif kind == "type_item":
            self.add(
                "type",
                name_node,
                line,
                type=self.ctext(node.child_by_field_name("type")),
            )
        elif kind == "const_item":
            self.add(
                "const",
                name_node,
                line,
                type=self.ctext(node.child_by_field_name("type")),
                value=self.ctext(node.child_by_field_name("value")),
            )
        elif kind == "static_item":
            mutable = any(c.type == "mutable_specifier" for c in node.children)
            self.add(
                "static",
                name_node,
                line,
                mutable=mutable,
                type=self.ctext(node.child_by_field_name("type")),
            )
        elif kind == "use_declaration":
            self.read_use(node, line)
        elif kind == "enum_item":
            self.add("enum", name_node, line)
        else:
            raise ValueError(
                f"line {line}: unexpected Rust item {kind}: {self.text(node)[:60]!r}"
            )

    def read_use(self, node: Node, line: int) -> None:
        """`pub use self::X as Y;` is how bindgen 0.60 aliases an enum typedef."""
        arg = node.child_by_field_name("argument")
        if arg is not None and arg.type == "use_as_clause":
            path = arg.child_by_field_name("path")
            alias = arg.child_by_field_name("alias")
            target = self.text(path).replace(" ", "").removeprefix("self::")
            self.add("type", alias, line, type=_canonical(target))

    def fields(self, node: Node) -> tuple[tuple[str, str], ...]:
        body = node.child_by_field_name("body")
        if body is None:  # unit struct `pub struct X;`
            return ()
        if body.type == "ordered_field_declaration_list":  # tuple struct
            types = body.children_by_field_name("type")
            return tuple((str(i), self.ctext(t)) for i, t in enumerate(types))
        return tuple(
            (
                self.text(f.child_by_field_name("name")),
                self.ctext(f.child_by_field_name("type")),
            )
            for f in body.named_children
            if f.type == "field_declaration"
        )

    def add(self, kind: str, name: Node | None, line: int, **kw: object) -> None:
        self.items.append(RustItem(kind, self.text(name), line=line, **kw))  # type: ignore[arg-type]


def _first_error(root: Node) -> Node:
    """Return the first ERROR or MISSING node below `root` (which has errors)."""
    node = root
    while True:
        for child in node.children:
            if child.type == "ERROR" or child.is_missing:
                return child
            if child.has_error:
                node = child
                break
        else:
            return node


def read_bindings(text: str) -> list[RustItem]:
    """Parse bindgen's Rust output `text` into C API items, in source order."""
    src = text.encode("utf-8")
    tree = Parser(_LANGUAGE).parse(src)
    root = tree.root_node
    if root.has_error:
        bad = _first_error(root)
        row, col = bad.start_point
        what = "missing " + bad.type if bad.is_missing else "syntax error"
        snippet = src[bad.start_byte : bad.start_byte + 40].decode("utf-8", "replace")
        raise ValueError(f"line {row + 1}, column {col + 1}: {what} near {snippet!r}")
    reader = _Reader(src)
    reader.read_block(root.named_children)
    return reader.items
