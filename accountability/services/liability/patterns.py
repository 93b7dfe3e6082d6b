"""Patterns: the figures that show scale and regularity (docs/design.md, "Elements of
liability", the contextual element)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accountability.domain.patterns import (
    UNKNOWN,
    Counts,
    PatternGroup,
    PatternRow,
    ordered,
    share,
)
from accountability.domain.redaction import Viewer
from accountability.errors import Problem, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.nodes import NodeService


@dataclass(frozen=True)
class Concentration:
    """A period's incidents, victims and deaths, beside those of a wider window."""

    part: Counts
    whole: Counts

    def shares(self) -> tuple[float | None, float | None, float | None]:
        p, w = self.part, self.whole
        return (
            share(p.incidents, w.incidents),
            share(p.victims, w.victims),
            share(p.deaths, w.deaths),
        )


def _check(date_from: dt.date | None, date_to: dt.date | None, where: str) -> None:
    if date_from is not None and date_to is not None and date_to < date_from:
        raise ValidationFailed.of([Problem(where, f"{date_to} is before {date_from}")])


class PatternService:
    """Counts of incidents over facilities, units, kinds and time."""

    def __init__(self, db: Database, nodes: NodeService) -> None:
        self.db = db
        self.nodes = nodes

    async def patterns(
        self, date_from: dt.date, date_to: dt.date, group: PatternGroup, viewer: Viewer
    ) -> list[PatternRow]:
        """Incidents begun in the period, grouped; a facility or unit row is labelled with
        its name as the viewer is served it."""
        _check(date_from, date_to, "to")
        rows = await self.db.read(
            Q.PATTERN_ROWS, first_day=date_from, last_day=date_to, group=group.value
        )
        labels: dict[str, str | None] = {}
        if group in (PatternGroup.FACILITY, PatternGroup.UNIT):
            ids = [r["key"] for r in rows if r["key"] is not None]
            records = await self.nodes.get_many(ids, viewer)
            labels = {i: r.properties.get("name") for i, r in records.items()}
        out = [
            PatternRow(
                key=str(r["key"]) if r["key"] is not None else UNKNOWN,
                label=labels.get(r["key"]) if r["key"] is not None else None,
                counts=Counts(r["incidents"], r["victims"], r["deaths"]),
            )
            for r in rows
        ]
        return ordered(out, group)

    async def concentration(
        self,
        date_from: dt.date,
        date_to: dt.date,
        within_from: dt.date | None,
        within_to: dt.date | None,
    ) -> Concentration:
        """The period's figures and those of the window around it (all time by default)."""
        _check(date_from, date_to, "to")
        _check(within_from, within_to, "withinTo")
        part = await self._totals(date_from, date_to)
        whole = await self._totals(within_from, within_to)
        return Concentration(part, whole)

    async def _totals(self, date_from: dt.date | None, date_to: dt.date | None) -> Counts:
        [row] = await self.db.read(Q.INCIDENT_TOTALS, first_day=date_from, last_day=date_to)
        return Counts(row["incidents"], row["victims"], row["deaths"])
