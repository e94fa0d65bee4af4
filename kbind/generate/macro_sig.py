"""Infer the C signature of a function-like macro that forwards to a function.

`#define foo(a, b) __foo(a, b)` or `#define foo(x) bar(x, 0)`: each macro
parameter is passed unchanged to a parameter of a function whose prototype
clang saw, possibly through other forwarding macros (`alloc_hooks(f(...))`).
The macro then has that function's return type, and each parameter the type
of the callee parameter it lands in. Anything else (a parameter used inside
an expression, a statement macro, token pasting) is not guessed: the result
is a `NoSignature` with the reason.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass

from kbind.ir import CType, Function, FunctionType, Macro, Param

VA_ARGS = "__VA_ARGS__"
_MARK = "\x01"  # prefixes the top macro's parameters while expanding
_MAX_DEPTH = 16
_OPEN = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class MacroSignature:
    ret: CType
    params: tuple[Param, ...]  # named after the macro's parameters
    callee: str  # the function the macro ends up calling
    via: tuple[str, ...] = ()  # macros expanded on the way
    # The callee's arguments: a macro parameter's name, or the constant's tokens.
    callee_args: tuple[tuple[str, ...], ...] = ()
    calls: tuple[str, ...] = ()  # every name the expansion calls


@dataclass(frozen=True)
class NoSignature:
    reason: str


class _Fail(Exception):
    pass


def infer(macro: Macro, macros: Mapping[str, Macro], functions: Mapping[str, Function],
          known: Container[str] = ()) -> MacroSignature | NoSignature:
    """The signature of `macro`, or why it cannot be inferred.

    `known` holds the other names declared where the macro is used (enum
    constants, variables, types): the constant arguments it passes must
    name only those, macros and functions.
    """
    try:
        return _infer(macro, macros, functions, known)
    except _Fail as exc:
        return NoSignature(str(exc))


def _infer(macro: Macro, macros: Mapping[str, Macro], functions: Mapping[str, Function],
           known: Container[str]) -> MacroSignature:
    names, variadic = _params(macro)
    env = {p: [_MARK + p] for p in names}
    if variadic:
        env[VA_ARGS] = [_MARK + VA_ARGS]
    body = _substitute(macro, env)
    via: list[str] = []
    bodies: list[list[str]] = []
    callee, args = _follow(body, macros, functions, {macro.name}, via, bodies)
    _check_calls(bodies, macros, functions)
    local = {name for body in bodies for name in _declared_in(body)}
    _check_names([t for arg in args for t in arg], macros, functions, known, local)
    fn = functions[callee]
    ftype = fn.type
    if not isinstance(ftype, FunctionType) or not ftype.has_prototype:
        raise _Fail(f"forwards to `{callee}`, which has no prototype")
    if ftype.variadic:
        raise _Fail(f"forwards to `{callee}`, which is variadic")
    mapped = _map_args(args, ftype, callee)
    params: list[Param] = []
    for p in names:
        if p not in mapped:
            raise _Fail(f"parameter `{p}` is not passed unchanged to `{callee}`")
        params.append(Param(p, mapped[p]))
    if variadic:
        pack = mapped.get(VA_ARGS)
        if pack is None:
            raise _Fail(f"`__VA_ARGS__` is not passed unchanged to `{callee}`")
        params.extend(pack)  # type: ignore[arg-type]
    shown = tuple(tuple(t[len(_MARK):] if t.startswith(_MARK) else t for t in _strip_parens(a))
                  for a in args)
    calls = tuple(sorted({c for body in bodies for c in _calls(body)}))
    return MacroSignature(ftype.ret, tuple(params), callee, tuple(via), shown, calls)


def _params(macro: Macro) -> tuple[list[str], bool]:
    params = list(macro.params)
    variadic = bool(params) and params[-1] == "..."
    if variadic:
        params.pop()
        if VA_ARGS not in body_tokens(macro):
            raise _Fail("a GNU named variadic parameter (`args...`)")
    return params, variadic


def body_tokens(macro: Macro) -> list[str]:
    """The body's tokens; libclang glues a line continuation onto the next token."""
    return [t.replace("\\\r\n", "").replace("\\\n", "") if "\\" in t else t
            for t in macro.tokens]


def _substitute(macro: Macro, env: dict[str, list[str]]) -> list[str]:
    """The macro's body with parameters replaced (no stringizing or pasting)."""
    tokens = body_tokens(macro)
    if "#" in tokens:
        raise _Fail(f"`{macro.name}` stringizes a parameter")
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok == "##":
            # GNU `, ## __VA_ARGS__`: drops the comma when the pack is empty.
            if i + 1 < len(tokens) and tokens[i + 1] == VA_ARGS:
                if not env.get(VA_ARGS) and out and out[-1] == ",":
                    out.pop()
                continue
            raise _Fail(f"`{macro.name}` pastes tokens")
        out.extend(env.get(tok, [tok]))
    return out


