"""The contextual element's figures (a widespread or systematic attack, Rome Statute
art. 7(1)): how incidents, victims and deaths fall by facility, unit, kind or time, and
what share of them a period holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PatternGroup(StrEnum):
    """How pattern rows are grouped: by the facility where incidents occurred, the units
    operating it at the time, the kind of incident, or the month or year they began."""

    FACILITY = "FACILITY"
    UNIT = "UNIT"
    KIND = "KIND"
    MONTH = "MONTH"
    YEAR = "YEAR"


#: The key of incidents with no facility (or no operator) recorded.
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Counts:
    incidents: int
    victims: int
    deaths: int


@dataclass(frozen=True)
class PatternRow:
    key: str
    label: str | None
    counts: Counts


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when the whole is empty."""
    return part / whole if whole else None


def ordered(rows: list[PatternRow], group: PatternGroup) -> list[PatternRow]:
    """Time groups in time order; the others largest first (then by key)."""
    if group in (PatternGroup.MONTH, PatternGroup.YEAR):
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: (-r.counts.incidents, r.key))
