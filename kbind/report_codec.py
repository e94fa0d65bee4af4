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

FORMAT = "kbind-cached-report/1"
# The only classes an entry may name: everything a Report holds.
_CLASSES = {cls.__name__: cls for cls in (
    Report, Item, Finding, Location, ParamInfo, Typed, FieldInfo, BitfieldInfo, ConstantInfo,
    StructLayout, MemberLayout, Hole, Repr)}
_SKIPPED = {(Report, "tu")}  # the IR stays behind, as it did in worker pickles


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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if _CLASSES.get(cls.__name__) is not cls:
            raise TypeError(f"{cls.__name__} is not part of a cached report")
        out: dict[str, Any] = {"@": cls.__name__}
        for f in dataclasses.fields(value):
            if (cls, f.name) not in _SKIPPED:
                out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{type(value).__name__} cannot be cached")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, localns=_CLASSES)


def _decode(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if hint is Any:
        # An untyped slot (Report.layouts) holds only the report's own classes.
        if isinstance(value, dict):
            cls = _CLASSES.get(value.get("@", ""))
            if cls is None:
                raise InvalidEntry(f"unknown record {value.get('@')!r}")
            return _decode(cls, value)
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise InvalidEntry(f"unexpected {type(value).__name__}")
    if origin in (Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _decode(option, value)
            except InvalidEntry:
                continue
        raise InvalidEntry(f"{value!r} is none of {hint}")
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise InvalidEntry(f"expected a list, got {type(value).__name__}")
        element = typing.get_args(hint)[0]
        items = [_decode(element, v) for v in value]
        return items if origin is list else tuple(items)
    if hint is type(None):
        if value is not None:
            raise InvalidEntry("expected null")
        return None
    if hint in (str, bool):
        if type(value) is not hint:
            raise InvalidEntry(f"expected {hint.__name__}")
        return value
    if hint is int:
        if type(value) is not int:
            raise InvalidEntry("expected an integer")
        return value
    if hint is float:
        if type(value) not in (float, int):
            raise InvalidEntry("expected a number")
        return float(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict) or value.get("@") != hint.__name__:
            raise InvalidEntry(f"expected a {hint.__name__}")
        names = {f.name for f in dataclasses.fields(hint) if (hint, f.name) not in _SKIPPED}
        if set(value) - {"@"} != names:
            raise InvalidEntry(f"{hint.__name__} has other fields than this kbind's")
        hints = _hints(hint)
        return hint(**{name: _decode(hints[name], value[name]) for name in names})
    raise InvalidEntry(f"cannot read a {hint}")
