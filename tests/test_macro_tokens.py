"""kbind lexes `#define` bodies from the file's bytes; libclang's own tokens
are the truth. Every macro of the fixture headers, and random definitions
full of blanks, comments and line splices, must lex the same both ways
(or be handed to libclang, for a splice that may sit inside a token)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from support import CLANG_ARGS, HEADERS

from kbind.clang import _compat
from kbind.clang._compat import cindex
from kbind.clang.macro_tokens import define_tokens

CK_MACRO = cindex.CursorKind.MACRO_DEFINITION


def _both_ways(path: Path, args: list[str]) -> list[tuple[list[str] | None, list[str]]]:
    """(kbind's tokens, libclang's tokens) for each macro defined in `path`'s unit."""
    index = cindex.Index.create()
    tu = index.parse(str(path), args=["-x", "c", *args],
                     options=cindex.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    sources: dict[str, bytes] = {}
    out = []
    for cursor in _compat.children(tu.cursor):
        if cursor.kind != CK_MACRO:
            continue
        handle, _, _, offset = _compat.location(cursor)
        if handle is None or _compat.is_macro_builtin(cursor):
            continue
        name = _compat.file_name(handle)
        if name not in sources:
            sources[name] = Path(name).read_bytes()
        theirs = [t.spelling for t in cursor.get_tokens()
                  if t.kind != cindex.TokenKind.COMMENT]
        out.append((define_tokens(sources[name], offset), theirs))
    return out


def test_every_fixture_macro_lexes_as_libclang_does() -> None:
    headers = sorted(HEADERS.rglob("*.h"))
    compared = 0
    for header in headers:
        for mine, theirs in _both_ways(header, CLANG_ARGS):
            assert mine == theirs, header
            compared += 1
    assert compared > 300  # the fixtures define hundreds of macros


def test_a_splice_into_a_punctuator_keeps_the_splice(tmp_path: Path) -> None:
    # clang starts the `(` token at the backslash, so libclang spells it with
    # the splice inside; bindgen's cexpr then cannot read the macro.
    header = tmp_path / "splice.h"
    header.write_bytes(b"#define A \\\n(1)\n#define B \\\nname\n#define C 1 /* x\n y */ + 2\n")
    pairs = _both_ways(header, [])
    assert [mine for mine, _ in pairs] == [["A", "\\\n(", "1", ")"], ["B", "name"],
                                          ["C", "1", "+", "2"]]
    assert all(mine == theirs for mine, theirs in pairs)


_PIECES = st.sampled_from([
    " ", "\t", "\\\n", "\\\n\t", "/* c */", "/* a\nb */", "// end", "x", "_y1", "0x1fUL",
    "1.5e+3", "'a'", '"s\\"t"', "(", ")", "<<", ">>=", "##", "#", "...", "->", ",", "-",
    "+", "/", "*", "u8\"q\"", "L'w'", ".5", "$d", "?", ":",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=24))
def test_random_definitions_lex_as_libclang_does(tmp_path_factory, pieces: list[str]) -> None:
    header = tmp_path_factory.mktemp("lex") / "random.h"
    body = "".join(pieces)
    header.write_text(f"#define M {body}\nint after;\n")
    for mine, theirs in _both_ways(header, []):
        # None: a splice glued to tokens on both sides; kbind asks libclang.
        assert mine is None or mine == theirs, repr(body)
