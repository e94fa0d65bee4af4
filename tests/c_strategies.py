"""Hypothesis strategies for random but valid C declarations (issue 8).

Declarations are pycparser ASTs rendered by pycparser's generator. pycparser
has no GNU attributes, so packed/aligned records are `AttrStruct`/`AttrUnion`
nodes that carry their attributes, and `AttrGenerator` writes them where GCC
puts them (`struct __attribute__((packed)) tag {...}`); member alignment is
C11 `_Alignas`, which pycparser models itself. pycparser has no
preprocessor either: a macro is a `#define NAME` line whose body is an
expression AST rendered by the same generator.

Each `Group` is self-contained (its names carry a unique prefix and it only
refers to its own types), so groups can be reordered freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st
from pycparser import c_ast, c_generator

from kbind.generate import c_nodes

# C integer types and their (size, signed) on the LP64 and ILP32 targets tested.
INTEGERS = [
    ["char"], ["signed", "char"], ["unsigned", "char"], ["short"], ["unsigned", "short"],
    ["int"], ["unsigned", "int"], ["long"], ["unsigned", "long"], ["long", "long"],
    ["unsigned", "long", "long"], ["_Bool"],
]
SCALARS = INTEGERS + [["float"], ["double"]]
BITFIELD_TYPES = {("int",): 32, ("unsigned", "int"): 32, ("unsigned", "char"): 8,
                  ("unsigned", "short"): 16, ("unsigned", "long", "long"): 64, ("_Bool",): 1}


class _Attributed:
    """A struct/union/enum node that also carries GNU attributes (`packed`...)."""

    __slots__ = ()

    def __init__(self, name: str | None, body: object, attributes: tuple[str, ...] = ()
                 ) -> None:
        extra = c_nodes.ENUM_EXTRA if isinstance(self, c_ast.Enum) else {}
        super().__init__(name, body, **extra)  # type: ignore[call-arg]
        self.gnu_attributes = attributes


class AttrStruct(_Attributed, c_ast.Struct):
    __slots__ = ("gnu_attributes",)


class AttrUnion(_Attributed, c_ast.Union):
    __slots__ = ("gnu_attributes",)


class AttrEnum(_Attributed, c_ast.Enum):
    __slots__ = ("gnu_attributes",)


class AttrGenerator(c_generator.CGenerator):
    """pycparser's generator, plus GNU attributes on struct/union/enum definitions."""

    def visit_AttrStruct(self, n: AttrStruct) -> str:
        return self._with_attributes(n, "struct")

    def visit_AttrUnion(self, n: AttrUnion) -> str:
        return self._with_attributes(n, "union")

    def visit_AttrEnum(self, n: AttrEnum) -> str:
        return self._with_attributes(n, "enum")

    def _with_attributes(self, n: AttrStruct | AttrUnion | AttrEnum, keyword: str) -> str:
        text = self._generate_struct_union_enum(n, keyword)
        if not n.gnu_attributes:
            return text
        spec = ", ".join(n.gnu_attributes)
        return f"{keyword} __attribute__(({spec})) {text[len(keyword) + 1:]}"


# ----------------------------------------------------------------- C types
#
# A small type model, turned into pycparser declarators by `declare`:
#   ("name", [words], quals)   builtin or typedef name
#   ("tag", kind, tag, quals)  struct/union/enum reference
#   ("ptr", inner, quals)  ("array", inner, n)  ("fn", ret, [params], variadic)


def declare(t: tuple, name: str | None) -> c_ast.Node:
    kind = t[0]
    if kind == "name":
        return c_ast.TypeDecl(name, list(t[2]), None, c_ast.IdentifierType(list(t[1])))
    if kind == "tag":
        inner = c_nodes.tag_reference(t[1], t[2])
        return c_ast.TypeDecl(name, list(t[3]), None, inner)
    if kind == "ptr":
        return c_ast.PtrDecl(list(t[2]), declare(t[1], name))
    if kind == "array":
        dim = None if t[2] is None else c_ast.Constant("int", str(t[2]))
        return c_ast.ArrayDecl(declare(t[1], name), dim, [])
    if kind == "fn":
        return c_ast.FuncDecl(param_list(t[2], t[3]), declare(t[1], name))
    raise ValueError(kind)


