"""Lower libclang cursors into kbind's IR, one handler per cursor kind."""

from __future__ import annotations

import os
from collections.abc import Callable

from kbind.clang import _compat
from kbind.clang._compat import cindex
from kbind.ir import (
    Array,
    Builtin,
    CType,
    Enum,
    EnumConst,
    Field,
    Function,
    FunctionType,
    Location,
    Macro,
    Opaque,
    Param,
    Pointer,
    Record,
    Ref,
    TranslationUnit,
    Typedef,
    Unsupported,
    Var,
)
from kbind.ir.ctypes import with_const
from kbind.paths import report_path

CK = cindex.CursorKind
TK = cindex.TypeKind

_BUILTIN_KINDS: dict[TK, str] = {
    TK.VOID: "void", TK.BOOL: "bool", TK.CHAR_U: "char", TK.CHAR_S: "char",
    TK.SCHAR: "schar", TK.UCHAR: "uchar", TK.SHORT: "short", TK.USHORT: "ushort",
    TK.INT: "int", TK.UINT: "uint", TK.LONG: "long", TK.ULONG: "ulong",
    TK.LONGLONG: "longlong", TK.ULONGLONG: "ulonglong", TK.INT128: "int128",
    TK.UINT128: "uint128", TK.FLOAT: "float", TK.DOUBLE: "double",
    TK.LONGDOUBLE: "longdouble", TK.HALF: "float16", TK.FLOAT128: "float128",
}
for _name in ("FLOAT16",):
    if hasattr(TK, _name):
        _BUILTIN_KINDS[getattr(TK, _name)] = "float16"

_ATTRIBUTED_KIND_ID = 163  # CXType_Attributed; cindex 18 has no TypeKind for it
_RECORD_KINDS = {CK.STRUCT_DECL: "struct", CK.UNION_DECL: "union"}
# Sugar that does not change the type: look through it.
_SUGAR = {TK.ELABORATED}
_FUNCTION_DECLS = {CK.FUNCTION_DECL}


def decl_id(cursor: cindex.Cursor) -> str:
    usr = cursor.get_usr()
    if usr and cursor.kind in _RECORD_KINDS and _is_unnamed(cursor):
        # Sibling anonymous unions share a USR (`c:@S@x@Ua`); the place differs.
        # Inside macro expansions (struct_group) even the location is shared,
        # so use clang's cursor hash, stable within one translation unit.
        return f"{usr}@{cursor.hash}"
    if usr:
        return usr
    loc = cursor.location
    return f"{loc.file.name if loc.file else '<builtin>'}:{loc.offset}:{cursor.spelling}"


