"""Lower libclang cursors into kbind's IR, one handler per cursor kind."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from kbind.clang import _compat
from kbind.clang._compat import cindex
from kbind.clang.macro_tokens import define_tokens
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
_BUILTIN_IDS = {kind.value: name for kind, name in _BUILTIN_KINDS.items()}
_TK_ELABORATED = TK.ELABORATED.value
_TK_POINTER = TK.POINTER.value
_TK_CONSTANTARRAY = TK.CONSTANTARRAY.value
_TK_INCOMPLETEARRAY = TK.INCOMPLETEARRAY.value
_TK_FUNCTIONNOPROTO = TK.FUNCTIONNOPROTO.value
_TK_FUNCTIONS = {TK.FUNCTIONPROTO.value, _TK_FUNCTIONNOPROTO}
_TK_TYPEDEF = TK.TYPEDEF.value
_TK_RECORD = TK.RECORD.value
_TK_ENUM = TK.ENUM.value
_TK_VECTORS = {TK.VECTOR.value, TK.EXTVECTOR.value}
_TK_COMPLEX = TK.COMPLEX.value
_TK_ATOMIC = TK.ATOMIC.value
_TK_INVALID = TK.INVALID.value
_CK_FUNCTION_DECL = CK.FUNCTION_DECL.value
_CK_PARM_DECL = CK.PARM_DECL.value
_CK_NO_DECL_FOUND = CK.NO_DECL_FOUND.value
_OPEN_PAREN = ord("(")
_CK_FIELD_DECL = CK.FIELD_DECL.value
_CK_PACKED_ATTR = CK.PACKED_ATTR.value
_CK_ALIGNED_ATTR = CK.ALIGNED_ATTR.value
_RECORD_KINDS = {CK.STRUCT_DECL: "struct", CK.UNION_DECL: "union"}
_RECORD_IDS = {kind.value: name for kind, name in _RECORD_KINDS.items()}
_TAG_IDS = {*_RECORD_IDS, CK.ENUM_DECL.value}


def decl_id(cursor: cindex.Cursor) -> str:
    usr = _compat.usr(cursor)
    if usr and cursor.kind in _RECORD_KINDS and _is_unnamed(cursor):
        # Sibling anonymous unions share a USR (`c:@S@x@Ua`); the place differs.
        # Inside macro expansions (struct_group) even the location is shared,
        # so use clang's cursor hash, stable within one translation unit.
        return f"{usr}@{cursor.hash}"
    if usr:
        return usr
    loc = cursor.location
    return f"{loc.file.name if loc.file else '<builtin>'}:{loc.offset}:{_compat.spelling(cursor)}"


class Lowerer:
    """Walks a translation unit once and fills an ir.TranslationUnit."""

    def __init__(self, tu: cindex.TranslationUnit, header: str, target: str,
                 root: str | None = None) -> None:
        self.tu = tu
        self.out = TranslationUnit(header=header, target=target)
        self.root = root or os.getcwd()
        self._index: dict[str, int] = {}  # decl id -> position in out.decls
        self._in_progress: set[str] = set()
        self._paths: dict[str, str] = {}  # clang file name -> report path
        self._sources: dict[str, bytes] = {}
        self._ids: dict[tuple[int, int], str] = {}
        self._types: dict[tuple[int, int], CType] = {}
        self._file_names: dict[int, str] = {}  # libclang file handle -> name
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
        declarations, macros = self.top_level()
        self.lower(declarations)
        self.lower(macros)
        return self.finish()

    def top_level(self) -> tuple[list[cindex.Cursor], list[cindex.Cursor]]:
        """The declarations and the macro definitions kbind lowers, apart.

        Macros lower independently of declarations, so the two lists may be
        lowered in two processes (see kbind.pipeline).
        """
        declarations: list[cindex.Cursor] = []
        macros: list[cindex.Cursor] = []
        for cursor in _compat.children(self.tu.cursor):
            kind = cursor.kind
            if kind == CK.MACRO_DEFINITION:
                macros.append(cursor)
            elif kind in self._handlers:
                declarations.append(cursor)
        return declarations, macros

    def lower(self, cursors: list[cindex.Cursor]) -> None:
        for cursor in cursors:
            self._handlers[cursor.kind](cursor, None)

    def finish(self) -> TranslationUnit:
        read = {os.path.abspath(f.name) for f in self._included_files()}
        self.out.read_files = sorted(read)
        self.out.files = sorted({self._path(name) for name in read})
        self.record_includes()
        return self.out

    def record_includes(self) -> None:
        for inc in self.tu.get_includes():
            # The first includer of each header: the C shims include a header
            # a user would, walking up from internal ones (kbind.generate).
            if inc.source is not None:
                header, source = self._path(inc.include.name), self._path(inc.source.name)
                self.out.included_from.setdefault(header, source)
                self.out.includes.setdefault(source, []).append(header)

    def _included_files(self) -> list[cindex.File]:
        return [inc.include for inc in self.tu.get_includes()] + [
            self.tu.get_file(self.tu.spelling)
        ]

    def _path(self, name: str) -> str:
        path = self._paths.get(name)
        if path is None:
            path = self._paths[name] = report_path(name, self.root)
        return path

    def _source(self, name: str) -> bytes:
        """A header's bytes, read once (macro bodies are lexed from them)."""
        data = self._sources.get(name)
        if data is None:
            with open(name, "rb") as f:
                data = self._sources[name] = f.read()
        return data

    def _file(self, handle: int) -> str:
        name = self._file_names.get(handle)
        if name is None:
            name = self._file_names[handle] = _compat.file_name(handle)
        return name

    def _location(self, cursor: cindex.Cursor) -> Location:
        file, line, column, _ = _compat.location(cursor)
        if file is None:
            return Location("<builtin>", 0, 0)
        return Location(self._path(self._file(file)), line, column)

    def _decl_id(self, cursor: cindex.Cursor) -> str:
        # The same declaration is reached from many types; its USR is a string
        # libclang builds each time, so remember it per Decl pointer.
        key = (cursor._kind_id, cursor.data[0])
        did = self._ids.get(key)
        if did is None:
            did = self._ids[key] = decl_id(cursor)
        return did

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
        did = self._decl_id(cursor)
        known = self.out.by_id.get(did)
        is_def = cursor.is_definition()
        if known is not None and (not is_def or getattr(known, "complete", False)):
            if isinstance(known, Record) and known.declared_in_record and not is_def \
                    and cursor.lexical_parent.kind == CK.TRANSLATION_UNIT:
                # A file-scope `struct x;` anywhere makes x a forward declaration
                # to bindgen (`_unused`), even after x was first named in a struct.
                self._store(did, Record(**{**known.__dict__, "declared_in_record": False}))
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
        name = None if _is_unnamed(cursor) else _compat.spelling(cursor)
        loc = self._location(cursor)
        if not is_def:
            return Record(did, kind, name, parent, loc, complete=False)
        rtype = _compat.cursor_type(cursor)
        fields: list[Field] = []
        packed = False
        explicit_align = None
        referenced: set[str] = set()
        children = _compat.children(cursor)
        for child in children:
            if child._kind_id == _CK_FIELD_DECL:
                named = _named_decl(_compat.cursor_type(child))
                if named is not None:
                    referenced.add(self._decl_id(named))
        introduced: list[str] = []  # tags declared since the last field
        for child in children:
            ck = child._kind_id
            if ck == _CK_PACKED_ATTR:
                packed = True
            elif ck == _CK_ALIGNED_ATTR:
                explicit_align = rtype.get_align()
            elif ck in _TAG_IDS:
                self._handlers[child.kind](child, did)
                if not child.is_definition():
                    introduced.append(self._decl_id(child))
                if (ck in _RECORD_IDS and _is_unnamed(child)
                        and self._decl_id(child) not in referenced):
                    fields.append(self._anonymous_member(child, rtype))
            elif ck == _CK_FIELD_DECL:
                width = child.get_bitfield_width() if child.is_bitfield() else None
                fname = _compat.spelling(child) or None
                offset = child.get_field_offsetof()
                ftype = _compat.cursor_type(child)
                fields.append(Field(fname, self.lower_type(ftype, child), offset, width,
                                    introduces=tuple(introduced), **_layout_of(ftype)))
                introduced = []
        return Record(did, kind, name, parent, loc, complete=True, fields=tuple(fields),
                      size=rtype.get_size(), align=rtype.get_align(), packed=packed,
                      explicit_align=explicit_align)

    def _anonymous_member(self, child: cindex.Cursor, parent_type: cindex.Type) -> Field:
        # clang gives offsets of named fields only. The member starts where any
        # field inside it sits in the parent, minus where it sits in the member
        # (the first named field may be nested deeper, or not at its start).
        offset = -1
        name = _first_field_name(child)
        if name is not None:
            outer, inner = parent_type.get_offset(name), child.type.get_offset(name)
            if outer >= 0 and inner >= 0:
                offset = outer - inner
        kind = _RECORD_KINDS[child.kind]
        return Field(None, Ref(kind, self._decl_id(child)), offset, None, anonymous_member=True,
                     **_layout_of(child.type))

    def _enum(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = self._decl_id(cursor)
        known = self.out.by_id.get(did)
        is_def = cursor.is_definition()
        if known is not None and (not is_def or getattr(known, "complete", False)):
            return
        consts = tuple(
            EnumConst(_compat.spelling(c), c.enum_value)
            for c in _compat.children(cursor) if c.kind == CK.ENUM_CONSTANT_DECL
        )
        name = None if _is_unnamed(cursor) else _compat.spelling(cursor)
        int_type = self.lower_type(cursor.enum_type, cursor)
        forward = isinstance(known, Enum) and known.forward_declared if is_def else \
            cursor.lexical_parent.kind == CK.TRANSLATION_UNIT
        self._store(did, Enum(did, name, parent, self._location(cursor), int_type, consts,
                              complete=is_def, forward_declared=forward))

    def _typedef(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = self._decl_id(cursor)
        if did in self.out.by_id or did in self._in_progress:
            return
        self._in_progress.add(did)
        try:
            underlying = self.lower_type(cursor.underlying_typedef_type, cursor)
            self._store(did, Typedef(did, _compat.spelling(cursor), underlying,
                                     self._location(cursor)))
        finally:
            self._in_progress.discard(did)

    def _function(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = self._decl_id(cursor)
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
                                          defined=known.defined or defined,
                                          noreturn=known.noreturn))
            return
        ctype = _compat.cursor_type(cursor)
        ftype = self.lower_type(ctype, cursor)
        self._store(did, Function(did, _compat.spelling(cursor), ftype, self._location(cursor),
                                  inline=inline, static=static, defined=defined,
                                  noreturn=_noreturn(_compat.type_spelling(ctype))))

    def _var(self, cursor: cindex.Cursor, parent: str | None) -> None:
        did = self._decl_id(cursor)
        ctype = _compat.cursor_type(cursor)
        const = ctype.is_const_qualified() or (
            ctype.kind == TK.CONSTANTARRAY and ctype.element_type.is_const_qualified()
        )
        has_init = any(c.kind not in (CK.TYPE_REF, CK.STRUCT_DECL, CK.UNION_DECL,
                                      CK.ENUM_DECL) and c.kind.is_expression()
                       for c in _compat.children(cursor))
        value = _compat.evaluate(cursor) if has_init else None
        literal_init = has_init and _literal_init(cursor)
        known = self.out.by_id.get(did)
        if isinstance(known, Var) and not has_init:
            return
        storage = cursor.storage_class
        self._store(did, Var(did, _compat.spelling(cursor), self.lower_type(ctype, cursor),
                             self._location(cursor), const=const,
                             extern=storage == cindex.StorageClass.EXTERN,
                             static=storage == cindex.StorageClass.STATIC,
                             value=value, has_init=has_init, literal_init=literal_init))

    def _macro(self, cursor: cindex.Cursor, parent: str | None) -> None:
        file, line, column, offset = _compat.location(cursor)
        if file is None or _compat.is_macro_builtin(cursor):
            return
        name = self._file(file)
        source = self._source(name)
        spellings = define_tokens(source, offset)
        written_function_like = False
        if spellings is not None:
            macro_name = spellings[0]  # lexed from the bytes: the name comes first
            # C makes a macro function-like exactly when `(` follows its name.
            after = offset + len(macro_name.encode())
            written_function_like = after < len(source) and source[after] == _OPEN_PAREN
        else:
            # libclang 18 hands out comments inside a macro as tokens; cexpr never sees them.
            spellings = [t.spelling for t in cursor.get_tokens()
                         if t.kind != cindex.TokenKind.COMMENT]
            macro_name = _compat.spelling(cursor)
        # libclang's answer, not the source's: it looks the name up at the end
        # of the unit, so a function-like macro #undef'd later is not one.
        function_like = _compat.is_macro_function_like(cursor)
        body = spellings[1:]
        params: tuple[str, ...] = ()
        if function_like and body and body[0] == "(":
            close = body.index(")") if ")" in body else len(body) - 1
            params = tuple(t for t in body[1:close] if t != ",")
            body = body[close + 1:]
        self.out.decls.append(Macro(macro_name,
                                    Location(self._path(name), line, column), tuple(body),
                                    function_like, params,
                                    overridden=written_function_like and not function_like))

    # -- types --------------------------------------------------------------

    def lower_type(self, t: cindex.Type, context: cindex.Cursor) -> CType:
        """Lower a clang type; `context` supplies parameter names as bindgen takes them."""
        # The same few thousand types recur ~100,000 times; a clang type is
        # identified by its kind and QualType pointer (qualifiers included).
        # Function types take parameter names from their context, so only
        # context-free results are kept.
        key = (t._kind_id, t.data[0])
        known = self._types.get(key)
        if known is not None:
            return known
        lowered = self._lower_type(t, context)
        if t.is_volatile_qualified() and not lowered.volatile:
            # Only the C shims need it (kbind.generate); bindgen ignores volatile.
            lowered = replace(lowered, volatile=True)
        if _context_free(lowered):
            self._types[key] = lowered
        return lowered

    def _lower_type(self, t: cindex.Type, context: cindex.Cursor) -> CType:
        const = t.is_const_qualified()
        kind = t._kind_id  # ints, not TypeKind objects: this runs 60,000 times
        if kind == _ATTRIBUTED_KIND_ID:
            return _with_const(self.lower_type(_compat.modified_type(t), context), const)
        builtin = _BUILTIN_IDS.get(kind)
        if builtin is not None:
            return Builtin(builtin, const)
        if kind == _TK_ELABORATED:  # sugar that does not change the type
            return _with_const(self.lower_type(_compat.named_type(t), context), const)
        if kind == _TK_POINTER:
            return Pointer(self.lower_type(_compat.pointee(t), context), const)
        if kind == _TK_CONSTANTARRAY:
            return Array(self.lower_type(_compat.element_type(t), context), t.element_count,
                         const)
        if kind == _TK_INCOMPLETEARRAY:
            return Array(self.lower_type(_compat.element_type(t), context), None, const)
        if kind in _TK_FUNCTIONS:
            return self._function_type(t, context, const)
        if kind == _TK_TYPEDEF:
            decl = _compat.type_declaration(t)
            if _compat.location(decl)[0] is None and \
                    _compat.canonical(t)._kind_id == _TK_RECORD:
                # bindgen cannot see inside an implicit record behind a builtin
                # typedef (aarch64/arm va_list) and copies it as a blob.
                return Opaque(t.spelling, t.get_size(), t.get_align(), const)
            self._typedef(decl, None)
            return Ref("typedef", self._decl_id(decl), const)
        if kind == _TK_RECORD:
            decl = _compat.type_declaration(t)
            did = self._decl_id(decl)
            if did not in self.out.by_id:
                self._record(decl, None)
            return Ref(_RECORD_IDS.get(decl._kind_id, "struct"), did, const)
        if kind == _TK_ENUM:
            decl = _compat.type_declaration(t)
            did = self._decl_id(decl)
            if did not in self.out.by_id:
                self._enum(decl, None)
            return Ref("enum", did, const)
        if kind == _TK_ATOMIC:
            # bindgen has no atomic types: it copies `_Atomic T` as a blob.
            return Opaque(t.spelling, t.get_size(), t.get_align(), const)
        if kind in _TK_VECTORS:
            return Unsupported(t.spelling, "vector type", const, t.get_size(), t.get_align())
        if kind == _TK_COMPLEX:
            return Unsupported(t.spelling, "_Complex type", const, t.get_size(), t.get_align())
        if _compat.result_type(t)._kind_id != _TK_INVALID:
            # typeof(func) and other sugar over a function type: libclang's
            # result and argument queries see through it and keep typedefs.
            return self._function_type(t, context, const)
        canonical = _compat.canonical(t)
        if canonical._kind_id not in (kind, _TK_INVALID):
            # typeof(), paren and other sugar: the canonical type is exact.
            return _with_const(self.lower_type(canonical, context), const)
        return Unsupported(t.spelling, f"clang type kind {TK.from_id(kind).name}", const,
                           t.get_size(), t.get_align())

    def _function_type(self, t: cindex.Type, context: cindex.Cursor, const: bool) -> CType:
        ret = self.lower_type(_compat.result_type(t), context)
        no_proto = t._kind_id == _TK_FUNCTIONNOPROTO
        arg_types = [] if no_proto else _compat.arg_types(t)
        params: list[Param] = []
        context_is_function = context._kind_id == _CK_FUNCTION_DECL
        if not context_is_function:
            # bindgen takes names and types from the declaration's ParmDecl
            # children when it has any.
            for child in _compat.children(context):
                if child._kind_id == _CK_PARM_DECL:
                    params.append(Param(_compat.spelling(child) or None,
                                        self.lower_type(_compat.cursor_type(child), child)))
        if not params:
            cursor_args = _compat.arguments(context) if context_is_function else []
            for i in range(max(len(arg_types), len(cursor_args))):
                arg_cursor = cursor_args[i] if i < len(cursor_args) else None
                name = _compat.spelling(arg_cursor) if arg_cursor is not None else None
                ctx = arg_cursor if arg_cursor is not None else context
                arg_t = arg_types[i] if i < len(arg_types) else _compat.cursor_type(ctx)
                params.append(Param(name or None, self.lower_type(arg_t, ctx)))
        variadic = (not no_proto) and _compat.is_variadic(t)
        return FunctionType(ret, tuple(params), variadic, not no_proto, const)


def _context_free(t: CType) -> bool:
    while isinstance(t, (Pointer, Array)):
        t = t.pointee if isinstance(t, Pointer) else t.element
    return not isinstance(t, FunctionType)


def _layout_of(t: cindex.Type) -> dict[str, int | None]:
    layout: dict[str, int | None] = {"size": t.get_size(), "align": t.get_align()}
    canonical = _compat.canonical(t)
    kind = canonical._kind_id
    if kind == _TK_INCOMPLETEARRAY:
        # A flexible array has no size; bindgen lays it out as [T; 0].
        layout.update(size=0, align=_compat.element_type(canonical).get_align())
    if kind in (_TK_CONSTANTARRAY, _TK_INCOMPLETEARRAY):
        elem = _compat.element_type(canonical)
        count = canonical.element_count if kind == _TK_CONSTANTARRAY else 0
        layout.update(array_len=count,
                      elem_size=elem.get_size(), elem_align=elem.get_align())
    return layout


def _literal_init(cursor: cindex.Cursor) -> bool:
    """bindgen's get_integer_literal_from_cursor: a literal or unary operator,
    looking through implicit casts, whose own tokens are a number."""
    for child in _compat.children(cursor):
        if child.kind == CK.UNEXPOSED_EXPR:
            return _literal_init(child)
        if child.kind in (CK.INTEGER_LITERAL, CK.UNARY_OPERATOR):
            tokens = [t.spelling for t in child.get_tokens()]
            return bool(tokens) and tokens[-1][:1].isdigit()
    return False


def _first_field_name(record: cindex.Cursor) -> str | None:
    """A named field reachable from `record`, looking into anonymous members."""
    for child in _compat.children(record):
        if child.kind == CK.FIELD_DECL and child.spelling:
            return child.spelling
        if child.kind in _RECORD_KINDS and _compat.is_anonymous_record(child):
            found = _first_field_name(child)
            if found is not None:
                return found
    return None


def _with_const(t: CType, const: bool) -> CType:
    return with_const(t) if const else t


def _is_unnamed(cursor: cindex.Cursor) -> bool:
    spelling = _compat.spelling(cursor)
    return not spelling or "(unnamed" in spelling or "(anonymous" in spelling


def _named_decl(t: cindex.Type) -> cindex.Cursor | None:
    """The declaration a field's type names, looking through pointers/arrays."""
    while True:
        kind = t._kind_id
        if kind == _TK_ELABORATED:
            t = _compat.named_type(t)
        elif kind == _TK_POINTER:
            t = _compat.pointee(t)
        elif kind in (_TK_CONSTANTARRAY, _TK_INCOMPLETEARRAY):
            t = _compat.element_type(t)
        else:
            break
    decl = _compat.type_declaration(t)
    return decl if decl._kind_id != _CK_NO_DECL_FOUND else None


_NORETURN = "__attribute__((noreturn))"


def _noreturn(spelling: str) -> str | None:
    """Where a function type's spelling carries noreturn (bindgen reads the same
    spelling: ir/function.rs): at parenthesis depth 0, or only nested."""
    if _NORETURN not in spelling:
        return None
    at = spelling.find(_NORETURN)
    while at >= 0:
        if spelling.count("(", 0, at) == spelling.count(")", 0, at):
            return "top"
        at = spelling.find(_NORETURN, at + 1)
    return "nested"