def param_list(params: list[tuple[str | None, tuple]], variadic: bool) -> c_ast.ParamList:
    if not params:
        return c_ast.ParamList([c_ast.Typename(None, [], None, declare(VOID, None))])
    nodes: list[c_ast.Node] = [decl(name, t) for name, t in params]
    if variadic:
        nodes.append(c_ast.EllipsisParam())
    return c_ast.ParamList(nodes)


def decl(name: str | None, t: tuple, bitsize: int | None = None,
         align: int | None = None, storage: tuple[str, ...] = ()) -> c_ast.Decl:
    aligns = [c_ast.Alignas(c_ast.Constant("int", str(align)))] if align else []
    width = None if bitsize is None else c_ast.Constant("int", str(bitsize))
    return c_ast.Decl(name, [], aligns, list(storage), [], declare(t, name), None, width)


VOID = ("name", ["void"], [])
QUALS = st.sampled_from([[], [], ["const"]])


@dataclass(repr=False)
class Group:
    """Self-contained declarations: AST nodes and `#define` lines."""

    prefix: str = ""  # every name it declares starts with this, in some case
    nodes: list[c_ast.Node] = field(default_factory=list)
    macros: list[str] = field(default_factory=list)
    types: list[tuple] = field(default_factory=list)  # types later members may use

    count: int = 0

    def fresh(self) -> int:
        self.count += 1
        return self.count

    def __repr__(self) -> str:  # counterexamples read as the C they are
        return f"Group(prefix={self.prefix!r}):\n{render([self])}"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:  # hypothesis' printer
        printer.text(repr(self))  # type: ignore[attr-defined]


def render(groups: list[Group]) -> str:
    gen = AttrGenerator()
    lines: list[str] = []
    for group in groups:
        lines += group.macros
        lines += [gen.visit(node) + ("" if isinstance(node, c_ast.FuncDef) else ";")
                  for node in group.nodes]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------- strategies


@st.composite
def value_type(draw: st.DrawFn, group: Group, depth: int = 0) -> tuple:
    """A complete object type: scalar, one of the group's types, pointer, array."""
    choices = ["scalar", "scalar", "ptr"] + (["own"] if group.types else [])
    if depth < 2:
        choices += ["array", "fnptr"]
    pick = draw(st.sampled_from(choices))
    if pick == "scalar":
        return ("name", draw(st.sampled_from(SCALARS)), draw(QUALS))
    if pick == "own":
        return draw(st.sampled_from(group.types))
    if pick == "ptr":
        inner = draw(st.one_of(st.just(("name", ["void"], draw(QUALS))),
                               value_type(group, depth + 1)))
        return ("ptr", inner, draw(st.sampled_from([[], [], ["const"]])))
    if pick == "array":
        return ("array", draw(value_type(group, depth + 1)), draw(st.integers(1, 5)))
    return ("ptr", draw(function_type(group, depth + 1)), [])


@st.composite
def function_type(draw: st.DrawFn, group: Group, depth: int = 0) -> tuple:
    ret = draw(st.one_of(st.just(VOID), value_type(group, depth + 1)))
    if ret[0] == "array" or (ret[0] == "name" and ret[1][0].startswith("g")):
        ret = ("ptr", ret, [])  # C functions cannot return arrays (or array typedefs)
    count = draw(st.integers(0, 3))
    named = draw(st.booleans())
    params = [(f"p{i}" if named else None, draw(value_type(group, depth + 1)))
              for i in range(count)]
    return ("fn", ret, params, count > 0 and draw(st.booleans()))


