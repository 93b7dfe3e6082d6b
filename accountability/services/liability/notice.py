"""Notice: what a person had been told, or had reason to know, before an incident
(docs/design.md, "Elements of liability"). Prior incidents are those the trace would
link him to as a superior, each judged by its own period: so only incidents during his
tenure, at facilities his units operated then (or by members of his units then), count."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from accountability.domain import elements as rules
from accountability.domain.liability import PathClaim, Period
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, IncidentKind, PersonStatus
from accountability.errors import NotFound
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.graph.values import to_native
from accountability.services.liability.trace import (
    IncidentLink,
    LiabilityLink,
    TraceService,
    path_claim,
)
from accountability.services.overlap import overlapped

#: How many prior incidents one statement reads the victims and sites of.
CANDIDATE_BATCH = 500
#: Persons whose tenures one statement reads.
TENURE_BATCH = 20


#: How many of a link's paths are read for the units and persons it passes through
#: (parallel claims can make thousands of paths through the same few nodes).
REACH_PATHS = 200


def reach(link: LiabilityLink | IncidentLink) -> set[str]:
    """Every node on the link's paths (up to REACH_PATHS, strongest first): the units and
    persons an indicator of control, or a measure, may be about."""
    nodes = set(link.path.nodes)
    for steps in itertools.islice(link.alternatives.produce(), REACH_PATHS):
        for step in steps:
            nodes |= {step.claim.from_id, step.claim.to_id}
    return nodes


@dataclass(frozen=True)
class Notice:
    """The grounds of "had reason to know" for one person and one incident."""

    person_id: str
    incident_id: str
    period: Period
    #: Prior incidents, in time order (then id).
    incidents: Sequence[str]
    deaths: int
    first_prior: dt.date | None
    #: NOTIFIED claims received before the incident ended, in time order.
    notifications: list[PathClaim]


@dataclass(frozen=True)
class Tenure:
    """The incidents a person was a superior for, begun before some date."""

    starts: dict[str, dt.date | None]
    victims: dict[str, list[dict[str, Any]]]
    kinds: dict[str, str | None]
    facilities: dict[str, set[str]]

    def before(self, incident_id: str, start: dt.date | None) -> list[str]:
        """Those begun before ``start`` (none when it is unknown), in time order."""
        if start is None:
            return []
        order = self.ordered
        return [i for i in order.ids[: order.count_before(start)] if i != incident_id]

    @functools.cached_property
    def ordered(self) -> _Ordered:
        """The dated incidents in time order, with what a prefix of them holds: a matrix
        asks this tenure about each of its incidents, and a commander of a prison has
        thousands (sorting and counting them again for each cost their square)."""
        ids = sorted(
            (i for i, s in self.starts.items() if s is not None),
            key=lambda i: (self.starts[i] or dt.date.min, i),
        )
        starts = [self.starts[i] or dt.date.min for i in ids]
        dead: set[str] = set()
        unnamed = 0
        cumulative = []
        first_at: dict[str, dt.date] = {}
        for i, start in zip(ids, starts, strict=True):
            rows = self.victims.get(i, [])
            dead.update(r["victim"] for r in rows if _died(r))
            if not rows and self.kinds.get(i) == IncidentKind.KILLING:
                unnamed += 1
            cumulative.append(len(dead) + unnamed)
            for facility in self.facilities.get(i, set()):
                first_at.setdefault(facility, start)
        return _Ordered(ids, starts, cumulative, {i: k for k, i in enumerate(ids)}, first_at)


@dataclass(frozen=True)
class _Ordered:
    """A tenure's dated incidents in time order (then id)."""

    ids: list[str]
    starts: list[dt.date]
    #: Deaths among the first k+1 of them (``deaths``), for each k.
    deaths: list[int]
    position: dict[str, int]
    #: Each facility, with the start of the first of them there.
    first_at: dict[str, dt.date]

    def count_before(self, start: dt.date) -> int:
        """How many of them began before ``start``."""
        return bisect.bisect_left(self.starts, start)


class _Prefix(Sequence[str]):
    """The first ``count`` ids of a tenure's ordered incidents, without copying them: a
    matrix asks a commander's tenure about each of thousands of incidents, and most of
    it reads only how many priors there are (a slice each was seconds of a large case)."""

    __slots__ = ("_count", "_ids")

    def __init__(self, ids: list[str], count: int) -> None:
        self._ids = ids
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return itertools.islice(self._ids, self._count)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self._ids[: self._count][index]
        if not -self._count <= index < self._count:
            raise IndexError("prior incident index out of range")
        return self._ids[index % self._count]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))


