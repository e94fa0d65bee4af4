"""Emulation of the `cexpr` crate: which object-like macros bindgen evaluates.

cexpr parses a macro body with C literals, parentheses, unary `+ - ~`,
binary `* / % + - << >> & ^ |` and references to earlier macros it could
evaluate. Integers are 64-bit signed with wrapping arithmetic; integer
suffixes are ignored. Anything else (casts, sizeof, calls, `!`, logical and
comparison operators, `?:`, enumerators, variables) makes the macro
unevaluable, and bindgen emits nothing for it. An unevaluable macro carries
the reason, so the audit can say why a const helper is needed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kbind.report import Code

_MASK = (1 << 64) - 1


def _wrap(value: int) -> int:
    value &= _MASK
    return value - (1 << 64) if value >= 1 << 63 else value


@dataclass(frozen=True)
class Value:
    kind: str  # "int" | "float" | "char" | "str"
    value: int | float | bytes


class Unevaluable(Exception):
    """Raised with the reason bindgen cannot turn a macro into a constant, and
    its kbind.report.Code."""

    def __init__(self, reason: str, code: str = Code.UNEVALUABLE_MACRO) -> None:
        super().__init__(reason)
        self.code = code


_INT = re.compile(r"(?P<digits>0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)(?P<suffix>[uUlL]*)")
_FLOAT = re.compile(
    r"(?P<num>(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)"
    r"(?P<suffix>[fFlL]?)"
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SIMPLE_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34,
                   "a": 7, "b": 8, "f": 12, "v": 11, "?": 63, "e": 27}
_TYPE_WORDS = frozenset({
    "char", "short", "int", "long", "unsigned", "signed", "void", "float", "double",
    "_Bool", "bool", "const", "volatile", "struct", "union", "enum", "__force",
    "__typeof__", "typeof",
})
_BINARY_LEVELS: list[tuple[str, ...]] = [
    ("|",), ("^",), ("&",), ("<<", ">>"), ("+", "-"), ("*", "/", "%"),
]
_NOT_SUPPORTED = {
    "!": "logical not `!`", "&&": "logical `&&`", "||": "logical `||`",
    "==": "comparison `==`", "!=": "comparison `!=`", "<": "comparison `<`",
    ">": "comparison `>`", "<=": "comparison `<=`", ">=": "comparison `>=`",
    "?": "conditional `?:`", ",": "comma operator", "sizeof": "sizeof",
    "_Alignof": "_Alignof", "__alignof__": "__alignof__", "#": "stringification",
    "##": "token pasting", "{": "a braced initializer", "[": "subscript",
    ".": "member access", "->": "member access", "=": "assignment",
}


def parse_char(token: str) -> int:
    body = token[token.index("'") + 1:-1]
    values = _unescape(body)
    if len(values) != 1:
        raise Unevaluable(f"multi-character constant {token}")
    return values[0]


def _unescape(body: str) -> list[int]:
    out: list[int] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.extend(ch.encode("utf-8"))
            i += 1
            continue
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if nxt == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            if not m:
                raise Unevaluable("bad \\x escape")
            out.append(int(m.group(0), 16) & 0xFF)
            i += 2 + len(m.group(0))
        elif nxt.isdigit() and nxt not in "89":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            assert m
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        elif nxt in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[nxt])
            i += 2
        else:
            raise Unevaluable(f"unknown escape \\{nxt}")
    return out


def parse_literal(token: str) -> Value | None:
    """A C literal token as cexpr reads it, or None if it is not a literal."""
    if token.startswith(("'", "u'", "U'", "L'", "u8'")):
        if not token.startswith("'"):
            raise Unevaluable(f"wide character literal {token}")
        return Value("char", parse_char(token))
    if token.startswith('"'):
        return Value("str", bytes(_unescape(token[1:-1])))
    if token.startswith(('L"', 'u"', 'U"', 'u8"')):
        raise Unevaluable(f"wide string literal {token}")
    m = _FLOAT.fullmatch(token)
    if m:
        if "." in m.group("num") and any(c in m.group("num") for c in "eE"):
            raise Unevaluable(f"float literal {token} with both `.` and an exponent")
        return Value("float", float(m.group("num")))
    m = _INT.fullmatch(token)
    if m:
        digits = m.group("digits")
        if digits[:2] in ("0x", "0X"):
            value = int(digits[2:], 16)
        elif digits[:2] in ("0b", "0B"):
            value = int(digits[2:], 2)
        elif len(digits) > 1 and digits[0] == "0":
            if any(c in "89" for c in digits):
                if len(digits) > 2:
                    raise Unevaluable(f"bad octal literal {token}")
                value = int(digits)  # cexpr falls back to decimal for 08, 09
            else:
                value = int(digits, 8)
        else:
            value = int(digits)
        if value > _MASK:
            raise Unevaluable(f"integer literal {token} does not fit in 64 bits")
        return Value("int", _wrap(value))
    if token[:1].isdigit():
        raise Unevaluable(f"unsupported literal {token}")
    return None


class _Parser:
    def __init__(self, tokens: list[str], known: dict[str, Value],
                 function_like: set[str]) -> None:
        self.toks = tokens
        self.pos = 0
        self.known = known
        self.function_like = function_like

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> str:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Value:
        if not self.toks:
            raise Unevaluable("empty macro body", Code.EMPTY_MACRO)
        value = self.binary(0)
        rest = self.peek()
        if rest is not None:
            raise Unevaluable(_reason_for(rest, "unexpected token"))
        return value

    def binary(self, level: int) -> Value:
        if level == len(_BINARY_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in _BINARY_LEVELS[level]:
            op = self.take()
            right = self.binary(level + 1)
            left = _apply(op, left, right)
        return left

    def unary(self) -> Value:
        tok = self.peek()
        if tok in ("+", "-", "~"):
            self.take()
            operand = self.unary()
            return _apply_unary(tok, operand)
        return self.primary()

    def _concat(self, data: bytes) -> Value:
        """Adjacent strings, literal or macros with string values, join up."""
        while True:
            nxt = self.peek()
            if nxt is not None and nxt.startswith('"'):
                data += bytes(parse_literal(self.take()).value)  # type: ignore[union-attr, arg-type]
            elif nxt is not None and self.known.get(nxt, Value("int", 0)).kind == "str":
                data += bytes(self.known[self.take()].value)  # type: ignore[arg-type]
            else:
                return Value("str", data)

    def _looks_like_cast(self, name: str) -> bool:
        """`(name) operand` with `name` not a macro: a cast to a typedef."""
        after = self.toks[self.pos + 3] if self.pos + 3 < len(self.toks) else ""
        return (bool(_IDENT.fullmatch(name)) and name not in self.known
                and self.pos + 2 < len(self.toks) and self.toks[self.pos + 2] == ")"
                and after not in ("", ")", "|", "^", "&", "<<", ">>", "*", "/", "%", ","))

    def primary(self) -> Value:
        tok = self.peek()
        if tok is None:
            raise Unevaluable("incomplete expression")
        if tok == "(":
            nxt = self.toks[self.pos + 1] if self.pos + 1 < len(self.toks) else ""
            if nxt in _TYPE_WORDS or self._looks_like_cast(nxt):
                raise Unevaluable(f"cast to `{nxt}`")
            self.take()
            inner = self.binary(0)
            if self.peek() != ")":
                raise Unevaluable(_NOT_SUPPORTED.get(self.peek() or "", "unbalanced parentheses"))
            self.take()
            return inner
        literal = parse_literal(tok)
        if literal is not None:
            self.take()
            if literal.kind == "str":
                return self._concat(bytes(literal.value))  # type: ignore[arg-type]
            return literal
        if _IDENT.fullmatch(tok):
            self.take()
            if tok in _NOT_SUPPORTED:
                raise Unevaluable(_NOT_SUPPORTED[tok])
            if tok in self.known:
                value = self.known[tok]
                if self.peek() == "(":
                    raise Unevaluable(f"call through macro `{tok}`")
                if value.kind == "str":
                    return self._concat(bytes(value.value))  # type: ignore[arg-type]
                return value
            if tok in self.function_like:
                raise Unevaluable(f"function-like macro call `{tok}(...)`")
            if self.peek() == "(":
                raise Unevaluable(f"call to `{tok}()`")
            if tok in _TYPE_WORDS:
                raise Unevaluable(f"type name `{tok}`")
            raise Unevaluable(f"`{tok}` is not an evaluable macro")
        raise Unevaluable(_reason_for(tok, "unsupported token"))


def _reason_for(tok: str, default: str) -> str:
    if tok in _NOT_SUPPORTED:
        return _NOT_SUPPORTED[tok]
    if "\n" in tok:
        # libclang keeps a line continuation in the spelling of the token
        # that starts the next line, and cexpr cannot read it.
        return f"token `{tok.split(chr(10))[-1]}` spelled with the line continuation before it"
    shown = tok.encode("unicode_escape").decode("ascii")
    return f"{default} `{shown}`"


def _as_number(v: Value) -> int | float:
    if v.kind == "str":
        raise Unevaluable("arithmetic on a string")
    if v.kind == "char":
        raise Unevaluable("arithmetic on a character constant")
    return v.value  # type: ignore[return-value]


def _apply_unary(op: str, v: Value) -> Value:
    n = _as_number(v)
    if isinstance(n, float):
        if op == "~":
            raise Unevaluable("`~` on a float")
        return Value("float", -n if op == "-" else n)
    if op == "-":
        return Value("int", _wrap(-n))
    if op == "~":
        return Value("int", _wrap(~n))
    return Value("int", n)


def _apply(op: str, a: Value, b: Value) -> Value:
    x, y = _as_number(a), _as_number(b)
    if isinstance(x, float) or isinstance(y, float):
        if op not in ("+", "-", "*", "/", "%"):
            raise Unevaluable(f"`{op}` on a float")
        fx, fy = float(x), float(y)
        if op == "%":
            return Value("float", math.fmod(fx, fy) if fy else math.nan)
        if op == "/":
            if fy == 0.0:
                return Value("float", math.nan if fx == 0 or fx != fx else math.copysign(
                    math.inf, fx) * math.copysign(1.0, fy))
            return Value("float", fx / fy)
        return Value("float", {"+": fx + fy, "-": fx - fy, "*": fx * fy}[op])
    return Value("int", _int_op(op, int(x), int(y)))


# cexpr divides with Rust's `/` and `%`: a zero divisor panics bindgen itself.
BINDGEN_PANICS = "bindgen 0.60 panics on it"


def _int_op(op: str, x: int, y: int) -> int:
    if op in ("/", "%"):
        if y == 0:
            raise Unevaluable(f"division by zero ({BINDGEN_PANICS})", Code.MACRO_PANICS_BINDGEN)
        q = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)
        return _wrap(q if op == "/" else x - q * y)
    if op in ("<<", ">>"):
        y &= 63  # Rust's wrapping_shl/shr mask the shift amount
        return _wrap(x << y) if op == "<<" else x >> y
    return _wrap({"+": x + y, "-": x - y, "*": x * y, "&": x & y, "^": x ^ y,
                  "|": x | y}[op])


def evaluate(tokens: tuple[str, ...] | list[str], known: dict[str, Value],
             function_like: set[str]) -> Value:
    """Evaluate a macro body as bindgen 0.60 does; raise Unevaluable with a reason.

    cexpr must consume every token (0.60 dropped the old retry without the
    last token).
    """
    return _Parser(list(tokens), known, function_like).parse()
