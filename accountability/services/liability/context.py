"""The incidents around an incident (``domain/elements.py``, ``Context``): at its
facility, or at a facility operated by a unit that operated that facility during it
(while the unit operated that one too), within a window of days of its period; counted
with the facilities they were at and their deaths.

Counted here, not in one statement: a statement compared every incident with every
other at the same facility, and a prison of two thousand incidents (a real case's
shape) ran past the engine's time-out. Here each facility's incidents are read once,
sorted by start, and each incident looks only at those whose start falls in its window.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accountability.domain.elements import Context
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.graph.values import to_native

#: Facilities a statement: a site's incidents come back whole, however many.
SITES_BATCH = 200


@dataclass
class _Site:
    """A facility's incidents, by start."""

    starts: list[dt.date] = field(default_factory=list)
    #: (start, end, incident, deaths), in the order of ``starts``.
    items: list[tuple[dt.date, dt.date, str, tuple[str, ...]]] = field(default_factory=list)
    #: The longest incident here, in days: how far before a window an incident may
    #: start and still reach into it.
    longest: dt.timedelta = dt.timedelta(0)


@dataclass(frozen=True)
class _Where:
    """One place to look for an incident's neighbours: a facility, and the dates a unit
    operated it (none for its own facility: every incident there counts)."""

    site: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


async def incident_context(db: Database, ids: list[str], days: int) -> dict[str, Context]:
    """The context of each of these incidents that has a start and a facility."""
    if not ids:
        return {}
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    wheres: dict[str, set[_Where]] = defaultdict(set)
    for r in await db.read(Q.INCIDENT_CONTEXT_SITES, ids=ids):
        incident = r["incident"]
        periods[incident] = (to_native(r["start"]), to_native(r["end"]))
        wheres[incident].add(_Where(r["facility"]))
        for via in r["via"]:
            if via is not None:
                wheres[incident].add(
                    _Where(via["site"], to_native(via["valid_from"]), to_native(via["valid_to"]))
                )
    sites = await _sites(db, sorted({w.site for ws in wheres.values() for w in ws}))
    window = dt.timedelta(days=days)
    out = {}
    for incident, (start, end) in periods.items():
        low, high = start - window, end + window
        seen: set[str] = set()
        at: set[str] = set()
        deaths: set[str] = set()
        for where in wheres[incident]:
            site = sites.get(where.site)
            if site is None:
                continue
            first = bisect.bisect_left(site.starts, low - site.longest)
            last = bisect.bisect_right(site.starts, high)
            for j_start, j_end, j, died in site.items[first:last]:
                if j == incident or j_end < low:
                    continue
                if not _operated(where, j_start, j_end):
                    continue
                seen.add(j)
                at.add(where.site)
                deaths.update(died)
        out[incident] = Context(len(seen), len(at), len(deaths))
    return out


def _operated(where: _Where, start: dt.date, end: dt.date) -> bool:
    """Whether the unit operated the site at some time during an incident there."""
    return (where.valid_from is None or where.valid_from <= end) and (
        where.valid_to is None or where.valid_to >= start
    )


async def _sites(db: Database, ids: list[str]) -> dict[str, _Site]:
    rows: list[dict[str, Any]] = []
    for first in range(0, len(ids), SITES_BATCH):
        rows += await db.read(Q.SITE_INCIDENTS, ids=ids[first : first + SITES_BATCH])
    return _sorted(rows)


def _sorted(rows: Iterable[dict[str, Any]]) -> dict[str, _Site]:
    by_site: dict[str, list[tuple[dt.date, dt.date, str, tuple[str, ...]]]] = defaultdict(list)
    for r in rows:
        start, end = to_native(r["start"]), to_native(r["end"])
        by_site[r["site"]].append((start, end, r["incident"], tuple(r["deaths"])))
    out = {}
    for site_id, items in by_site.items():
        items.sort()
        longest = max([i[1] - i[0] for i in items] + [dt.timedelta(0)])
        out[site_id] = _Site([i[0] for i in items], items, longest)
    return out