class Lowerer:
    """Walks a translation unit once and fills an ir.TranslationUnit."""

    def __init__(self, tu: cindex.TranslationUnit, header: str, target: str,
                 root: str | None = None) -> None:
        self.tu = tu
        self.out = TranslationUnit(header=header, target=target)
        self.root = root or os.getcwd()
        self._index: dict[str, int] = {}  # decl id -> position in out.decls
        self._in_progress: set[str] = set()
        self._handlers: dict[CK, Callable[[cindex.Cursor, str | None], None]] = {
            CK.STRUCT_DECL: self._record,
            CK.UNION_DECL: self._record,
            CK.ENUM_DECL: self._enum,
            CK.TYPEDEF_DECL: self._typedef,
            CK.FUNCTION_DECL: self._function,
            CK.VAR_DECL: self._var,
            CK.MACRO_DEFINITION: self._macro,
        }

    # -- driver -------------------------------------------------------------

    def run(self) -> TranslationUnit:
        for cursor in self.tu.cursor.get_children():
            handler = self._handlers.get(cursor.kind)
            if handler is not None:
                handler(cursor, None)
        self.out.files = sorted({self._path(f.name) for f in self._included_files()})
        return self.out

    def _included_files(self) -> list[cindex.File]:
        return [inc.include for inc in self.tu.get_includes()] + [
            self.tu.get_file(self.tu.spelling)
        ]

    def _path(self, name: str) -> str:
        return report_path(name, self.root)

    def _location(self, cursor: cindex.Cursor) -> Location:
        loc = cursor.location
        if loc.file is None:
            return Location("<builtin>", 0, 0)
        return Location(self._path(loc.file.name), loc.line, loc.column)

    def _store(self, decl_id_: str, decl: Record | Enum | Typedef | Function | Var) -> None:
        pos = self._index.get(decl_id_)
        if pos is None:
            self._index[decl_id_] = len(self.out.decls)
            self.out.add(decl)
        else:
            self.out.decls[pos] = decl
            self.out.by_id[decl_id_] = decl

    # -- declarations -------------------------------------------------------

    def _record(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = decl_id(cursor)
        known = self.out.by_id.get(did)
        is_def = cursor.is_definition()
        if known is not None and (not is_def or getattr(known, "complete", False)):
            return
        if did in self._in_progress:
            return
        nested_declaration = not is_def and parent is not None
        if not is_def:
            # A tag only declared inside a struct still names a file-scope
            # type; bindgen prefixes the parent only for nested definitions.
            parent = None
        self._in_progress.add(did)
        try:
            record = self._lower_record(cursor, did, parent, is_def)
            if nested_declaration:
                record = Record(**{**record.__dict__, "declared_in_record": True})
            self._store(did, record)
        finally:
            self._in_progress.discard(did)

    def _lower_record(self, cursor: cindex.Cursor, did: str, parent: str | None,
                      is_def: bool) -> Record:
        kind = _RECORD_KINDS[cursor.kind]
        name = None if _is_unnamed(cursor) else cursor.spelling
        loc = self._location(cursor)
        if not is_def:
            return Record(did, kind, name, parent, loc, complete=False)
        rtype = cursor.type
        fields: list[Field] = []
        packed = False
        explicit_align = None
        referenced: set[str] = set()
        children = list(cursor.get_children())
        for child in children:
            if child.kind == CK.FIELD_DECL:
                referenced.add(_named_decl_id(child.type))
        for child in children:
            ck = child.kind
            if ck == CK.PACKED_ATTR:
                packed = True
            elif ck == CK.ALIGNED_ATTR:
                explicit_align = rtype.get_align()
            elif ck in _RECORD_KINDS or ck == CK.ENUM_DECL:
                self._handlers[ck](child, did)
                if ck in _RECORD_KINDS and _is_unnamed(child) and decl_id(child) not in referenced:
                    fields.append(self._anonymous_member(child, rtype))
            elif ck == CK.FIELD_DECL:
                width = child.get_bitfield_width() if child.is_bitfield() else None
                fname = child.spelling or None
                offset = child.get_field_offsetof()
                fields.append(Field(fname, self.lower_type(child.type, child), offset, width,
                                    **_layout_of(child.type)))
        return Record(did, kind, name, parent, loc, complete=True, fields=tuple(fields),
                      size=rtype.get_size(), align=rtype.get_align(), packed=packed,
                      explicit_align=explicit_align)

    def _anonymous_member(self, child: cindex.Cursor, parent_type: cindex.Type) -> Field:
        # clang gives offsets by field name only: take any named field inside
        # (however deeply nested), minus its offset within this member.
        offset = -1
        name = _first_named_field(child)
        if name is not None:
            inner = child.type.get_offset(name)
            outer = parent_type.get_offset(name)
            if inner >= 0 and outer >= 0:
                offset = outer - inner
        kind = _RECORD_KINDS[child.kind]
        return Field(None, Ref(kind, decl_id(child)), offset, None, anonymous_member=True,
                     **_layout_of(child.type))

    def _enum(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = decl_id(cursor)
        known = self.out.by_id.get(did)
        is_def = cursor.is_definition()
        if known is not None and (not is_def or getattr(known, "complete", False)):
            return
        consts = tuple(
            EnumConst(c.spelling, c.enum_value)
            for c in cursor.get_children() if c.kind == CK.ENUM_CONSTANT_DECL
        )
        name = None if _is_unnamed(cursor) else cursor.spelling
        int_type = self.lower_type(cursor.enum_type, cursor)
        self._store(did, Enum(did, name, parent, self._location(cursor), int_type, consts,
                              complete=is_def))

    def _typedef(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = decl_id(cursor)
        if did in self.out.by_id or did in self._in_progress:
            return
        self._in_progress.add(did)
        try:
            underlying = self.lower_type(cursor.underlying_typedef_type, cursor)
            self._store(did, Typedef(did, cursor.spelling, underlying, self._location(cursor)))
        finally:
            self._in_progress.discard(did)

    def _function(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = decl_id(cursor)
        defined = cursor.is_definition()
        inline = _compat.is_inlined(cursor)
        static = cursor.storage_class == cindex.StorageClass.STATIC
        known = self.out.by_id.get(did)
        if isinstance(known, Function):
            # A later declaration can add `inline` or the body; keep the first
            # declaration's place and signature, as bindgen does.
            if (inline and not known.inline) or (defined and not known.defined):
                self._store(did, Function(did, known.name, known.type, known.location,
                                          inline=known.inline or inline,
                                          static=known.static or static,
                                          defined=known.defined or defined))
            return
        ftype = self.lower_type(cursor.type, cursor)
        self._store(did, Function(did, cursor.spelling, ftype, self._location(cursor),
                                  inline=inline, static=static, defined=defined))

    def _var(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = decl_id(cursor)
        ctype = cursor.type
        const = ctype.is_const_qualified() or (
            ctype.kind == TK.CONSTANTARRAY and ctype.element_type.is_const_qualified()
        )
        has_init = any(c.kind not in (CK.TYPE_REF, CK.STRUCT_DECL, CK.UNION_DECL,
                                      CK.ENUM_DECL) and c.kind.is_expression()
                       for c in cursor.get_children())
        value = _compat.evaluate(cursor) if has_init else None
        known = self.out.by_id.get(did)
        if isinstance(known, Var) and not has_init:
            return
        storage = cursor.storage_class
        self._store(did, Var(did, cursor.spelling, self.lower_type(ctype, cursor),
                             self._location(cursor), const=const,
                             extern=storage == cindex.StorageClass.EXTERN,
                             static=storage == cindex.StorageClass.STATIC,
                             value=value, has_init=has_init))

    def _macro(self, cursor: cindex.Cursor, parent: str | None) -> None:
        if cursor.location.file is None or _compat.is_macro_builtin(cursor):
            return
        # libclang 18 hands out comments inside a macro as tokens; cexpr never sees them.
        spellings = [t.spelling for t in cursor.get_tokens()
                     if t.kind != cindex.TokenKind.COMMENT]
        function_like = _compat.is_macro_function_like(cursor)
        body = spellings[1:]
        params: tuple[str, ...] = ()
        if function_like and body and body[0] == "(":
            close = body.index(")") if ")" in body else len(body) - 1
            params = tuple(t for t in body[1:close] if t != ",")
            body = body[close + 1:]
        self.out.decls.append(Macro(cursor.spelling, self._location(cursor), tuple(body),
                                    function_like, params))

    # -- types --------------------------------------------------------------

    def lower_type(self, t: cindex.Type, context: cindex.Cursor) -> CType:
        """Lower a clang type; `context` supplies parameter names as bindgen takes them."""
        const = t.is_const_qualified()
        if t._kind_id == _ATTRIBUTED_KIND_ID:
            return _with_const(self.lower_type(_compat.modified_type(t), context), const)
        kind = t.kind
        if kind in _BUILTIN_KINDS:
            return Builtin(_BUILTIN_KINDS[kind], const)
        if kind in _SUGAR:
            inner = self.lower_type(t.get_named_type(), context)
            return _with_const(inner, const)
        if kind == TK.POINTER:
            return Pointer(self.lower_type(t.get_pointee(), context), const)
        if kind == TK.CONSTANTARRAY:
            return Array(self.lower_type(t.element_type, context), t.element_count, const)
        if kind == TK.INCOMPLETEARRAY:
            return Array(self.lower_type(t.element_type, context), None, const)
        if kind in (TK.FUNCTIONPROTO, TK.FUNCTIONNOPROTO):
            return self._function_type(t, context, const)
        if kind == TK.TYPEDEF:
            decl = t.get_declaration()
            if decl.location.file is None and t.get_canonical().kind == TK.RECORD:
                # bindgen cannot see inside an implicit record behind a builtin
                # typedef (aarch64/arm va_list) and copies it as a blob.
                return Opaque(t.spelling, t.get_size(), t.get_align(), const)
            self._typedef(decl, None)
            return Ref("typedef", decl_id(decl), const)
        if kind == TK.RECORD:
            decl = t.get_declaration()
            if decl_id(decl) not in self.out.by_id:
                self._record(decl, None)
            return Ref(_RECORD_KINDS.get(decl.kind, "struct"), decl_id(decl), const)
        if kind == TK.ENUM:
            decl = t.get_declaration()
            if decl_id(decl) not in self.out.by_id:
                self._enum(decl, None)
            return Ref("enum", decl_id(decl), const)
        if kind in (TK.VECTOR, TK.EXTVECTOR):
            return Unsupported(t.spelling, "vector type", const, t.get_size(), t.get_align())
        if kind == TK.COMPLEX:
            return Unsupported(t.spelling, "_Complex type", const, t.get_size(), t.get_align())
        if t.get_result().kind != TK.INVALID:
            # typeof(func) and other sugar over a function type: libclang's
            # result and argument queries see through it and keep typedefs.
            return self._function_type(t, context, const)
        canonical = t.get_canonical()
        if canonical.kind != kind and canonical.kind != TK.INVALID:
            # typeof(), paren and other sugar: the canonical type is exact.
            return _with_const(self.lower_type(canonical, context), const)
        return Unsupported(t.spelling, f"clang type kind {kind.name}", const,
                           t.get_size(), t.get_align())

    def _function_type(self, t: cindex.Type, context: cindex.Cursor, const: bool) -> CType:
        ret = self.lower_type(t.get_result(), context)
        no_proto = t.kind == TK.FUNCTIONNOPROTO
        arg_types = [] if no_proto else _compat.arg_types(t)
        params: list[Param] = []
        if context.kind not in _FUNCTION_DECLS:
            # bindgen takes names and types from the declaration's ParmDecl
            # children when it has any.
            for child in context.get_children():
                if child.kind == CK.PARM_DECL:
                    params.append(Param(child.spelling or None,
                                        self.lower_type(child.type, child)))
        if not params:
            cursor_args = list(context.get_arguments()) if context.kind in _FUNCTION_DECLS \
                else []
            for i in range(max(len(arg_types), len(cursor_args))):
                arg_cursor = cursor_args[i] if i < len(cursor_args) else None
                name = arg_cursor.spelling if arg_cursor is not None else None
                ctx = arg_cursor if arg_cursor is not None else context
                arg_t = arg_types[i] if i < len(arg_types) else ctx.type
                params.append(Param(name or None, self.lower_type(arg_t, ctx)))
        variadic = (not no_proto) and _compat.is_variadic(t)
        return FunctionType(ret, tuple(params), variadic, not no_proto, const)


def _first_named_field(record: cindex.Cursor) -> str | None:
    for child in record.get_children():
        if child.kind == CK.FIELD_DECL and child.spelling:
            return child.spelling
        if child.kind in (CK.STRUCT_DECL, CK.UNION_DECL) and _is_unnamed(child):
            name = _first_named_field(child)
            if name is not None:
                return name
    return None


def _layout_of(t: cindex.Type) -> dict[str, int | None]:
    layout: dict[str, int | None] = {"size": t.get_size(), "align": t.get_align()}
    canonical = t.get_canonical()
    if canonical.kind == TK.INCOMPLETEARRAY:
        # A flexible array has no size; bindgen lays it out as [T; 0].
        layout.update(size=0, align=canonical.element_type.get_align())
    if canonical.kind in (TK.CONSTANTARRAY, TK.INCOMPLETEARRAY):
        elem = canonical.element_type
        count = canonical.element_count if canonical.kind == TK.CONSTANTARRAY else 0
        layout.update(array_len=count,
                      elem_size=elem.get_size(), elem_align=elem.get_align())
    return layout


def _with_const(t: CType, const: bool) -> CType:
    return with_const(t) if const else t


def _is_unnamed(cursor: cindex.Cursor) -> bool:
    spelling = cursor.spelling
    return not spelling or "(unnamed" in spelling or "(anonymous" in spelling


def _named_decl_id(t: cindex.Type) -> str:
    """The declaration a field's type names, looking through pointers/arrays."""
    while True:
        if t.kind == TK.ELABORATED:
            t = t.get_named_type()
        elif t.kind == TK.POINTER:
            t = t.get_pointee()
        elif t.kind in (TK.CONSTANTARRAY, TK.INCOMPLETEARRAY):
            t = t.element_type
        else:
            break
    decl = t.get_declaration()
    return decl_id(decl) if decl.kind != CK.NO_DECL_FOUND else ""