def _follow(tokens: list[str], macros: Mapping[str, Macro], functions: Mapping[str, Function],
            expanding: set[str], via: list[str], bodies: list[list[str]]
            ) -> tuple[str, list[list[str]]]:
    """Expand forwarding macros until a call of a known function remains."""
    for _ in range(_MAX_DEPTH):
        bodies.append(tokens)
        tokens = _strip_parens(tokens)
        if tokens and tokens[0] == "{" and _match(tokens, 0) == len(tokens) - 1:
            tokens = _statement_value(tokens[1:-1])
            continue
        if len(tokens) < 3 or not _is_ident(tokens[0]) or tokens[1] != "(" or \
                _match(tokens, 1) != len(tokens) - 1:
            raise _Fail("the body is not a single function call")
        name = tokens[0]
        args = _split_args(tokens[2:-1])
        macro = macros.get(name)
        if macro is not None and macro.function_like and name not in expanding:
            names, variadic = _params(macro)
            if len(args) < len(names) or (len(args) > len(names) and not variadic):
                raise _Fail(f"`{name}` is called with {len(args)} arguments")
            env = dict(zip(names, args, strict=False))
            if variadic:
                env[VA_ARGS] = _join(args[len(names):])
            tokens = _substitute(macro, env)
            expanding = expanding | {name}
            via.append(name)
            continue
        if name in functions:
            return name, args
        raise _Fail(f"it calls `{name}`, which is neither a function with a prototype "
                    "nor a forwarding macro")
    raise _Fail("macros nest too deeply")


_TYPEOF = {"typeof", "__typeof__", "__typeof"}
# Words followed by `(` that are not calls.
_NOT_CALLS = frozenset("""
if while for switch return sizeof typeof __typeof__ __typeof _Generic _Alignof __alignof__
alignof __attribute__ __attribute asm __asm__ __asm volatile __volatile__ _Static_assert
__extension__ __auto_type do else case default goto
""".split())


def _check_calls(bodies: list[list[str]], macros: Mapping[str, Macro],
                 functions: Mapping[str, Function]) -> None:
    """Everything the expansion calls must be declared where the macro is.

    A macro may call a function only some .c files declare (a tracepoint
    such as `trace_ipi_send_cpu`): a shim elsewhere would not compile.
    """
    seen: set[str] = set()
    todo = [tok for body in bodies for tok in _calls(body)]
    while todo:
        name = todo.pop()
        if name in seen or name in functions or name.startswith("__builtin_"):
            continue
        seen.add(name)
        macro = macros.get(name)
        if macro is None:
            raise _Fail(f"its expansion calls `{name}`, which no included header declares")
        if len(seen) < 256:
            todo.extend(t for t in _calls(body_tokens(macro)) if t not in macro.params)


def _check_names(tokens: list[str], macros: Mapping[str, Macro], functions: Mapping[str, Function],
                 known: Container[str], local: Container[str]) -> None:
    """The constant arguments must be defined here (`FIXMAP_PAGE_NOCACHE` may name a
    macro the architecture never defines). Member names, variables a statement
    expression declares and the predefined identifiers need no definition."""
    seen: set[str] = set()
    todo = _names(tokens)
    while todo:
        name = todo.pop()
        if name in seen or name in functions or name in known or name in _C_WORDS or \
                name in local or name.startswith("__builtin_"):
            continue
        seen.add(name)
        macro = macros.get(name)
        if macro is None:
            raise _Fail(f"its expansion uses `{name}`, which nothing included defines")
        if not macro.function_like and len(seen) < 256:
            todo.extend(_names(body_tokens(macro)))


def _names(tokens: list[str]) -> list[str]:
    """Identifiers that must be declared: not member names (after `.` or `->`)."""
    return [t for i, t in enumerate(tokens) if _is_ident(t) and not t.startswith(_MARK)
            and (i == 0 or tokens[i - 1] not in _NOT_A_NAME_AFTER)]


# After these, an identifier is a member, a tag or a label, not a declared name.
_NOT_A_NAME_AFTER = frozenset({".", "->", "struct", "union", "enum", "&&", "__label__",
                               "goto"})


