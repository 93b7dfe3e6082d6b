"""Over time: a person's roles and incidents, a victim's path, a facility's timeline."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from accountability.domain.liability import PathClaim
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import NotFound, ProblemList
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.graph.values import to_native
from accountability.services.liability.trace import IncidentLink, TraceService, path_claim
from accountability.services.nodes import NodeService
from accountability.services.records import NodeRecord


@dataclass(frozen=True)
class PersonProfile:
    person: NodeRecord
    roles: list[PathClaim]  # memberships, commands, posts, by start date
    incidents: list[IncidentLink]


@dataclass(frozen=True)
class TimelineEntry:
    """Something dated about a person or place: a claim, and the node at its other end."""

    kind: str
    other_id: str
    start: dt.date | None
    end: dt.date | None
    claim: PathClaim


@dataclass(frozen=True)
class VictimPath:
    person: NodeRecord
    detentions: list[TimelineEntry]
    incidents: list[TimelineEntry]


@dataclass(frozen=True)
class YearCount:
    year: int
    detained: int
    undated: int


@dataclass(frozen=True)
class FacilityTimeline:
    facility: NodeRecord
    date_from: dt.date
    date_to: dt.date
    events: list[TimelineEntry]
    detentions_by_year: list[YearCount]


#: The longest span a facility timeline counts detentions over, in years.
MAX_TIMELINE_YEARS = 200


def _entries(rows: list[dict[str, Any]], viewer: Viewer, floor: int) -> list[TimelineEntry]:
    entries = []
    for r in rows:
        start, end = to_native([r["start"], r["end"]])
        claim = path_claim(r["claim"], viewer, floor)
        entries.append(TimelineEntry(r["kind"], r["other"], start, end, claim))
    # In time order; undated last, as their place in time is unknown.
    return sorted(
        entries, key=lambda e: (e.start is None, e.start or dt.date.min, e.kind, e.other_id)
    )


def by_start(claims: list[PathClaim]) -> list[PathClaim]:
    """Claims in time order; undated ones last, as their place in time is unknown."""
    return sorted(claims, key=lambda c: (c.valid_from is None, c.valid_from or dt.date.min, c.id))


class ProfileService:
    """Profiles built from claims and from the trace."""

    def __init__(self, db: Database, nodes: NodeService, tracing: TraceService) -> None:
        self.db = db
        self.nodes = nodes
        self.tracing = tracing

    async def _get(self, node_id: str, label: NodeLabel, viewer: Viewer) -> NodeRecord:
        record = (await self.nodes.get_many([node_id], viewer)).get(node_id)
        if record is None or record.label is not label:
            raise NotFound(f"no {label.value.lower()} with id {node_id!r}")
        return record

    async def person_profile(self, person_id: str, max_depth: int, viewer: Viewer) -> PersonProfile:
        """Posts, memberships and commands over time, and every incident the person is
        linked to, by mode."""
        person = await self._get(person_id, NodeLabel.PERSON, viewer)
        person_id = person.id  # a merged person's id reads the person it was merged into
        rows = await self.db.read(Q.PERSON_ROLES, id=person_id)
        floor = await self.nodes.masks.floor()
        roles = by_start([path_claim(r["claim"], viewer, floor) for r in rows])
        incidents = await self.tracing.incidents_of(person_id, max_depth, viewer)
        return PersonProfile(person, roles, incidents)

    async def victim_path(self, person_id: str, viewer: Viewer) -> VictimPath:
        """Where a person was held, in time order, and what they suffered."""
        person = await self._get(person_id, NodeLabel.PERSON, viewer)
        rows = await self.db.read(Q.VICTIM_PATH, id=person.id)
        entries = _entries(rows, viewer, await self.nodes.masks.floor())
        return VictimPath(
            person,
            detentions=[e for e in entries if e.kind == "DETENTION"],
            incidents=[e for e in entries if e.kind == "INCIDENT"],
        )

    async def facility_timeline(
        self, facility_id: str, date_from: dt.date, date_to: dt.date, viewer: Viewer
    ) -> FacilityTimeline:
        """Operators, posts and incidents at a facility in a window, in time order, and
        how many detention records overlap each year of it."""
        problems = ProblemList()
        if date_to < date_from:
            problems.add("to", f"{date_to} is before from {date_from}")
        elif date_to.year - date_from.year >= MAX_TIMELINE_YEARS:
            problems.add("to", f"the window may span at most {MAX_TIMELINE_YEARS} years")
        problems.raise_if_any()
        facility = await self._get(facility_id, NodeLabel.FACILITY, viewer)
        events, counts = await asyncio.gather(
            self.db.read(Q.FACILITY_TIMELINE, id=facility_id, **{"from": date_from}, to=date_to),
            self.db.read(
                Q.FACILITY_DETENTIONS_BY_YEAR,
                id=facility_id,
                from_year=date_from.year,
                to_year=date_to.year,
            ),
        )
        return FacilityTimeline(
            facility,
            date_from,
            date_to,
            _entries(events, viewer, await self.nodes.masks.floor()),
            [YearCount(int(r["year"]), int(r["detained"]), int(r["undated"])) for r in counts],
        )