@dataclass(frozen=True)
class Sites:
    """Where incidents occurred and who operated the facility then."""

    facilities: dict[str, set[str]]
    operators: dict[str, set[str]]

    def of(self, incident_id: str) -> set[str]:
        return self.facilities.get(incident_id, set()) | self.operators.get(incident_id, set())


def deaths(rows: list[dict[str, Any]], kinds: dict[str, str | None]) -> int:
    """Deaths among these incidents: distinct victims of killings or who died in custody,
    and one for each killing with no recorded victim. Ids only: a protected victim is
    counted, never named."""
    dead = {r["victim"] for r in rows if _died(r)}
    with_victims = {r["incident"] for r in rows}
    unnamed = [i for i, k in kinds.items() if k == IncidentKind.KILLING and i not in with_victims]
    return len(dead) + len(unnamed)


def _died(row: dict[str, Any]) -> bool:
    return bool(
        row["kind"] == IncidentKind.KILLING or row["status"] == PersonStatus.DIED_IN_CUSTODY
    )


class NoticeService:
    """Prior incidents and notifications, by the trace's rules."""

    def __init__(self, db: Database, tracing: TraceService) -> None:
        self.db = db
        self.tracing = tracing

    async def sites(self, incident_ids: list[str]) -> Sites:
        rows = await self.db.read(Q.INCIDENT_SITES, ids=incident_ids)
        facilities: dict[str, set[str]] = defaultdict(set)
        operators: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            facilities[r["incident"]].add(r["facility"])
            operators[r["incident"]].update(r["operators"])
        return Sites(dict(facilities), dict(operators))

    async def element_claim_rows(self, person_ids: list[str]) -> list[dict[str, Any]]:
        """Each person's standing NOTIFIED, EXERCISED_CONTROL and TOOK_MEASURES claims,
        as stored: served by ``element_claims`` with a floor read after them."""
        return await self.db.read(Q.PERSON_ELEMENT_CLAIMS, ids=person_ids)

    @staticmethod
    def element_claims(
        rows: list[dict[str, Any]], viewer: Viewer, floor: int
    ) -> dict[str, list[PathClaim]]:
        """The claims of ``element_claim_rows`` as this viewer is served them, by person.
        ``floor``: read after the rows, so that a rendition made before the protected
        names last changed is held back, not served."""
        out: dict[str, list[PathClaim]] = defaultdict(list)
        for r in rows:
            out[r["person"]].append(path_claim(r["claim"], viewer, floor))
        for claims in out.values():
            claims.sort(key=lambda c: (c.valid_from or dt.date.max, c.id))
        return dict(out)

    async def tenure(
        self, person_id: str, before: dt.date, viewer: Viewer, max_depth: int = 6
    ) -> Tenure:
        """The incidents begun before ``before`` of which the person was a superior, by
        the trace's rules (each on its own dates), with their victims, kinds and
        facilities: read once a person, whatever the number of incidents asked about."""
        return (await self.tenures({person_id: before}, viewer, max_depth))[person_id]

    async def tenures(
        self, before: dict[str, dt.date], viewer: Viewer, max_depth: int = 6
    ) -> dict[str, Tenure]:
        """``tenure`` for several persons at once, each up to his own date, in one
        statement (``liability/prior_incidents``: the trace's rules for a superior, each
        claim in force during the prior incident itself) rather than tracing every
        candidate incident again: the trace's statements answer "who is linked to this
        incident", this one "which incidents is he linked to", and a long tenure reaches
        thousands."""
        # A few persons a statement: one statement for every accused of a big case ran
        # past the engine's time-out on the ~1M graph (1,517 persons), where each
        # person's tenure alone takes tens of milliseconds.
        starts: dict[str, dict[str, dt.date | None]] = defaultdict(dict)
        wanted = [{"id": p, "before": d} for p, d in before.items()]
        reads = await overlapped(  # two statements at a time
            [
                functools.partial(
                    self.db.read,
                    Q.PRIOR_INCIDENTS,
                    rows=wanted[first : first + TENURE_BATCH],
                    depth=max_depth,
                )
                for first in range(0, len(wanted), TENURE_BATCH)
            ]
        )
        for rows in reads:
            for r in rows:
                starts[r["person"]][r["incident"]] = to_native(r["start"])
        incidents = sorted({i for found in starts.values() for i in found})
        victims, kinds, facilities = await self._about(incidents, viewer)
        return {
            p: Tenure(
                starts.get(p, {}),
                {i: victims[i] for i in starts.get(p, {}) if i in victims},
                {i: kinds.get(i) for i in starts.get(p, {})},
                {i: facilities.get(i, set()) for i in starts.get(p, {})},
            )
            for p in before
        }

    async def _about(
        self, ids: list[str], viewer: Viewer
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str | None], dict[str, set[str]]]:
        """Victims, kinds and facilities of these incidents."""
        victims: dict[str, list[dict[str, Any]]] = defaultdict(list)
        facilities: dict[str, set[str]] = {}
        for first in range(0, len(ids), CANDIDATE_BATCH):
            batch = ids[first : first + CANDIDATE_BATCH]
            for r in await self.db.read(Q.INCIDENT_VICTIMS, ids=batch):
                victims[r["incident"]].append(r)
            facilities.update((await self.sites(batch)).facilities)
        return dict(victims), await self._kinds(ids, viewer), facilities

    def notice_of(
        self,
        tenure: Tenure,
        person_id: str,
        incident_id: str,
        period: Period,
        about: set[str],
        claims: list[PathClaim],
    ) -> Notice:
        """Notice of one incident from the person's tenure: the prior incidents begun
        before it, the deaths among them, and his NOTIFIED claims received before it
        ended about ``about`` (the incident, its facility and operators, the nodes on his
        paths to it) or a prior incident or its facility."""
        start = period.start
        order = tenure.ordered
        count = order.count_before(start) if start is not None else 0
        priors: Sequence[str] = _Prefix(order.ids, count)
        own = order.position.get(incident_id)
        if own is not None and own < count:
            # Not the common case (an incident's own start is not before itself): the
            # prefix without it, counted over.
            priors = [i for i in priors if i != incident_id]
            rows = [r for i in priors for r in tenure.victims.get(i, [])]
            dead = deaths(rows, {i: tenure.kinds.get(i) for i in priors})
            wider = {*priors, *(f for i in priors for f in tenure.facilities.get(i, set()))}

            def about_it(node: str) -> bool:
                return node in about or node in wider

        else:
            dead = order.deaths[count - 1] if count else 0

            def about_it(node: str) -> bool:
                # The incident, its sites and paths; a prior incident; a prior's facility.
                if node in about:
                    return True
                if node in order.position:
                    return order.position[node] < count
                first = order.first_at.get(node)
                return start is not None and first is not None and first < start

        notified = [
            c
            for c in claims
            if c.type is ClaimType.NOTIFIED
            and about_it(c.to_id)
            and rules.notification_counts(c, period)
        ]
        first = tenure.starts[priors[0]] if priors else None
        return Notice(person_id, incident_id, period, priors, dead, first, notified)

    async def notice(
        self, person_id: str, incident_id: str, viewer: Viewer, max_depth: int = 6
    ) -> Notice:
        """What the person had reason to know before this incident (``notice_of``)."""
        person_id = await self.tracing.require_person(person_id, viewer)
        period = (await self.tracing.periods([incident_id])).get(incident_id)
        if period is None:
            raise NotFound(f"no incident with id {incident_id!r}")
        tenure = Tenure({}, {}, {}, {})
        if period.start is not None:
            tenure = await self.tenure(person_id, period.start, viewer, max_depth)
        own = await self.tracing.links_to(person_id, [incident_id], max_depth, viewer)
        sites = await self.sites([incident_id])
        about = {incident_id, *sites.of(incident_id)}
        about |= {n for link in own for n in reach(link)}
        rows = await self.element_claim_rows([person_id])
        floor = await self.tracing.nodes.masks.floor()  # after the claims: see element_claims
        claims = self.element_claims(rows, viewer, floor).get(person_id, [])
        return self.notice_of(tenure, person_id, incident_id, period, about, claims)

    async def _kinds(self, incident_ids: list[str], viewer: Viewer) -> dict[str, str | None]:
        if not incident_ids:
            return {}
        # Kinds are never masked: the viewer's own read serves them.
        records = await self.tracing.nodes.get_many(incident_ids, viewer)
        return {i: r.properties.get("kind") for i, r in records.items()}
