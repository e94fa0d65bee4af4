"""Parse, lower and predict one translation unit, on two cores when it pays.

Macros are half of the kernel's cursors and depend on nothing else, so a
forked child lowers and evaluates them while this process lowers and
predicts the declarations. The child sends plain tuples back: unpickling
17,000 dataclass instances would cost more than the child saves.
"""

from __future__ import annotations

from collections.abc import Sequence

from kbind.clang.lower import Lowerer
from kbind.clang.parse import build_args, load
from kbind.ir import Location, Macro, TranslationUnit
from kbind.parallel import Forked, can_fork
from kbind.predict.items import Predictor
from kbind.predict.options import BindgenOptions
from kbind.profile.ffi import Profile
from kbind.report import Item

# Below this many macros a second process costs more than it saves.
PARALLEL_MIN_MACROS = 2000

# Item fields a macro's prediction sets; everything else keeps its default.
_MACRO_ITEM_FIELDS = ("kind", "name", "rust_name", "emitted", "reason", "type", "resolved",
                      "value", "rust_value")

_MacroRow = tuple[str, str, int, int, tuple[str, ...], bool, tuple[str, ...]]
_ItemRow = tuple[object, ...]


def parse_and_predict(header: str, clang_args: Sequence[str], prof: Profile,
                      options: BindgenOptions, keep_going: bool, root: str | None
                      ) -> tuple[TranslationUnit, Predictor, list[Item]]:
    """The IR, the predictor that read it, and the predicted items of `header`."""
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
        return ir, predictor, predictor.items()

    def macro_part() -> tuple[list[_MacroRow], list[_ItemRow]]:
        lowerer.lower(macros)
        child_ir = lowerer.finish()
        items = Predictor(child_ir, prof, options).macro_items()
        return ([_macro_row(m) for m in child_ir.decls if isinstance(m, Macro)],
                [_item_row(i) for i in items])

    forked = Forked(macro_part)
    lowerer.lower(declarations)
    ir = lowerer.finish()
    macro_rows, item_rows = forked.result()
    places: dict[tuple[str, int, int], Location] = {}
    for row in macro_rows:
        ir.add(_macro_from_row(row, places))
    macro_items = [_item_from_row(row, places) for row in item_rows]
    ir.diagnostics = errors
    del index
    predictor = Predictor(ir, prof, options)
    return ir, predictor, predictor.items(macro_items)


def _macro_row(m: Macro) -> _MacroRow:
    loc = m.location
    return (m.name, loc.file, loc.line, loc.column, m.tokens, m.function_like, m.params)


def _place(places: dict[tuple[str, int, int], Location], file: str, line: int,
           column: int) -> Location:
    key = (file, line, column)
    loc = places.get(key)
    if loc is None:
        loc = places[key] = Location(file, line, column)
    return loc


def _macro_from_row(row: _MacroRow, places: dict[tuple[str, int, int], Location]) -> Macro:
    name, file, line, column, tokens, function_like, params = row
    return Macro(name, _place(places, file, line, column), tokens, function_like, params)


def _item_row(item: Item) -> _ItemRow:
    loc = item.location
    return (loc.file, loc.line, loc.column, *(getattr(item, f) for f in _MACRO_ITEM_FIELDS))


def _item_from_row(row: _ItemRow, places: dict[tuple[str, int, int], Location]) -> Item:
    file, line, column, kind, name, rust_name, emitted, reason, *rest = row
    item = Item(kind, name, rust_name, emitted, reason,  # type: ignore[arg-type]
                _place(places, file, line, column))  # type: ignore[arg-type]
    item.type, item.resolved, item.value, item.rust_value = rest  # type: ignore[assignment]
    return item
