"""Converting values between the driver's types and ours."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from neo4j import Record
from neo4j.time import Date, DateTime, Duration, Time

#: Value types a row may hold as the driver gives them: everything but the graph types
#: (nodes, relationships, paths), which ``Record.data()`` flattens.
_LEAVES = frozenset({str, int, float, bool, type(None), bytes, Date, DateTime, Time, Duration})


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(map(_plain, value.values()))
    if kind is list:
        return all(map(_plain, value))
    return kind in _LEAVES


def projected_row_of(record: Record) -> dict[str, Any]:
    """A record of a statement that returns projections only (maps, lists and scalars,
    never a node, a relationship or a path), as it comes: ``row_of``'s walk through
    every nested value to find graph types was 4% of a wide nested read's CPU."""
    return dict(zip(record.keys(), record.values(), strict=True))


def row_of(record: Record) -> dict[str, Any]:
    """A record as ``record.data()`` gives it, without rebuilding every nested map and
    list when none holds a graph type (our statements return maps of properties): the
    driver's exporter tests each nested value against abstract classes, and was a
    quarter of a batch of traces' CPU time."""
    values = record.values()
    if all(map(_plain, values)):
        return dict(zip(record.keys(), values, strict=True))
    return record.data()


#: Values ``to_native`` returns as they are: by far most of what rows hold. Tested by
#: exact type first (a set lookup), which is several times cheaper than the isinstance
#: tests below; a wide nested read converts thousands of properties a request.
_AS_IS = frozenset({str, int, float, bool, type(None), bytes})


def to_native(value: Any) -> Any:
    """Driver temporal values to the standard library's, recursively."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {k: v if type(v) in _AS_IS else to_native(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _AS_IS else to_native(v) for v in value]
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [to_native(v) for v in value]
    if isinstance(value, dict):
        return {k: to_native(v) for k, v in value.items()}
    return value


def day_of(value: Any) -> dt.date | None:
    """A date as a row holds it: the driver's date, the standard library's, or its ISO
    form (what the look-ahead reads return: see cypher/ahead/claims_ahead)."""
    kind = type(value)
    if kind is str:
        return dt.date.fromisoformat(value)
    if isinstance(value, Date):
        return value.to_native()
    return cast("dt.date | None", value)


def parse_instant(value: str | None) -> dt.datetime | None:
    """A stored ISO-8601 UTC string back to an aware datetime."""
    if value is None:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