@st.composite
def record_members(draw: st.DrawFn, group: Group, prefix: str, depth: int,
                   packed: bool, flexible: bool = False) -> list[c_ast.Node]:
    members: list[c_ast.Node] = []
    for i in range(draw(st.integers(1, 5))):
        name = f"{prefix}m{i}"
        kind = draw(st.sampled_from(["field"] * 4 + ["bitfield"] * 2 +
                                    (["anon", "nested"] if depth < 2 else [])))
        if kind == "field":
            align = None if packed else draw(st.sampled_from([None] * 5 + [16, 32]))
            if align:  # _Alignas may only raise alignment: keep to scalars
                t = ("name", draw(st.sampled_from(SCALARS)), [])
            else:
                t = draw(value_type(group))
            members.append(decl(name, t, align=align))
        elif kind == "bitfield":
            words, bits = draw(st.sampled_from(sorted(BITFIELD_TYPES.items())))
            form = draw(st.sampled_from(["named"] * 4 + ["unnamed", "zero"]))
            if form == "zero" and words != ("_Bool",):  # `int : 0;` ends the unit
                members.append(decl(None, ("name", list(words), []), bitsize=0))
            else:
                width = draw(st.integers(1, bits))
                members.append(decl(None if form == "unnamed" else name,
                                    ("name", list(words), []), bitsize=width))
        else:
            node_type = draw(st.sampled_from([AttrStruct, AttrUnion]))
            inner = draw(record_members(group, f"{name}_", depth + 1, packed))
            tag = f"{group.prefix}n{group.fresh()}" \
                if kind == "nested" and draw(st.booleans()) else None
            body = node_type(tag, inner)
            if kind == "anon":  # struct { ... };  members reached through the parent
                members.append(c_ast.Decl(None, [], [], [], [], body, None, None))
            else:
                members.append(c_ast.Decl(name, [], [], [], [],
                                          c_ast.TypeDecl(name, [], None, body), None, None))
    named = any(isinstance(m, c_ast.Decl) and m.name for m in members)
    if flexible and named and not packed and draw(st.integers(0, 9)) == 0:
        # A flexible array member ends the record.
        elem = ("name", draw(st.sampled_from(INTEGERS[:-1])), [])
        members.append(decl(f"{prefix}flex", ("array", elem, draw(st.sampled_from([None, 0])))))
    return members


@st.composite
def record(draw: st.DrawFn, group: Group, prefix: str) -> None:
    kind = draw(st.sampled_from(["struct", "union"]))
    tag = f"{prefix}rec"
    attributes: list[str] = []
    if draw(st.integers(0, 3)) == 0:
        attributes.append("packed")
    if draw(st.integers(0, 4)) == 0:
        attributes.append(f"aligned({draw(st.sampled_from([2, 4, 8, 16, 32]))})")
    packed = "packed" in attributes
    node_type = AttrStruct if kind == "struct" else AttrUnion
    if draw(st.integers(0, 3)) == 0:
        # typedef struct { ... } name;  bindgen names the record after the typedef.
        members = draw(record_members(group, "", 0, packed, flexible=kind == "struct"))
        body = node_type(None, members, tuple(attributes))
        group.nodes.append(c_ast.Typedef(tag, [], ["typedef"],
                                         c_ast.TypeDecl(tag, [], None, body)))
        own: tuple = ("name", [tag], [])
    else:
        # A struct may point to itself: a linked list.
        group.types.append(("ptr", ("tag", kind, tag, []), []))
        members = draw(record_members(group, "", 0, packed, flexible=kind == "struct"))
        group.nodes.append(c_ast.Decl(None, [], [], [], [], node_type(tag, members,
                                                                      tuple(attributes)),
                                      None, None))
        own = ("tag", kind, tag, [])
    group.types.append(("ptr", own, []))
    if not any(_is_flexible(m) for m in members):
        group.types.append(own)


@st.composite
def forward(draw: st.DrawFn, group: Group, prefix: str) -> None:
    """`struct tag;` never defined: only pointers to it."""
    kind = draw(st.sampled_from(["struct", "union"]))
    group.nodes.append(c_ast.Decl(None, [], [], [], [],
                                  c_nodes.tag_reference(kind, f"{prefix}fwd"), None, None))
    group.types.append(("ptr", ("tag", kind, f"{prefix}fwd", []), []))


