"""Notice: what a person had been told, or had reason to know, before an incident
(docs/design.md, "Elements of liability"). Prior incidents are those the trace would
link him to as a superior, each judged by its own period: so only incidents during his
tenure, at facilities his units operated then (or by members of his units then), count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from accountability.domain import elements as rules
from accountability.domain.liability import Mode, PathClaim, Period
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, IncidentKind, PersonStatus
from accountability.errors import NotFound
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.liability.trace import TraceService, path_claim


@dataclass(frozen=True)
class Notice:
    """The grounds of "had reason to know" for one person and one incident."""

    person_id: str
    incident_id: str
    period: Period
    #: Prior incidents, in time order (then id).
    incidents: list[str]
    deaths: int
    first_prior: dt.date | None
    #: NOTIFIED claims received before the incident ended, in time order.
    notifications: list[PathClaim]


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
    dead: set[str] = set()
    with_victims: set[str] = set()
    for r in rows:
        with_victims.add(r["incident"])
        if r["kind"] == IncidentKind.KILLING or r["status"] == PersonStatus.DIED_IN_CUSTODY:
            dead.add(r["victim"])
    unnamed = [i for i, k in kinds.items() if k == IncidentKind.KILLING and i not in with_victims]
    return len(dead) + len(unnamed)


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

    async def element_claims(
        self, person_ids: list[str], viewer: Viewer, floor: int
    ) -> dict[str, list[PathClaim]]:
        """Each person's standing NOTIFIED, EXERCISED_CONTROL and TOOK_MEASURES claims,
        as this viewer is served them."""
        rows = await self.db.read(Q.PERSON_ELEMENT_CLAIMS, ids=person_ids)
        out: dict[str, list[PathClaim]] = defaultdict(list)
        for r in rows:
            out[r["person"]].append(path_claim(r["claim"], viewer, floor))
        for claims in out.values():
            claims.sort(key=lambda c: (c.valid_from or dt.date.max, c.id))
        return dict(out)

    async def notice(
        self,
        person_id: str,
        incident_id: str,
        viewer: Viewer,
        max_depth: int = 6,
        claims: list[PathClaim] | None = None,
        linked_nodes: set[str] | None = None,
    ) -> Notice:
        """Prior incidents of which the person was a superior (by the trace's rules, each
        on its own dates), begun before this one; and his NOTIFIED claims received before
        this one ended about it, its facility or operators, the units and persons on his
        paths to it, or a prior incident or its facility. ``claims`` and
        ``linked_nodes`` spare reads a caller has made already."""
        await self.tracing.require_person(person_id, viewer)
        period = (await self.tracing.periods([incident_id])).get(incident_id)
        if period is None:
            raise NotFound(f"no incident with id {incident_id!r}")
        priors: list[str] = []
        dated: dict[str, dt.date | None] = {}
        if period.start is not None:
            rows = await self.db.read(
                Q.NOTICE_CANDIDATES, id=person_id, incident=incident_id, before=period.start
            )
            links = await self.tracing.links_to(
                person_id, [r["id"] for r in rows], max_depth, viewer
            )
            dated = {
                link.incident_id: link.period.start
                for link in links
                if link.mode is Mode.SUPERIOR_RESPONSIBILITY
            }
            priors = sorted(dated, key=lambda i: (dated[i] or dt.date.min, i))
        if linked_nodes is None:
            own = await self.tracing.links_to(person_id, [incident_id], max_depth, viewer)
            linked_nodes = {n for link in own for n in link.path.nodes}
        sites = await self.sites([incident_id, *priors])
        about = {incident_id, *priors, *linked_nodes, *sites.of(incident_id)}
        for prior in priors:
            about |= sites.facilities.get(prior, set())
        if claims is None:
            floor = await self.tracing.nodes.masks.floor()
            claims = (await self.element_claims([person_id], viewer, floor)).get(person_id, [])
        notified = [
            c
            for c in claims
            if c.type is ClaimType.NOTIFIED
            and c.to_id in about
            and rules.notification_counts(c, period)
        ]
        victims = await self.db.read(Q.INCIDENT_VICTIMS, ids=priors) if priors else []
        kinds = await self._kinds(priors, viewer)
        return Notice(
            person_id,
            incident_id,
            period,
            priors,
            deaths(victims, kinds),
            dated[priors[0]] if priors else None,
            notified,
        )

    async def _kinds(self, incident_ids: list[str], viewer: Viewer) -> dict[str, str | None]:
        if not incident_ids:
            return {}
        # Kinds are never masked: the viewer's own read serves them.
        records = await self.tracing.nodes.get_many(incident_ids, viewer)
        return {i: r.properties.get("kind") for i, r in records.items()}
