"""Canonical spelling of Rust type and value text.

bindgen's output may or may not have gone through rustfmt, so its token
spacing varies. Both kbind's predictions and the parsed bindgen output are
brought to one canonical form: tokens joined with no space, except one space
between two word-like tokens, after `,` `;` `:` and around `->`.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    (?P<str>b?"(?:\\.|[^"\\])*")          # string / byte string
  | (?P<chr>b?'(?:\\.|[^'\\])')           # char / byte literal
  | (?P<life>'[A-Za-z_][A-Za-z0-9_]*)     # lifetime
  | (?P<word>[A-Za-z0-9_][A-Za-z0-9_.]*)  # ident, keyword, number
  | (?P<punct>::|->|\.\.\.|=>|[^\sA-Za-z0-9_])
    """,
    re.VERBOSE,
)

_SPACE_AFTER = {",", ";", ":"}
_LIFETIME = re.compile(r"'[A-Za-z_][A-Za-z0-9_]*")


def tokens(text: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(text)]


def _wordlike(tok: str) -> bool:
    return tok[0].isalnum() or tok[0] in "_\"'" or tok.startswith('b"')


def canonical(text: str) -> str:
    """Return `text` with canonical token spacing (see module doc)."""
    out: list[str] = []
    prev = ""
    for tok in tokens(text):
        if out:
            if prev in _SPACE_AFTER or tok == "->" or prev == "->":
                out.append(" ")
            elif _wordlike(prev) and _wordlike(tok):
                out.append(" ")
            elif prev == "=" or tok == "=" or _LIFETIME.fullmatch(prev):
                out.append(" ")
        out.append(tok)
        prev = tok
    return "".join(out)