def _is_flexible(node: c_ast.Node) -> bool:
    return isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.ArrayDecl) \
        and (node.type.dim is None or node.type.dim.value == "0")


@st.composite
def enum(draw: st.DrawFn, group: Group, prefix: str) -> None:
    tag = f"{prefix}enum"
    values = []
    low, high = draw(st.sampled_from([(-128, 127), (0, 255), (-2**31, 2**31 - 1),
                                      (0, 2**32 - 1)]))
    for i in range(draw(st.integers(1, 4))):
        value = draw(st.one_of(st.none(), st.integers(low, high)))
        init = None if value is None else _int_constant(value)
        values.append(c_ast.Enumerator(f"{prefix.upper()}E{i}", init))
    # Implicit values must stay in range: give each a value when one is large.
    if any(e.value is None for e in values) and high > 2**31 - 1:
        for i, e in enumerate(values):
            e.value = e.value or _int_constant(i)
    packed = ("packed",) if draw(st.integers(0, 4)) == 0 else ()
    node = AttrEnum(tag, c_ast.EnumeratorList(values), packed)
    group.nodes.append(c_ast.Decl(None, [], [], [], [], node, None, None))
    group.types.append(("tag", "enum", tag, []))


def _int_constant(value: int) -> c_ast.Node:
    if value < 0:
        return c_ast.UnaryOp("-", c_ast.Constant("int", str(-value)))
    return c_ast.Constant("int", f"{value}u" if value > 2**31 - 1 else str(value))


@st.composite
def typedef_chain(draw: st.DrawFn, group: Group, prefix: str) -> None:
    t = draw(st.one_of(value_type(group), function_type(group)))
    is_function = t[0] == "fn"  # a function type names no object: only point to it
    for i in range(draw(st.integers(1, 3))):
        name = f"{prefix}t{i}"
        group.nodes.append(c_ast.Typedef(name, [], ["typedef"], declare(t, name)))
        t = ("name", [name], [] if is_function else draw(QUALS))
        group.types.append(("ptr", t, []) if is_function else t)


@st.composite
def function(draw: st.DrawFn, group: Group, prefix: str) -> None:
    t = draw(function_type(group))
    group.nodes.append(c_ast.Decl(f"{prefix}fn", [], [], ["extern"], [],
                                  declare(t, f"{prefix}fn"), None, None))


@st.composite
def inline_function(draw: st.DrawFn, group: Group, prefix: str) -> None:
    """`static inline` with a body: no symbol, so bindgen emits nothing."""
    t = draw(function_type(group))
    name = f"{prefix}inline"
    head = c_ast.Decl(name, [], [], ["static"], ["inline"], declare(t, name), None, None)
    ret = [] if t[1] == VOID else [c_ast.Return(c_ast.Constant("int", "0"))] \
        if t[1][0] == "name" and t[1][1] in SCALARS else []
    group.nodes.append(c_ast.FuncDef(head, None, c_ast.Compound(ret)))


@st.composite
def variable(draw: st.DrawFn, group: Group, prefix: str) -> None:
    if draw(st.integers(0, 2)) == 0:
        # `static const T NAME = value;` (the RUST_CONST_HELPER_ trick): a Rust const.
        words = draw(st.sampled_from(INTEGERS))
        node = decl(f"{prefix}const", ("name", words, ["const"]), storage=("static",))
        node.init = c_ast.Constant("int", str(draw(st.integers(0, 127))))
        group.nodes.append(node)
        return
    t = draw(value_type(group))
    group.nodes.append(decl(f"{prefix}var", t, storage=("extern",)))


# Macros: SPEC.md section 4. cexpr evaluates literals (with suffixes), (),
# unary + - ~, binary * / % + - << >> & ^ |, and earlier evaluable macros;
# anything else (casts, sizeof, !, &&, ||, comparisons, ?:) is not a constant.
EVALUABLE_BINARY = ["*", "/", "%", "+", "-", "<<", ">>", "&", "^", "|"]
OTHER_BINARY = ["&&", "||", "<", "==", "!="]