def _declared_in(body: list[str]) -> list[str]:
    """Variables a statement expression's statements declare (`T v = E;`, `T v;`)."""
    tokens = _strip_parens(body)
    if not tokens or tokens[0] != "{" or _match(tokens, 0) != len(tokens) - 1:
        return []
    out: list[str] = []
    for stmt in _split(tokens[1:-1], ";"):
        head = stmt[:stmt.index("=")] if "=" in stmt else stmt
        idents = [t for t in head if _is_ident(t)]
        if len(head) >= 2 and idents and head[-1] == idents[-1] and "(" not in head[-1:]:
            out.append(idents[-1])
    return out


_C_WORDS = _NOT_CALLS | frozenset("""
__LINE__ __FILE__ __func__ __FUNCTION__ __COUNTER__ __PRETTY_FUNCTION__
void char short int long float double signed unsigned _Bool const volatile struct union
enum auto register static extern inline restrict __restrict __inline __inline__ __const
__volatile __signed__ __int128 _Float16 __float128
""".split())


def _calls(tokens: list[str]) -> list[str]:
    return [tok for tok, nxt in zip(tokens, tokens[1:], strict=False)
            if nxt == "(" and _is_ident(tok) and tok not in _NOT_CALLS
            and not tok.startswith(_MARK)]


def _statement_value(block: list[str]) -> list[str]:
    """The value of a GNU statement expression `({ ...; E; })`: its last statement.

    A last statement naming a variable the block declared as
    `typeof(E) v = E;` (the kernel's value-preserving wrapper, e.g.
    `alloc_hooks`) stands for E itself.
    """
    statements = [s for s in _split(block, ";") if s]
    if not statements:
        raise _Fail("a statement expression without a value")
    last = statements[-1]
    if len(last) == 1 and _is_ident(last[0]):
        for stmt in statements[:-1]:
            if stmt and stmt[0] in _TYPEOF and len(stmt) > 2 and stmt[1] == "(":
                close = _match(stmt, 1)
                rest = stmt[close + 1:]
                if close > 0 and rest[:2] == [last[0], "="]:
                    return rest[2:]
        raise _Fail(f"a statement expression whose value `{last[0]}` kbind cannot type")
    return last


def _map_args(args: list[list[str]], ftype: FunctionType, callee: str
              ) -> dict[str, CType | list[Param]]:
    mapped: dict[str, CType | list[Param]] = {}
    for j, arg in enumerate(args):
        arg = _strip_parens(arg)
        marks = [t for t in arg if t.startswith(_MARK)]
        if not marks:
            continue
        if len(arg) != 1:
            raise _Fail(f"parameter `{marks[0][1:]}` is used in an expression, "
                        f"not passed unchanged to `{callee}`")
        name = arg[0][1:]
        if name == VA_ARGS:
            if j != len(args) - 1:
                raise _Fail(f"`__VA_ARGS__` is not the last argument of `{callee}`")
            mapped[VA_ARGS] = [Param(p.name or f"arg{j + k + 1}", p.type)
                               for k, p in enumerate(ftype.params[j:])]
            continue
        if j >= len(ftype.params):
            raise _Fail(f"`{callee}` takes {len(ftype.params)} arguments")
        ptype = ftype.params[j].type
        if name in mapped and mapped[name] != ptype:
            raise _Fail(f"parameter `{name}` is passed where `{callee}` expects two types")
        mapped[name] = ptype
    if len(args) != len(ftype.params) and VA_ARGS not in mapped:
        raise _Fail(f"`{callee}` takes {len(ftype.params)} arguments, not {len(args)}")
    return mapped


def _is_ident(tok: str) -> bool:
    return tok.isidentifier()


def _match(tokens: list[str], start: int) -> int:
    """Index of the bracket closing tokens[start], or -1."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i] in _OPEN:
            depth += 1
        elif tokens[i] in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return i
    return -1


def _strip_parens(tokens: list[str]) -> list[str]:
    while len(tokens) >= 2 and tokens[0] == "(" and _match(tokens, 0) == len(tokens) - 1:
        tokens = tokens[1:-1]
    return tokens


def _split_args(tokens: list[str]) -> list[list[str]]:
    return _split(tokens, ",") if tokens else []


def _split(tokens: list[str], sep: str) -> list[list[str]]:
    """Split at `sep` outside brackets."""
    parts: list[list[str]] = [[]]
    depth = 0
    for tok in tokens:
        if tok in _OPEN:
            depth += 1
        elif tok in (")", "]", "}"):
            depth -= 1
        if tok == sep and depth == 0:
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


def _join(args: list[list[str]]) -> list[str]:
    out: list[str] = []
    for arg in args:
        if out:
            out.append(",")
        out.extend(arg)
    return out
