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
_TOKEN = re.compile(
    rb"""
    (?P<space>[ \t\f\v\r]+|\\\r?\n)
  | (?P<newline>\n)
  | (?P<comment>/\*.*?\*/|//(?:\\\r?\n|[^\n])*)
  | (?P<string>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*"|(?:u8|[uUL])?'(?:\\.|[^'\\\n])*')
  | (?P<ident>[A-Za-z_$\x80-\xff][A-Za-z0-9_$\x80-\xff]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|'[0-9A-Za-z_]|[0-9A-Za-z_.])*)
  | (?P<punct>%:%:|\.\.\.|<<=|>>=|->|::|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-*/%+&^|]=
              |\#\#|<:|:>|<%|%>|%:|[\[\](){}.&*+\-~!/%<>^|?:;=,\#])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


_BLANK = frozenset(b" \t\f\v\r\n")
_BACKSLASH = 0x5C


def define_tokens(source: bytes, offset: int) -> list[str] | None:
    """Tokens of the macro definition whose name starts at byte `offset`.

    The definition ends at the first newline that is not escaped and not
    inside a comment. Comments are dropped, as cexpr never sees them.

    Returns None when a line splice runs straight into a token: libclang then
    spells a literal or punctuator with the splice inside (`"\\\n)"`), which
    makes cexpr reject the macro, so the caller must ask libclang itself.
    """
    tokens: list[str] = []
    pos = offset
    end = len(source)
    match = _TOKEN.match
    while pos < end:
        m = match(source, pos)  # never None: `other` takes any byte
        kind = m.lastgroup
        if kind == "newline":
            break
        if kind == "space" and source[pos] == _BACKSLASH:
            after = m.end()
            if after < end and source[after] not in _BLANK:
                return None
        elif kind != "space" and kind != "comment":
            tokens.append(m.group().decode("utf-8", "replace"))
        pos = m.end()
    return tokens
