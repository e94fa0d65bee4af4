"""Parse, lower and predict one translation unit, on two cores when it pays.

Macros are half of the kernel's cursors and depend on nothing else, so a
forked child lowers and evaluates them, and runs the macro probe (a second
clang parse typing the macros bindgen cannot evaluate), while this process
lowers and predicts the declarations. The child sends plain tuples back:
unpickling 17,000 dataclass instances would cost more than the child saves.
"""

from __future__ import annotations

from collections.abc import Sequence

from kbind.checks import const_helpers
from kbind.clang import _compat
from kbind.clang.lower import Lowerer
from kbind.clang.parse import build_args, load
from kbind.clang.probe import probe
from kbind.ir import Location, Macro, TranslationUnit, Var
from kbind.ir.probe import ProbeResult
from kbind.parallel import Forked, can_fork
from kbind.predict.items import Predictor
from kbind.predict.options import BindgenOptions
from kbind.profile.ffi import Profile
from kbind.report import Item

CK_VAR = _compat.cindex.CursorKind.VAR_DECL
# Below this many macros a second process costs more than it saves.
PARALLEL_MIN_MACROS = 2000
# From this many probed macros on, two processes share the probe (_probe_split).
PARALLEL_MIN_PROBES = 4000

# Item fields a macro's prediction sets; everything else keeps its default.
_MACRO_ITEM_FIELDS = ("kind", "name", "rust_name", "emitted", "reason", "type", "resolved",
                      "value", "rust_value", "code")

_MacroRow = tuple[str, str, int, int, tuple[str, ...], bool, tuple[str, ...], bool]
_ItemRow = tuple[object, ...]


def parse_and_predict(header: str, clang_args: Sequence[str], prof: Profile,
                      options: BindgenOptions, keep_going: bool, root: str | None,
                      macro_types: bool = False
                      ) -> tuple[TranslationUnit, Predictor, list[Item], ProbeResult | None]:
    """The IR, the predictor that read it, the predicted items of `header`, and
    with `macro_types` the macro probe (see `probe_macros`)."""
    triple = prof.target.triple
    index, tu, errors = load(header, build_args(header, list(clang_args), triple), keep_going)
    lowerer = Lowerer(tu, header, triple, root)
    declarations, macros = lowerer.top_level()
    if len(macros) < PARALLEL_MIN_MACROS or not can_fork():
        lowerer.lower(declarations)
        lowerer.lower(macros)
        ir = lowerer.finish()
        ir.diagnostics = errors
        predictor = Predictor(ir, prof, options)
        items = predictor.items()
        probed = None
        if macro_types:
            decls = [d for d in ir.decls if isinstance(d, Macro)]
            probed = probe_macros(header, clang_args, triple, root, decls,
                                  [i for i in items if i.kind in ("macro", "const")],
                                  const_helpers.helper_names(
                                      d.name for d in ir.decls if isinstance(d, Var)))
        return ir, predictor, items, probed

    def macro_part() -> tuple[list[_MacroRow], list[_ItemRow], ProbeResult | None]:
        lowerer.lower(macros)
        child_ir = lowerer.finish()
        decls = [m for m in child_ir.decls if isinstance(m, Macro)]
        items = Predictor(child_ir, prof, options).macro_items()
        probed = None
        if macro_types:
            # The child has no lowered variables: read their names off the cursors.
            helpers = const_helpers.helper_names(
                _compat.spelling(c) for c in declarations if c.kind == CK_VAR)
            probed = probe_macros(header, clang_args, triple, root, decls, items, helpers)
        return [_macro_row(m) for m in decls], [_item_row(i) for i in items], probed

    forked = Forked(macro_part)
    lowerer.lower(declarations)
    ir = lowerer.finish()
    ir.diagnostics = errors
    # Declarations are predicted before the macros arrive: they do not need them.
    predictor = Predictor(ir, prof, options)
    declared = predictor.declaration_items()
    macro_rows, item_rows, probed = forked.result()
    places: dict[tuple[str, int, int], Location] = {}
    for row in macro_rows:
        ir.add(_macro_from_row(row, places))
    macro_items = [_item_from_row(row, places) for row in item_rows]
    del index
    return ir, predictor, predictor.merge(macro_items, declared), probed


def probe_macros(header: str, clang_args: Sequence[str], triple: str, root: str | None,
                 macros: list[Macro], macro_items: list[Item], helpers: set[str]
                 ) -> ProbeResult:
    """Type the macros that need a const helper, and those the header's
    `RUST_CONST_HELPER_X` lines name, with one extra clang parse."""
    names = set(const_helpers.candidates(macro_items)) | helpers
    # The last definition is the one in force after the header.
    bodies = {m.name: m.tokens for m in macros}
    probed = _probe_split(header, clang_args, triple, names, root, bodies)
    # A helper initialised from another macro (`= Y`): type Y as well. Rare,
    # so a second probe is cheaper than probing every macro up front.
    others = {h.rhs_macro for h in probed.helpers} - set(probed.macros) - {None}
    if others:
        again = _probe_split(header, clang_args, triple,
                             names | others, root, bodies)  # type: ignore[operator]
        again.seconds += probed.seconds
        probed = again
    return probed


def _probe_split(header: str, clang_args: Sequence[str], triple: str, names: set[str],
                 root: str | None, bodies: dict[str, tuple[str, ...]]) -> ProbeResult:
    """`probe`, in two processes when there are many names.

    Each probe line is typed on its own, so halves give the same answers.
    A half costs a second parse of the header (~0.25 s on the kernel) and
    saves half the lines (~60 us each) and half their reading; with
    thousands of lines (arm64 has 7,500) that is what the audit waits for.
    """
    if len(names) < PARALLEL_MIN_PROBES or not can_fork():
        return probe(header, clang_args, triple, names, root, bodies)
    ordered = sorted(names)
    first, second = set(ordered[::2]), set(ordered[1::2])
    other_half = Forked(lambda: probe(header, clang_args, triple, second, root, bodies))
    mine = probe(header, clang_args, triple, first, root, bodies)
    theirs = other_half.result()
    mine.macros.update(theirs.macros)  # the header's own helpers: read by both halves
    mine.seconds = max(mine.seconds, theirs.seconds)
    return mine


def _macro_row(m: Macro) -> _MacroRow:
    loc = m.location
    return (m.name, loc.file, loc.line, loc.column, m.tokens, m.function_like, m.params,
            m.overridden)


def _place(places: dict[tuple[str, int, int], Location], file: str, line: int,
           column: int) -> Location:
    key = (file, line, column)
    loc = places.get(key)
    if loc is None:
        loc = places[key] = Location(file, line, column)
    return loc


def _macro_from_row(row: _MacroRow, places: dict[tuple[str, int, int], Location]) -> Macro:
    name, file, line, column, tokens, function_like, params, overridden = row
    return Macro(name, _place(places, file, line, column), tokens, function_like, params,
                 overridden=overridden)


def _item_row(item: Item) -> _ItemRow:
    loc = item.location
    return (loc.file, loc.line, loc.column, *(getattr(item, f) for f in _MACRO_ITEM_FIELDS))


def _item_from_row(row: _ItemRow, places: dict[tuple[str, int, int], Location]) -> Item:
    file, line, column, kind, name, rust_name, emitted, reason, *rest = row
    item = Item(kind, name, rust_name, emitted, reason,  # type: ignore[arg-type]
                _place(places, file, line, column))  # type: ignore[arg-type]
    item.type, item.resolved, item.value, item.rust_value, item.code = rest  # type: ignore[assignment]
    return item
