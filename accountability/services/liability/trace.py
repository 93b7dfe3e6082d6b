"""The liability trace: every person linked to an incident, by mode, with the path and
the evidence for every step (docs/design.md, "Liability trace")."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from accountability.domain import liability as rules
from accountability.domain.liability import Certainty, Mode, PathClaim, Period
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, NodeLabel
from accountability.errors import NotFound, Problem, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.graph.values import to_native
from accountability.services.nodes import NodeService
from accountability.services.records import ClaimRecord, NodeRecord, served_claim_props


@dataclass(frozen=True)
class TracePath:
    """One way a person is linked to the incident, with its weight."""

    nodes: list[str]  # from the person to the incident
    claims: list[PathClaim]  # claims[k] joins nodes[k] and nodes[k + 1]
    certainty: Certainty
    weakest_confidence: Confidence
    corroborated: bool
    evidence: list[str]


@dataclass(frozen=True)
class LiabilityLink:
    """A person and a mode, carried by its strongest path; the others on request."""

    person_id: str
    mode: Mode
    path: TracePath
    other_paths: list[TracePath]


@dataclass(frozen=True)
class ExplainedPath:
    """A path between a person and an incident, and why it does or does not qualify."""

    mode: Mode
    path: TracePath
    qualifies: bool
    reasons: list[str]


@dataclass(frozen=True)
class IncidentLink:
    """An incident a person is linked to, by one mode, with the strongest path."""

    incident_id: str
    period: Period
    mode: Mode
    path: TracePath
    other_paths: list[TracePath]


@dataclass(frozen=True)
class _Found:
    incident: str
    person: str
    mode: Mode
    claims: list[PathClaim]


@dataclass(frozen=True)
class _Gathered:
    periods: dict[str, Period]
    found: list[_Found]
    truncated: set[str]  # incidents for which the depth bound cut a chain
    records: dict[str, NodeRecord]
    sources: dict[str, str | None]

    def evidence(self) -> dict[str, NodeRecord]:
        return {e: r for e, r in self.records.items() if r.label is NodeLabel.EVIDENCE}


@dataclass(frozen=True)
class Explanation:
    incident: NodeRecord
    period: Period
    paths: list[ExplainedPath]
    truncated: bool
    evidence: dict[str, NodeRecord]


@dataclass(frozen=True)
class TraceResult:
    incident: NodeRecord
    period: Period
    links: list[LiabilityLink]
    truncated: bool
    evidence: dict[str, NodeRecord]


def path_claim(m: dict[str, Any], viewer: Viewer | None = None, floor: int = 0) -> PathClaim:
    """A claim as the trace statements return it (a map of its properties), as this
    viewer is served it."""
    m = served_claim_props(to_native(m), viewer, floor)
    return PathClaim(
        id=m["id"],
        type=ClaimType(m["type"]),
        from_id=m["from"],
        to_id=m["to"],
        valid_from=m.get("valid_from"),
        valid_to=m.get("valid_to"),
        date_precision=DatePrecision(m.get("date_precision") or "approximate"),
        confidence=Confidence(m.get("confidence") or "low"),
        evidence=tuple(m.get("evidence") or ()),
        props=m,
    )


def claim_record(claim: PathClaim) -> ClaimRecord:
    """The full record of a claim on a path, for the API."""
    return ClaimRecord.from_row(
        {
            "id": claim.id,
            "type": claim.type.value,
            "from": claim.from_id,
            "to": claim.to_id,
            "props": claim.props,
        }
    )


def walk(person: str, claims: list[PathClaim]) -> list[str]:
    """The nodes a path passes through, from the person on."""
    nodes = [person]
    for claim in claims:
        nodes.append(claim.other_end(nodes[-1]))
    return nodes


class TraceService:
    """Runs the trace statements and weighs their paths."""

    def __init__(self, db: Database, nodes: NodeService) -> None:
        self.db = db
        self.nodes = nodes

    async def periods(self, incident_ids: list[str]) -> dict[str, Period]:
        """The period of each of these incidents that exists."""
        rows = await self.db.read(Q.GET_INCIDENT_PERIOD, ids=incident_ids)
        return {r["id"]: Period.of(*to_native([r["start"], r["end"]])) for r in rows}

    async def _gather(
        self,
        incident_ids: list[str],
        max_depth: int,
        viewer: Viewer,
        person: str | None = None,
        include_all: bool = False,
    ) -> _Gathered:
        """The paths the trace statements find to these incidents, each judged by its
        own incident's period; with ``person``, only that person's; with
        ``include_all``, also paths through retracted or out-of-period claims."""
        if not 0 <= max_depth <= rules.MAX_DEPTH_LIMIT:
            raise ValidationFailed.of(
                [Problem("maxDepth", f"must be between 0 and {rules.MAX_DEPTH_LIMIT}")]
            )
        periods = await self.periods(incident_ids)
        missing = [i for i in incident_ids if i not in periods]
        if missing:
            raise NotFound(f"no incident with id {missing[0]!r}")
        params = {"ids": incident_ids, "all": include_all, "person": person}
        batches = await asyncio.gather(
            self.db.read(Q.TRACE_ACTS, **params),
            self.db.read(Q.TRACE_FACILITY, **params),
            self.db.read(Q.TRACE_SUPERIORS, **params, max_depth=max_depth),
        )
        rows = [row for batch in batches for row in batch]
        floor = await self.nodes.masks.floor()  # read after the claims: see records.py
        found: list[_Found] = []
        seen: set[tuple[str, str, Mode, tuple[str, ...]]] = set()
        for row in rows:
            if row["person"] is None:
                continue
            claims = [path_claim(c, viewer, floor) for c in row["claims"]]
            key = (row["incident"], row["person"], Mode(row["mode"]), tuple(c.id for c in claims))
            if key not in seen:  # the same path reached through two base units counts once
                seen.add(key)
                found.append(_Found(key[0], key[1], key[2], claims))
        evidence_ids = sorted({e for f in found for c in f.claims for e in c.evidence})
        records = await self.nodes.get_many([*incident_ids, *evidence_ids], viewer)
        sources = {e: records[e].properties.get("source") for e in evidence_ids if e in records}
        cut = {row["incident"] for row in rows if row["cut"]}
        return _Gathered(periods, found, cut, records, sources)

    def _weigh(self, g: _Gathered, f: _Found) -> TracePath:
        incident_id, person, claims = f.incident, f.person, f.claims
        return TracePath(
            nodes=walk(person, claims),
            claims=claims,
            certainty=rules.certainty(claims, g.periods[incident_id], incident_id),
            weakest_confidence=rules.weakest(claims),
            corroborated=rules.corroborated(claims, g.sources),
            evidence=list(dict.fromkeys(e for c in claims for e in c.evidence)),
        )

    def _strongest(self, g: _Gathered) -> list[tuple[_Found, TracePath, list[TracePath]]]:
        """For each (incident, person, mode): its strongest path and the others. A path
        that comes back to a node (a commander whose only link is his own act, say) is
        no chain of responsibility and is dropped."""
        grouped: dict[tuple[str, str, Mode], list[tuple[_Found, TracePath]]] = defaultdict(list)
        for f in g.found:
            path = self._weigh(g, f)
            if len(set(path.nodes)) == len(path.nodes):
                grouped[(f.incident, f.person, f.mode)].append((f, path))
        out = []
        for pairs in grouped.values():
            pairs.sort(key=lambda pair: _path_order(pair[1]))
            out.append((pairs[0][0], pairs[0][1], [p for _, p in pairs[1:]]))
        return out

    def _links(self, g: _Gathered) -> dict[str, list[LiabilityLink]]:
        """Each incident's links, in the trace's order."""
        out: dict[str, list[LiabilityLink]] = {i: [] for i in g.periods}
        for f, best, others in self._strongest(g):
            out[f.incident].append(LiabilityLink(f.person, f.mode, best, others))
        for links in out.values():
            links.sort(
                key=lambda link: (
                    rules.MODE_ORDER.index(link.mode),
                    *_path_order(link.path),
                    link.person_id,
                )
            )
        return out

    async def trace(self, incident_id: str, max_depth: int, viewer: Viewer) -> TraceResult:
        """Every person linked to the incident, each with its strongest path per mode."""
        return (await self.trace_many([incident_id], max_depth, viewer))[incident_id]

    async def trace_many(
        self, incident_ids: list[str], max_depth: int, viewer: Viewer
    ) -> dict[str, TraceResult]:
        """The traces of several incidents in one round of statements (a case brief
        traces thousands: one round each would cost a round-trip each)."""
        g = await self._gather(incident_ids, max_depth, viewer)
        links = self._links(g)
        evidence = g.evidence()
        return {
            i: TraceResult(g.records[i], g.periods[i], links[i], i in g.truncated, evidence)
            for i in incident_ids
        }

    async def explain(
        self, person_id: str, incident_id: str, max_depth: int, viewer: Viewer
    ) -> Explanation:
        """Every path between a person and an incident, each with why it does or does not
        make a link, strongest qualifying paths first."""
        await self._require_person(person_id, viewer)
        g = await self._gather([incident_id], max_depth, viewer, person=person_id, include_all=True)
        period = g.periods[incident_id]
        explained = []
        for f in g.found:
            path = self._weigh(g, f)
            reasons = [r for c in f.claims if (r := _exclusion(c, period, incident_id))]
            repeated = [n for i, n in enumerate(path.nodes) if n in path.nodes[:i]]
            if repeated:
                reasons.append(
                    f"the path comes back to {repeated[0]}: a person's own act "
                    "does not make them their own superior"
                )
            explained.append(ExplainedPath(f.mode, path, not reasons, reasons))
        explained.sort(
            key=lambda e: (not e.qualifies, rules.MODE_ORDER.index(e.mode), *_path_order(e.path))
        )
        return Explanation(
            g.records[incident_id], period, explained, incident_id in g.truncated, g.evidence()
        )

    async def incidents_of(
        self, person_id: str, max_depth: int, viewer: Viewer
    ) -> list[IncidentLink]:
        """Every incident a person is linked to, by mode (the trace, inverted): the
        incidents within reach are found first, then traced by the same rules."""
        await self._require_person(person_id, viewer)
        rows = await self.db.read(Q.PERSON_INCIDENT_CANDIDATES, id=person_id)
        candidates = sorted(r["id"] for r in rows)
        if not candidates:
            return []
        g = await self._gather(candidates, max_depth, viewer, person=person_id)
        links = [
            IncidentLink(f.incident, g.periods[f.incident], f.mode, best, others)
            for f, best, others in self._strongest(g)
        ]
        links.sort(
            key=lambda link: (
                rules.MODE_ORDER.index(link.mode),
                str(link.period.start),
                link.incident_id,
            )
        )
        return links

    async def _require_person(self, person_id: str, viewer: Viewer) -> None:
        person = (await self.nodes.get_many([person_id], viewer)).get(person_id)
        if person is None or person.label is not NodeLabel.PERSON:
            raise NotFound(f"no person with id {person_id!r}")


def _exclusion(claim: PathClaim, period: Period, incident_id: str) -> str | None:
    """Why a claim keeps its path out of the trace, or None when it does not."""
    if claim.props.get("retracted_at"):
        return (
            f"{claim.type.value} claim {claim.id} was retracted on "
            f"{str(claim.props['retracted_at'])[:10]}: {claim.props.get('retraction_reason')}"
        )
    if rules.is_act(claim, incident_id):
        return None
    return rules.not_in_force_reason(claim, period)


def _path_order(path: TracePath) -> tuple[int, int]:
    return rules.CERTAINTY_ORDER.index(path.certainty), len(path.claims)
