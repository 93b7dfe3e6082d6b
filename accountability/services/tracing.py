"""The liability trace: every person linked to an incident, by mode, with the path and
the evidence for every step (DESIGN.md, "Liability trace")."""

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
from accountability.services.records import ClaimRecord, NodeRecord


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
class _Gathered:
    period: Period
    found: list[tuple[str, Mode, list[PathClaim]]]
    truncated: bool
    records: dict[str, NodeRecord]
    sources: dict[str, str | None]


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


def path_claim(m: dict[str, Any]) -> PathClaim:
    """A claim as the trace statements return it (a map of its properties)."""
    m = to_native(m)
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

    async def period(self, incident_id: str) -> Period:
        rows = await self.db.read(Q.GET_INCIDENT_PERIOD, id=incident_id)
        if not rows:
            raise NotFound(f"no incident with id {incident_id!r}")
        row = to_native(rows[0])
        return Period.of(row["start"], row["end"])

    async def _gather(
        self, incident_id: str, max_depth: int, viewer: Viewer, person: str | None = None
    ) -> _Gathered:
        """The paths of the trace statements; with ``person``, that person's paths,
        qualifying or not (retracted and out-of-period claims kept)."""
        if not 0 <= max_depth <= rules.MAX_DEPTH_LIMIT:
            raise ValidationFailed.of(
                [Problem("maxDepth", f"must be between 0 and {rules.MAX_DEPTH_LIMIT}")]
            )
        period = await self.period(incident_id)
        params = {
            "id": incident_id,
            "start": period.start,
            "end": period.end,
            "all": person is not None,
            "person": person,
        }
        batches = await asyncio.gather(
            self.db.read(Q.TRACE_ACTS, **params),
            self.db.read(Q.TRACE_FACILITY, **params),
            self.db.read(Q.TRACE_SUPERIORS, **params, max_depth=max_depth),
        )
        rows = [row for batch in batches for row in batch]
        found: list[tuple[str, Mode, list[PathClaim]]] = []
        seen: set[tuple[str, Mode, tuple[str, ...]]] = set()
        for row in rows:
            if row["person"] is None:
                continue
            claims = [path_claim(c) for c in row["claims"]]
            key = (row["person"], Mode(row["mode"]), tuple(c.id for c in claims))
            if key not in seen:  # the same path reached through two base units counts once
                seen.add(key)
                found.append((key[0], key[1], claims))
        evidence_ids = sorted({e for _, _, cs in found for c in cs for e in c.evidence})
        records = await self.nodes.get_many([incident_id, *evidence_ids], viewer)
        sources = {e: records[e].properties.get("source") for e in evidence_ids if e in records}
        return _Gathered(period, found, any(row["cut"] for row in rows), records, sources)

    def _weigh(
        self, g: _Gathered, incident_id: str, person: str, claims: list[PathClaim]
    ) -> TracePath:
        return TracePath(
            nodes=walk(person, claims),
            claims=claims,
            certainty=rules.certainty(claims, g.period, incident_id),
            weakest_confidence=rules.weakest(claims),
            corroborated=rules.corroborated(claims, g.sources),
            evidence=list(dict.fromkeys(e for c in claims for e in c.evidence)),
        )

    async def trace(self, incident_id: str, max_depth: int, viewer: Viewer) -> TraceResult:
        """Every person linked to the incident, each with its strongest path per mode."""
        g = await self._gather(incident_id, max_depth, viewer)
        grouped: dict[tuple[str, Mode], list[TracePath]] = defaultdict(list)
        for person, mode, claims in g.found:
            path = self._weigh(g, incident_id, person, claims)
            # A path that comes back to a node (a commander whose only link is his own
            # act, say) is no chain of responsibility.
            if len(set(path.nodes)) == len(path.nodes):
                grouped[(person, mode)].append(path)
        links = []
        for (person, mode), paths in grouped.items():
            paths.sort(key=_path_order)
            links.append(LiabilityLink(person, mode, paths[0], paths[1:]))
        links.sort(
            key=lambda link: (
                rules.MODE_ORDER.index(link.mode),
                *_path_order(link.path),
                link.person_id,
            )
        )
        records = g.records
        evidence = {e: r for e, r in records.items() if r.label is NodeLabel.EVIDENCE}
        return TraceResult(records[incident_id], g.period, links, g.truncated, evidence)

    async def explain(
        self, person_id: str, incident_id: str, max_depth: int, viewer: Viewer
    ) -> Explanation:
        """Every path between a person and an incident, each with why it does or does not
        make a link, strongest qualifying paths first."""
        person = (await self.nodes.get_many([person_id], viewer)).get(person_id)
        if person is None or person.label is not NodeLabel.PERSON:
            raise NotFound(f"no person with id {person_id!r}")
        g = await self._gather(incident_id, max_depth, viewer, person=person_id)
        explained = []
        for _, mode, claims in g.found:
            path = self._weigh(g, incident_id, person_id, claims)
            reasons = [r for c in claims if (r := _exclusion(c, g.period, incident_id))]
            repeated = [n for i, n in enumerate(path.nodes) if n in path.nodes[:i]]
            if repeated:
                reasons.append(
                    f"the path comes back to {repeated[0]}: a person's own act "
                    "does not make them their own superior"
                )
            explained.append(ExplainedPath(mode, path, not reasons, reasons))
        explained.sort(
            key=lambda e: (not e.qualifies, rules.MODE_ORDER.index(e.mode), *_path_order(e.path))
        )
        evidence = {e: r for e, r in g.records.items() if r.label is NodeLabel.EVIDENCE}
        return Explanation(g.records[incident_id], g.period, explained, g.truncated, evidence)


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
