"""A Report as versioned data for the cache: orjson out, validated on the way in.

The cache folder is writable by whoever restored it (a CI cache from another
branch, a shared folder), so an entry is data, never code: no pickle. Loading
rebuilds only the report's own dataclasses, checking every field's type
against its annotation; anything else is `InvalidEntry`, which the cache
treats as a miss.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, Union

import orjson

from kbind.ir import Location
from kbind.report import (
    BitfieldInfo,
    ConstantInfo,
    FieldInfo,
    Finding,
    Hole,
    Item,
    MemberLayout,
    ParamInfo,
    Report,
    Repr,
    StructLayout,
    Typed,
)

FORMAT = "kbind-cached-report/2"
# The only classes an entry may name: everything a Report holds.
_CLASSES = {cls.__name__: cls for cls in (
    Report, Item, Finding, Location, ParamInfo, Typed, FieldInfo, BitfieldInfo, ConstantInfo,
    StructLayout, MemberLayout, Hole, Repr)}
# The IR stays behind, as it did in worker pickles; the tools are the request's.
_SKIPPED = {(Report, "tu"), (Report, "tools")}


class InvalidEntry(ValueError):
    """A cache entry that is not a report this kbind wrote."""


def dumps(report: Report) -> bytes:
    return orjson.dumps({"format": FORMAT, "report": _encode(report)})


def loads(data: bytes) -> Report:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidEntry(f"not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidEntry("not a kbind cached report of this format")
    report = _decode(Report, doc.get("report"))
    assert isinstance(report, Report)
    return report


def _encode(value: Any) -> Any:
    """A record is `["Class", field values in declaration order...]` (compact:
    a cached 6.12 report has some 130,000 of them); lists stay lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if _CLASSES.get(cls.__name__) is not cls:
            raise TypeError(f"{cls.__name__} is not part of a cached report")
        return [cls.__name__, *(_encode(getattr(value, name)) for name in _field_names(cls))]
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{type(value).__name__} cannot be cached")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if (cls, f.name) not in _SKIPPED)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, localns=_CLASSES)


Decoder = typing.Callable[[Any], Any]


def _decode(hint: Any, value: Any) -> Any:
    return _decoder(hint)(value)


@functools.cache
def _decoder(hint: Any) -> Decoder:
    """A function that checks and rebuilds a value of type `hint`, made once per
    type: a cached report has some 30,000 items, so nothing is looked up twice."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if len(options) == 2 and type(None) in options:
            inner = _decoder(next(o for o in options if o is not type(None)))
            return lambda v: None if v is None else inner(v)
        decoders = [_decoder(o) for o in options]

        def union(v: Any) -> Any:
            for d in decoders:
                try:
                    return d(v)
                except InvalidEntry:
                    continue
            raise InvalidEntry(f"{v!r} is none of {hint}")
        return union
    if origin in (list, tuple):
        element = _decoder(typing.get_args(hint)[0])
        make = list if origin is list else tuple

        def sequence(v: Any) -> Any:
            if type(v) is not list:
                raise InvalidEntry(f"expected a list, got {type(v).__name__}")
            return make([element(x) for x in v])
        return sequence
    if hint is type(None):
        def none(v: Any) -> None:
            if v is not None:
                raise InvalidEntry("expected null")
        return none
    if hint in (str, bool, int):
        def exact(v: Any) -> Any:
            if type(v) is not hint:
                raise InvalidEntry(f"expected {hint.__name__}")
            return v
        return exact
    if hint is float:
        def number(v: Any) -> float:
            if type(v) not in (float, int):
                raise InvalidEntry("expected a number")
            return float(v)
        return number
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record_decoder(hint)
    raise InvalidEntry(f"cannot read a {hint}")


def _record_decoder(cls: type) -> Decoder:
    names = _field_names(cls)
    size = len(names) + 1
    tag = cls.__name__
    fields: list[Decoder] = []
    # A class with skipped fields (Report) is built by keyword; the others, far
    # more numerous, positionally, in declaration order.
    by_keyword = any(owner is cls for owner, _ in _SKIPPED)

    def record(v: Any) -> Any:
        if type(v) is not list or len(v) != size or v[0] != tag:
            raise InvalidEntry(f"expected a {tag} of this kbind's fields")
        if not fields:  # filled on first use: a record may hold its own kind
            hints = _hints(cls)
            fields.extend(_decoder(hints[name]) for name in names)
        values = [decode(x) for decode, x in zip(fields, v[1:], strict=True)]
        return cls(**dict(zip(names, values, strict=True))) if by_keyword else cls(*values)
    return record