@st.composite
def literal(draw: st.DrawFn) -> c_ast.Node:
    form = draw(st.sampled_from(["dec", "hex", "oct", "char", "big"]))
    if form == "char":
        return c_ast.Constant("char", f"'{draw(st.sampled_from('azAZ09 _'))}'")
    value = draw(st.integers(0, 2**64 - 1) if form == "big" else st.integers(0, 4096))
    text = {"dec": str(value), "hex": hex(value), "oct": oct(value).replace("0o", "0"),
            "big": str(value)}[form]
    if text == "00":
        text = "0"
    suffix = draw(st.sampled_from(["", "", "u", "U", "l", "L", "ul", "UL", "ull", "LL"]))
    if value > 2**63 - 1 and "u" not in suffix.lower():
        suffix = "ull"
    return c_ast.Constant("int", text + suffix)


@st.composite
def expression(draw: st.DrawFn, names: list[str], depth: int = 0) -> c_ast.Node:
    leaves = [literal()] + ([st.sampled_from(names).map(c_ast.ID)] if names else [])
    if depth >= 3:
        return draw(st.one_of(*leaves))
    pick = draw(st.sampled_from(["leaf", "leaf", "unary", "binary", "binary", "other"]))
    if pick == "leaf":
        return draw(st.one_of(*leaves))
    if pick == "unary":
        op = draw(st.sampled_from(["-", "+", "~", "~", "-", "!"]))
        return c_ast.UnaryOp(op, draw(expression(names, depth + 1)))
    if pick == "binary":
        op = draw(st.sampled_from(EVALUABLE_BINARY))
        return c_ast.BinaryOp(op, draw(expression(names, depth + 1)),
                              draw(expression(names, depth + 1)))
    form = draw(st.sampled_from(["binary", "cast", "sizeof", "ternary"]))
    inner = draw(expression(names, depth + 1))
    if form == "binary":
        return c_ast.BinaryOp(draw(st.sampled_from(OTHER_BINARY)), inner,
                              draw(expression(names, depth + 1)))
    if form == "cast":
        to = c_ast.Typename(None, [], None, declare(("name", ["unsigned", "int"], []), None))
        return c_ast.Cast(to, inner)
    if form == "sizeof":
        return c_ast.UnaryOp("sizeof", c_ast.Typename(None, [], None,
                                                      declare(("name", ["long"], []), None)))
    return c_ast.TernaryOp(inner, draw(expression(names, depth + 1)),
                           draw(expression(names, depth + 1)))


@st.composite
def macros(draw: st.DrawFn, group: Group, prefix: str) -> None:
    gen = AttrGenerator()
    names: list[str] = []
    for i in range(draw(st.integers(1, 4))):
        name = f"{prefix.upper()}M{i}"
        body = gen.visit(draw(expression(names)))
        if draw(st.integers(0, 4)) == 0:  # function-like: no constant, needs a helper
            name += "(x)"
            body = gen.visit(c_ast.BinaryOp("+", c_ast.ID("x"), c_ast.Constant("int", "1")))
        else:
            names.append(name)
        # A line continuation is whitespace to the preprocessor.
        gap = " \\\n\t" if draw(st.integers(0, 4)) == 0 else " "
        group.macros.append(f"#define {name}{gap}{body}")


DECLARATIONS = [record, record, enum, typedef_chain, function, variable, macros, forward,
                inline_function]


@st.composite
def group(draw: st.DrawFn, prefix: str) -> Group:
    g = Group(prefix)
    for i in range(draw(st.integers(1, 3))):
        builder = draw(st.sampled_from(DECLARATIONS))
        draw(builder(g, f"{prefix}{i}_"))
    return g


@st.composite
def headers(draw: st.DrawFn, max_groups: int = 8) -> list[Group]:
    """Several unrelated groups, to amortise one bindgen run over many items."""
    count = draw(st.integers(1, max_groups))
    return [draw(group(f"g{i}_")) for i in range(count)]
