"""A small C preprocessor over token lists, with the TU's macro definitions.

Enough to see what a statement spelled through macros really says (the
constraints of an inline asm statement whose operands come from arm64's
`JUMP_TABLE_ENTRY`): object-like and function-like macros, `#x`
stringizing, `##` dropped, adjacent string literals joined.
"""

from __future__ import annotations

from kbind.clang import _compat
from kbind.clang._compat import cindex

CK = cindex.CursorKind
_MAX_DEPTH = 8


class MacroExpander:
    def __init__(self, tu: cindex.TranslationUnit) -> None:
        self.tu = tu
        self._macros: dict[str, tuple[list[str] | None, list[str]]] | None = None

    def expand(self, tokens: list[str]) -> list[str]:
        return _join_strings(self._expand(tokens, 0))

    def _expand(self, tokens: list[str], depth: int) -> list[str]:
        """Macro expansion, enough to see asm constraints (`#x` stringizes)."""
        macros = self._macro_table()
        out: list[str] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            macro = macros.get(tok) if depth < _MAX_DEPTH else None
            if macro is None:
                out.append(tok)
                i += 1
                continue
            params, body = macro
            if params is None:
                out.extend(self._expand(body, depth + 1))
                i += 1
                continue
            if i + 1 >= len(tokens) or tokens[i + 1] != "(":
                out.append(tok)
                i += 1
                continue
            args, i = _macro_args(tokens, i + 1)
            env = dict(zip(params, args, strict=False))
            if params and params[-1] == "...":
                env["__VA_ARGS__"] = [t for a in args[len(params) - 1:] for t in (*a, ",")][:-1]
            out.extend(self._expand(_substitute(body, env), depth + 1))
        return out

    def _macro_table(self) -> dict[str, tuple[list[str] | None, list[str]]]:
        if self._macros is None:
            self._macros = {}
            for cursor in self.tu.cursor.get_children():
                if cursor.kind != CK.MACRO_DEFINITION or cursor.location.file is None:
                    continue
                toks = [t.spelling.replace("\\\n", "") for t in cursor.get_tokens()
                        if t.kind != cindex.TokenKind.COMMENT][1:]
                if _compat.is_macro_function_like(cursor) and toks and toks[0] == "(":
                    close = toks.index(")")
                    params = [t for t in toks[1:close] if t != ","]
                    self._macros[cursor.spelling] = (params, toks[close + 1:])
                else:
                    self._macros[cursor.spelling] = (None, toks)
        return self._macros


def _macro_args(tokens: list[str], open_at: int) -> tuple[list[list[str]], int]:
    """The arguments of a macro call whose `(` is at `open_at`; and the index after `)`."""
    args: list[list[str]] = [[]]
    depth = 0
    i = open_at
    while i < len(tokens):
        tok = tokens[i]
        if tok == "(":
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif tok == ")":
            depth -= 1
            if depth == 0:
                return (args if args != [[]] else []), i + 1
        if tok == "," and depth == 1:
            args.append([])
        else:
            args[-1].append(tok)
        i += 1
    return args, i


def _substitute(body: list[str], env: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(body):
        tok = body[i]
        if tok == "#" and i + 1 < len(body) and body[i + 1] in env:
            out.append('"' + " ".join(env[body[i + 1]]) + '"')
            i += 2
            continue
        if tok != "##":
            out.extend(env.get(tok, [tok]))
        i += 1
    return out


def _join_strings(tokens: list[str]) -> list[str]:
    """Adjacent string literals are one string (`"=@cc" "e"`)."""
    out: list[str] = []
    for tok in tokens:
        if tok.startswith('"') and out and out[-1].startswith('"') and out[-1].endswith('"'):
            out[-1] = out[-1][:-1] + tok[1:]
        else:
            out.append(tok)
    return out
