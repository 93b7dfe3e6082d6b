"""Reading one spreadsheet cell: text, numbers, yes/no, vocabularies and dates, full or
partial. Each reader returns the value or raises ``CellError`` with the reason."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from accountability.domain.mapping.spec import Condition, Value


class CellError(ValueError):
    """Why a cell cannot be read as its mapping says."""


_SPACES = re.compile(r"\s+")
# SFM's approximate dates also come as 2012-00-00 and 2012-11-00.
_YEAR = re.compile(r"^(\d{4})(?:-00-00)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-00)?$")
_TRUE = {"y", "yes", "true", "1", "x"}
_FALSE = {"n", "no", "false", "0", ""}


def clean(cell: Any) -> str:
    """A cell as trimmed text with runs of white space made one space ("" for empty)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        cell = cell.date() if cell.time() == dt.time() else cell
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # XLSX gives whole numbers as floats
    return _SPACES.sub(" ", str(cell)).strip()


def fold(text: str) -> str:
    """How vocabulary keys and flags compare: trimmed, case-insensitive."""
    return clean(text).casefold()


def holds(condition: Condition | None, row: dict[str, str]) -> bool:
    """Whether a row meets a condition (no condition: always)."""
    if condition is None:
        return True
    if condition.values is None:
        return bool(clean(row.get(condition.column)))
    return fold(row.get(condition.column, "")) in {fold(v) for v in condition.values}


@dataclass(frozen=True)
class Day:
    """A date as a cell gave it: the first and last day it may mean (the same day for a
    full date; a whole month or year for a partial one)."""

    first: dt.date
    last: dt.date

    @property
    def partial(self) -> bool:
        return self.first != self.last


def read_date(text: str, formats: list[str]) -> Day:
    """A full date (ISO, or one of ``formats``), or a partial one: ``2012``, ``2012-11``."""
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Day(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise CellError(f"{text!r} is not a date: no month {month}")
        last = calendar.monthrange(year, month)[1]
        return Day(dt.date(year, month, 1), dt.date(year, month, last))
    for fmt in formats:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return Day(day, day)
    try:
        day = dt.date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
    except ValueError:
        pass
    else:
        return Day(day, day)
    wanted = ", ".join([*formats, "YYYY-MM-DD", "YYYY-MM", "YYYY"])
    raise CellError(f"{text!r} is not a date ({wanted})")


def _typed(text: str, spec: Value) -> Any:
    if spec.type == "text":
        return text
    if spec.type == "int":
        try:
            return int(text)
        except ValueError:
            raise CellError(f"{text!r} is not a whole number") from None
    if spec.type == "float":
        try:
            return float(text)
        except ValueError:
            raise CellError(f"{text!r} is not a number") from None
    if spec.type == "bool":
        if text.casefold() in _TRUE:
            return True
        if text.casefold() in _FALSE:
            return False
        raise CellError(f"{text!r} is not yes or no")
    return read_date(text, spec.formats).first.isoformat()


def _one(text: str, spec: Value) -> Any:
    if spec.map is not None:
        table = {fold(k): v for k, v in spec.map.items()}
        key = fold(text)
        if key in table:
            return table[key]
        if spec.default is not None:
            return spec.default
        known = ", ".join(repr(k) for k in spec.map)
        raise CellError(f"{text!r} is not in the vocabulary ({known})")
    return _typed(text, spec)


def read_value(spec: Value, row: dict[str, str]) -> Any:
    """A property's value on a row: None for an empty cell (and no default), a list when
    the spec splits the cell."""
    if spec.column is None:
        return spec.literal
    text = clean(row.get(spec.column))
    if spec.split is not None:
        parts = [p for p in (clean(x) for x in text.split(spec.split)) if p]
        return list(dict.fromkeys(_one(p, spec) for p in parts))
    if not text:
        return spec.default
    return _one(text, spec)
