"""Which inline functions a shim can really wrap: a look at their bodies.

A shim calls the inline function with arguments unknown at compile time.
Some bodies only compile when an argument is a constant the optimiser can
fold: a call to a function declared `__attribute__((error))` (BUILD_BUG_ON,
`__bad_mask`; `warning` too, since the kernel builds with -Werror) that is
eliminated only for constant arguments, or an inline asm operand with an
immediate-only constraint ("i", "n"...). This module reparses the header
with function bodies (only when asked: the audit skips bodies) and follows
each body with the parameters marked unknown, through the inline functions
it calls:

- a condition is *dynamic* when it depends on an unknown parameter or a
  local; `__builtin_constant_p(unknown)` is known false; conditions on
  known values are evaluated;
- an error call is live when nothing on its path is known false and no
  guard is a constant of unknown value (valid kernel code only reaches it
  for constants that fail the check); the conditions of earlier
  `if (...) return` statements count as guards;
- a live asm operand with an immediate-only constraint must not name an
  unknown parameter or a local.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kbind.clang import _compat
from kbind.clang._compat import cindex
from kbind.clang.macro_expand import MacroExpander
from kbind.clang.parse import build_args
from kbind.ir.bodies import ASM_IMMEDIATE, DYNAMIC, UNKNOWN, NotWrappable

CK = cindex.CursorKind
_OPTIONS = cindex.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
_ERROR_ATTR = re.compile(r"__attribute__\(\((?:__)?error(?:__)?\(")
_WARNING_ATTR = re.compile(r"__attribute__\(\((?:__)?warning(?:__)?\(")
# Constraint letters that only accept an immediate, per common targets.
_IMMEDIATE = set("inIJKLMNOeZ")
_MODIFIERS = set("=+&%*?!#^")
_JUMPS = {CK.RETURN_STMT, CK.BREAK_STMT, CK.CONTINUE_STMT, CK.GOTO_STMT}
_UNKNOWN, _DYNAMIC = UNKNOWN, DYNAMIC


@dataclass
class _Frame:
    values: dict[str, object]  # parameter name -> 0/1/int, _UNKNOWN or _DYNAMIC
    locals: set[str] = field(default_factory=set)


class BodyAnalyser:
    def __init__(self, header: str, clang_args: Sequence[str], triple: str,
                 root: str | None = None) -> None:
        args = build_args(header, list(clang_args), triple)
        self.root = os.path.abspath(root or os.getcwd())
        # A call to a `warning` function fails the build only under -Werror.
        self.werror = "-Werror" in clang_args
        self.index = cindex.Index.create()
        self.tu = self.index.parse(header, args=args, options=_OPTIONS)
        self.bodies: dict[str, cindex.Cursor] = {}
        for cursor in self.tu.cursor.get_children():
            if cursor.kind == CK.FUNCTION_DECL and cursor.is_definition():
                self.bodies.setdefault(cursor.spelling, cursor)
        self._errors: dict[str, bool] = {}
        self._memo: dict[tuple[str, tuple[object, ...]], NotWrappable | None] = {}
        self._busy: set[tuple[str, tuple[object, ...]]] = set()
        self._decls: dict[str, list[cindex.Cursor]] | None = None
        self._attr_cache: dict[int, bool] = {}
        self.expander = MacroExpander(self.tu)

    # -- public -------------------------------------------------------------

    def check(self, name: str, values: Sequence[object] | None = None) -> NotWrappable | None:
        """None when a shim passing unknown arguments compiles; else why not.

        `values` gives known argument values (0/1/ints) or _UNKNOWN per
        parameter; by default every argument is dynamic.
        """
        fn = self.bodies.get(name)
        if fn is None:
            return None
        params = [a.spelling for a in fn.get_arguments()]
        vals = tuple(values) if values is not None else tuple(_DYNAMIC for _ in params)
        key = (name, vals)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return None  # recursion: judged by the outer call
        self._busy.add(key)
        frame = _Frame(dict(zip(params, vals, strict=False)))
        body = next((c for c in fn.get_children() if c.kind == CK.COMPOUND_STMT), None)
        result = self._stmt(body, frame, []) if body is not None else None
        self._busy.discard(key)
        self._memo[key] = result
        return result

    def is_error_function(self, name: str) -> bool:
        """A file-scope function declared with the error or warning attribute."""
        if name not in self._errors:
            self._errors[name] = False
            for cursor in self._declarations().get(name, ()):
                if self._has_error_attr(cursor):
                    return True
        return self._errors[name]

    def _declarations(self) -> dict[str, list[cindex.Cursor]]:
        if self._decls is None:
            self._decls = {}
            for cursor in self.tu.cursor.get_children():
                if cursor.kind == CK.FUNCTION_DECL:
                    self._decls.setdefault(cursor.spelling, []).append(cursor)
        return self._decls

    # -- statements ---------------------------------------------------------

    def _stmt(self, node: cindex.Cursor, frame: _Frame, guards: list[object]
              ) -> NotWrappable | None:
        kind = node.kind
        if kind == CK.COMPOUND_STMT:
            local_guards = list(guards)
            for child in node.get_children():
                found = self._stmt(child, frame, local_guards)
                if found is not None:
                    return found
                if child.kind == CK.IF_STMT and _has_jump(child):
                    # Code after `if (c) return;` runs only when c is false.
                    local_guards.append(_negate(self._cond(_children(child)[0], frame)))
            return None
        if kind == CK.IF_STMT:
            parts = _children(node)
            cond = self._cond(parts[0], frame)
            found = self._expr(parts[0], frame, guards)
            if found is None and cond != 0:
                found = self._stmt(parts[1], frame, [*guards, cond])
            if found is None and len(parts) > 2 and cond != 1:
                found = self._stmt(parts[2], frame, [*guards, _negate(cond)])
            return found
        if kind == CK.SWITCH_STMT:
            return self._switch(node, frame, guards)
        if kind in (CK.WHILE_STMT, CK.FOR_STMT, CK.DO_STMT):
            parts = _children(node)
            cond = _DYNAMIC if kind != CK.DO_STMT else 1
            if kind in (CK.WHILE_STMT, CK.SWITCH_STMT) and parts:
                cond = self._cond(parts[0], frame)
            for part in parts:
                inner = [*guards, cond] if part.kind in (CK.COMPOUND_STMT, CK.CASE_STMT,
                                                          CK.DEFAULT_STMT) else guards
                found = self._stmt(part, frame, inner)
                if found is not None:
                    return found
            return None
        if kind == CK.DECL_STMT:
            for var in node.get_children():
                if var.kind == CK.VAR_DECL:
                    inits = [c for c in var.get_children() if c.kind.is_expression()]
                    # A local set from constants (`char *k = &key[branch]` with both
                    # known) is itself a constant once inlined.
                    if not inits or any(self._depends(i, frame) for i in inits):
                        frame.locals.add(var.spelling)
                    for init in inits:
                        found = self._expr(init, frame, guards)
                        if found is not None:
                            return found
            return None
        if kind == CK.ASM_STMT:
            return self._asm(node, frame, guards)
        if kind.is_expression() or kind in (CK.RETURN_STMT, CK.CASE_STMT, CK.DEFAULT_STMT,
                                            CK.LABEL_STMT):
            return self._expr(node, frame, guards)
        for child in node.get_children():
            found = self._stmt(child, frame, guards)
            if found is not None:
                return found
        return None

    def _switch(self, node: cindex.Cursor, frame: _Frame, guards: list[object]
                ) -> NotWrappable | None:
        """Only the cases a known value selects run (until a `break`)."""
        parts = _children(node)
        value = self._value(parts[0], frame)
        found = self._expr(parts[0], frame, guards)
        body = parts[-1]
        if found is not None or body.kind != CK.COMPOUND_STMT:
            return found
        stmts = _children(body)
        known = isinstance(value, int)
        matched = known and any(
            c.kind == CK.CASE_STMT and self._value(_children(c)[0], frame) == value
            for c in stmts)
        live: object = value if not known else 0
        for stmt in stmts:
            # Each label starts a region: a case that falls into an error is a bug.
            if known and stmt.kind == CK.CASE_STMT:
                live = int(self._value(_children(stmt)[0], frame) == value)
            elif known and stmt.kind == CK.DEFAULT_STMT:
                live = int(not matched)
            elif not known and stmt.kind in (CK.CASE_STMT, CK.DEFAULT_STMT):
                live = _DYNAMIC if value == _DYNAMIC else _UNKNOWN
            if live != 0:
                inner = stmt
                if stmt.kind in (CK.CASE_STMT, CK.DEFAULT_STMT):
                    inner = _children(stmt)[-1]
                found = self._stmt(inner, frame, [*guards, live])
                if found is not None:
                    return found
        return None

    def _expr(self, node: cindex.Cursor, frame: _Frame, guards: list[object]
              ) -> NotWrappable | None:
        kind = node.kind
        if kind == CK.CXX_UNARY_EXPR:
            return None  # sizeof / alignof: never evaluated
        if kind == CK.CONDITIONAL_OPERATOR:
            parts = _children(node)
            cond = self._cond(parts[0], frame)
            found = self._expr(parts[0], frame, guards)
            if found is None and cond != 0:
                found = self._expr(parts[1], frame, [*guards, cond])
            if found is None and cond != 1:
                found = self._expr(parts[2], frame, [*guards, _negate(cond)])
            return found
        if kind == CK.BINARY_OPERATOR and _operator(node) in ("&&", "||"):
            left, right = _children(node)
            cond = self._cond(left, frame)
            found = self._expr(left, frame, guards)
            taken = cond if _operator(node) == "&&" else _negate(cond)
            if found is None and taken != 0:
                found = self._expr(right, frame, [*guards, taken])
            return found
        if kind == CK.COMPOUND_STMT:  # a statement expression's body
            return self._stmt(node, frame, guards)
        if kind == CK.CALL_EXPR:
            return self._call(node, frame, guards)
        for child in node.get_children():
            found = self._stmt(child, frame, guards) if not child.kind.is_expression() \
                else self._expr(child, frame, guards)
            if found is not None:
                return found
        return None

    def _call(self, node: cindex.Cursor, frame: _Frame, guards: list[object]
              ) -> NotWrappable | None:
        args = list(node.get_arguments())
        for arg in args:
            found = self._expr(arg, frame, guards)
            if found is not None:
                return found
        callee = node.referenced
        name = node.spelling
        if callee is None or not name or name == "__builtin_constant_p":
            return None
        if not _live(guards):
            return None
        if self._has_error_attr(callee):
            return NotWrappable(f"calls `{name}`, declared with an error attribute, on a path "
                                "that depends on its arguments", self._where(node))
        if name in self.bodies and name not in ("__builtin_expect",):
            values = [self._value(a, frame) for a in args]
            inner = self.check(name, values)
            if inner is not None:
                return NotWrappable(f"{inner.reason} (through `{name}`)", inner.where,
                                    inner.kind)
        return None

    def _asm(self, node: cindex.Cursor, frame: _Frame, guards: list[object]
             ) -> NotWrappable | None:
        if not _live(guards):
            return None
        # Operands often come from a macro (arm64's JUMP_TABLE_ENTRY): expand.
        tokens = self.expander.expand([t.spelling for t in node.get_tokens()])
        for i, tok in enumerate(tokens[:-1]):
            if not (tok.startswith('"') and tokens[i + 1] == "("):
                continue
            letters = set(tok.strip('"')) - _MODIFIERS
            if not letters or not letters <= _IMMEDIATE:
                continue
            depth, j = 0, i + 1
            operand: list[str] = []
            while j < len(tokens):
                depth += tokens[j] == "("
                depth -= tokens[j] == ")"
                operand.append(tokens[j])
                if depth == 0:
                    break
                j += 1
            unknown = [t for t in operand if frame.values.get(t) in (_DYNAMIC,)
                       or t in frame.locals]
            if unknown:
                return NotWrappable(f"passes `{unknown[0]}` to an inline asm operand that "
                                    f"must be an immediate ({tok})", self._where(node),
                                    ASM_IMMEDIATE)
        return None

    # -- values -------------------------------------------------------------

    def _value(self, node: cindex.Cursor, frame: _Frame) -> object:
        """0/1/int when known, _UNKNOWN for a constant of unknown value, else _DYNAMIC."""
        kind = node.kind
        if kind == CK.UNEXPOSED_EXPR and node.spelling != "__builtin_constant_p":
            # Type traits (`__builtin_types_compatible_p`) and other folds clang
            # can do itself: its evaluator never folds a parameter or a local.
            folded = _compat.evaluate(node)
            if isinstance(folded, int):
                return folded
        if kind == CK.CSTYLE_CAST_EXPR and _children(node):
            # Earlier children are `typeof(...)` in the type: never evaluated.
            return self._value(_children(node)[-1], frame)
        if kind in (CK.UNEXPOSED_EXPR, CK.PAREN_EXPR) and len(_children(node)) == 1:
            return self._value(_children(node)[0], frame)
        if kind == CK.DECL_REF_EXPR:
            if node.spelling in frame.values:
                return frame.values[node.spelling]
            if node.spelling in frame.locals:
                return _DYNAMIC
        if kind == CK.CALL_EXPR and node.spelling == "__builtin_constant_p":
            args = list(node.get_arguments())
            if args and self._depends(args[0], frame):
                return 0
            return _UNKNOWN
        if kind == CK.UNARY_OPERATOR and _children(node):
            inner = self._value(_children(node)[0], frame)
            op = _unary_op(node)
            if isinstance(inner, int) and not isinstance(inner, bool):
                if op == "!":
                    return int(not inner)
                if op == "-":
                    return -inner
                if op == "~":
                    return ~inner
            if op == "!" and inner in (_DYNAMIC, _UNKNOWN):
                return inner
        if kind == CK.BINARY_OPERATOR:
            return self._binary(node, frame)
        if kind == CK.CONDITIONAL_OPERATOR:
            cond, yes, no = (self._value(c, frame) for c in _children(node))
            if isinstance(cond, int):
                return yes if cond else no
            if yes == no and isinstance(yes, int):
                return yes
            return _DYNAMIC if _DYNAMIC in (cond, yes, no) else _UNKNOWN
        if self._depends(node, frame):
            return _DYNAMIC
        value = _compat.evaluate(node)
        return value if isinstance(value, int) else _UNKNOWN

    def _binary(self, node: cindex.Cursor, frame: _Frame) -> object:
        op = _operator(node)
        left, right = (self._value(c, frame) for c in _children(node))
        if op == "&&":
            if left == 0 or right == 0:
                return 0
        elif op == "||":
            if (isinstance(left, int) and left not in (0,)) or \
                    (isinstance(right, int) and right not in (0,)):
                return 1
        if _DYNAMIC in (left, right):
            return _DYNAMIC
        if not (isinstance(left, int) and isinstance(right, int)):
            return _UNKNOWN
        ops = {"&&": lambda a, b: int(bool(a) and bool(b)),
               "||": lambda a, b: int(bool(a) or bool(b)),
               "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b),
               "<": lambda a, b: int(a < b), ">": lambda a, b: int(a > b),
               "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b),
               "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
               "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}
        fn = ops.get(op or "")
        return fn(left, right) if fn else _UNKNOWN

    def _cond(self, node: cindex.Cursor, frame: _Frame) -> object:
        value = self._value(node, frame)
        if isinstance(value, int):
            return int(bool(value))
        return value

    def _depends(self, node: cindex.Cursor, frame: _Frame, address: bool = False) -> bool:
        """Does the value of `node` depend on unknown arguments, locals or memory?
        Under `&` only the path to the object counts, not the object's value."""
        kind = node.kind
        if kind == CK.CXX_UNARY_EXPR:
            return False  # sizeof / alignof
        if kind == CK.DECL_REF_EXPR:
            name = node.spelling
            if frame.values.get(name) == _DYNAMIC or name in frame.locals:
                return True
            ref = node.referenced
            return not address and ref is not None and ref.kind == CK.VAR_DECL and \
                ref.semantic_parent is not None and \
                ref.semantic_parent.kind == CK.TRANSLATION_UNIT and \
                not ref.type.is_const_qualified()
        if kind == CK.CALL_EXPR:
            name = node.spelling
            if name == "__builtin_constant_p":
                return False
            if not name.startswith("__builtin"):
                return True  # what a function returns is not known at compile time
        if kind == CK.CSTYLE_CAST_EXPR and _children(node):
            return self._depends(_children(node)[-1], frame, address)
        if kind == CK.UNARY_OPERATOR and _unary_op(node) == "&":
            address = True
        elif kind == CK.UNARY_OPERATOR and _unary_op(node) == "*":
            address = False
        elif kind == CK.MEMBER_REF_EXPR and not address:
            pass
        return any(self._depends(child, frame, address) for child in node.get_children())

    def _where(self, node: cindex.Cursor) -> str:
        loc = node.location
        name = loc.file.name if loc.file else "?"
        rel = os.path.relpath(name, self.root) if os.path.isabs(name) else name
        return f"{name if rel.startswith('..') else rel}:{loc.line}"

    def _has_error_attr(self, callee: cindex.Cursor) -> bool:
        key = callee.hash
        known = self._attr_cache.get(key)
        if known is None:
            # libclang exposes neither attribute's kind; clang's printing shows it.
            printed = "" if callee.is_definition() else _compat.pretty_printed(callee)
            known = _ERROR_ATTR.search(printed) is not None or (
                self.werror and _WARNING_ATTR.search(printed) is not None)
            self._attr_cache[key] = known
            if known:
                self._errors[callee.spelling] = True
        return known


def _children(node: cindex.Cursor) -> list[cindex.Cursor]:
    return list(node.get_children())


def _has_jump(node: cindex.Cursor) -> bool:
    return any(c.kind in _JUMPS for c in node.walk_preorder())


def _negate(cond: object) -> object:
    if cond in (0, 1):
        return 1 - cond  # type: ignore[operator]
    return cond


def _live(guards: list[object]) -> bool:
    """An error on this path fires: nothing known false, no unknown constant."""
    return all(g != 0 and g != _UNKNOWN for g in guards)


def _operator(node: cindex.Cursor) -> str | None:
    return _compat.binary_operator(node)


def _unary_op(node: cindex.Cursor) -> str | None:
    return _compat.unary_operator(node)
