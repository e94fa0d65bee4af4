"""POSIX shell word splitting (what sh does to a Kbuild command line or to
rust/bindgen_parameters), and make's $(filter-out)."""

from __future__ import annotations

from collections.abc import Iterable

_OPERATOR_CHARS = ";&|"
_DQUOTE_ESCAPABLE = '$`"\\\n'


class ShellSyntaxError(ValueError):
    """Unbalanced quotes in shell text."""


def shell_words(text: str) -> tuple[list[str], str | None]:
    """Split `text` as sh would (quote removal, backslashes, comments).

    Stops at the first unquoted control operator (`;`, `&`, `|`) or comment
    (`#` starting a word) and returns it as the second item (None at end).
    Parameter, command and glob expansion are not performed.
    """
    words: list[str] = []
    word: list[str] = []
    in_word = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\n":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
            i += 1
        elif ch in _OPERATOR_CHARS or (ch == "#" and not in_word):
            if in_word:
                words.append("".join(word))
            return words, ch
        elif ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unterminated single quote")
            word.append(text[i + 1 : end])
            in_word, i = True, end + 1
        elif ch == '"':
            i = _read_double_quoted(text, i + 1, word)
            in_word = True
        elif ch == "\\":
            if i + 1 < n and text[i + 1] != "\n":
                word.append(text[i + 1])
                in_word = True
            i += 2
        else:
            word.append(ch)
            in_word, i = True, i + 1
    if in_word:
        words.append("".join(word))
    return words, None


def _read_double_quoted(text: str, i: int, word: list[str]) -> int:
    """Append a double-quoted string's content to `word`; return the index after it."""
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return i + 1
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _DQUOTE_ESCAPABLE:
            if text[i + 1] != "\n":
                word.append(text[i + 1])
            i += 2
            continue
        word.append(ch)
        i += 1
    raise ShellSyntaxError("unterminated double quote")


def make_filter_out(patterns: Iterable[str], words: Iterable[str]) -> list[str]:
    """GNU make's `$(filter-out patterns,words)`: `%` matches any substring once."""
    exact: set[str] = set()
    wild: list[tuple[str, str]] = []
    for pat in patterns:
        if "%" in pat:
            head, _, tail = pat.partition("%")
            wild.append((head, tail))
        else:
            exact.add(pat)

    def matches(w: str) -> bool:
        if w in exact:
            return True
        return any(len(w) >= len(h) + len(t) and w.startswith(h) and w.endswith(t) for h, t in wild)

    return [w for w in words if not matches(w)]


