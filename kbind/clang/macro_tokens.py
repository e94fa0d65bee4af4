"""Preprocessing tokens of a `#define`, lexed from the file's bytes.

Asking libclang for a macro's tokens costs a Python object and two calls per
token (about 160,000 tokens for the kernel), which was a third of the whole
audit. The C lexical grammar (C11 6.4) is small and exact, so kbind lexes the
definition itself; tests check it against clang's own tokens.
"""

from __future__ import annotations

import re

# Order matters: the first alternative that matches wins, and each is maximal
# munch on its own (longer punctuators listed before their prefixes).
_TOKEN_ALTERNATIVES = rb"""
    (?P<string>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*"|(?:u8|[uUL])?'(?:\\.|[^'\\\n])*')
  | (?P<ident>[A-Za-z_$\x80-\xff][A-Za-z0-9_$\x80-\xff]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
  | (?P<punct>%:%:|\.\.\.|<<=|>>=|->|::|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-*/%+&^|]=
              |\#\#|<:|:>|<%|%>|%:|[\[\](){}.&*+\-~!/%<>^|?:;=,\#])
  | (?P<other>.)
"""
_BLANKS = rb"[ \t\f\v\r]+|\\\r?\n"
# An unterminated comment runs to the end of the file, as clang reads it.
_TOKEN = re.compile(
    rb"(?P<space>" + _BLANKS + rb")"
    rb" | (?P<newline>\n)"
    rb" | (?P<comment>/\*.*?(?:\*/|\Z)|//(?:\\\r?\n|[^\n])*)"
    rb" | " + _TOKEN_ALTERNATIVES,
    re.VERBOSE | re.DOTALL,
)
# One line's worth with no comment and no newline in it: blanks match with
# the token group empty, so `findall` lexes it in one call.
_TOKENS = re.compile(rb"(?:" + _BLANKS + rb")|("
                     + re.sub(rb"\(\?P<\w+>", b"(?:", _TOKEN_ALTERNATIVES) + rb")",
                     re.VERBOSE | re.DOTALL)
# A line splice with a token right after it (see define_tokens).
_SPLICE_INTO_TOKEN = re.compile(rb"\\\r?\n[^ \t\f\v\r\n]")


_BLANK = frozenset(b" \t\f\v\r\n")
_BACKSLASH = 0x5C


def define_tokens(source: bytes, offset: int) -> list[str] | None:
    """Tokens of the macro definition whose name starts at byte `offset`.

    The definition ends at the first newline that is not escaped and not
    inside a comment. Comments are dropped, as cexpr never sees them.

    A line splice that runs straight into a literal or punctuator stays in
    front of it, as libclang spells it (`"\\\n)"`): clang starts the token
    at the backslash. bindgen's cexpr then rejects the macro, so kbind must
    see the same text.

    Returns None for a splice with a token on both sides, which may lie
    inside one token (`x\\\ny` is `xy`): the caller asks libclang then.
    """
    stop = _definition_end(source, offset)
    text = source[offset:stop]
    if b"/*" not in text and b"//" not in text and _SPLICE_INTO_TOKEN.search(text) is None:
        # The common case, no comment and no splice into a token: one regex call.
        # (`findall` gives the group: a token, or b"" for blanks.)
        return [t.decode("utf-8", "replace")
                for t in _TOKENS.findall(text) if t]
    return _lex(source, offset)


def _definition_end(source: bytes, offset: int) -> int:
    """Where the first line not ending in a line splice ends (its newline)."""
    pos = offset
    while True:
        newline = source.find(b"\n", pos)
        if newline < 0:
            return len(source)
        before = newline - 1
        if before >= offset and source[before] == 0x0D:
            before -= 1
        if before < offset or source[before] != _BACKSLASH:
            return newline
        pos = newline + 1


def _lex(source: bytes, offset: int) -> list[str] | None:
    """define_tokens one token at a time: comments and splices into tokens."""
    tokens: list[str] = []
    pos = offset
    end = len(source)
    match = _TOKEN.match
    start = None  # where a token begins that a splice runs into
    while pos < end:
        m = match(source, pos)  # never None: `other` takes any byte
        kind = m.lastgroup
        if kind == "newline":
            break
        if kind == "space" and source[pos] == _BACKSLASH:
            after = m.end()
            if after >= end or (source[after] not in _BLANK
                                and source[pos - 1] not in _BLANK):
                # Perhaps inside a token, or at the end of the file.
                return None
            if source[after] not in _BLANK and start is None:
                start = pos
        elif kind == "space" or kind == "comment":
            start = None
        else:
            # An identifier comes back clean (libclang spells it from its name).
            first = pos if start is None or kind == "ident" else start
            tokens.append(source[first:m.end()].decode("utf-8", "replace"))
            start = None
        pos = m.end()
    return tokens
