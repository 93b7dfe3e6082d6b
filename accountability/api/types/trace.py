"""The trace in GraphQL; the shape docs/design.md fixes ("Stable GraphQL fields") stays
stable, fields may grow."""

from __future__ import annotations

import asyncio
import datetime as dt

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import Certainty, Confidence, Mode
from accountability.api.types.graph import (
    Claim,
    Evidence,
    Incident,
    Node,
    PageInfo,
    Person,
    evidence_now,
    load_evidence,
    load_typed,
    node_now,
    node_of,
    typed_now,
)
from accountability.services import cursors
from accountability.services.liability.trace import Alternatives, TraceResult, claim_record
from accountability.services.liability.trace import Explanation as ExplanationRecord
from accountability.services.liability.trace import LiabilityLink as LinkRecord
from accountability.services.liability.trace import TracePath as PathRecord


@strawberry.type(
    description="One step of a path: a node, and the claim that leads on to the "
    "next step (null on the last step, the incident)."
)
class PathStep:
    claim: Claim | None
    node_id: strawberry.Private[str]

    @strawberry.field
    def node(self, info: Info) -> Node | None:
        return node_now(info, self.node_id)


def steps(path: PathRecord) -> list[PathStep]:
    claims: list[Claim | None] = [Claim.of(claim_record(c)) for c in path.claims]
    return [PathStep(claim=c, node_id=n) for n, c in zip(path.nodes, [*claims, None], strict=True)]


@strawberry.type(
    name="TracePath", description="Another path linking the same person by the same mode."
)
class TracePathType:
    certainty: Certainty
    weakest_confidence: Confidence
    corroborated: bool
    path: list[PathStep]
    evidence_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, p: PathRecord) -> TracePathType:
        return cls(
            certainty=p.certainty,
            weakest_confidence=p.weakest_confidence,
            corroborated=p.corroborated,
            path=steps(p),
            evidence_ids=p.evidence,
        )

    @strawberry.field(description="The distinct evidence along the path.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.evidence_ids)


@strawberry.type(description="One of a link's other paths.")
class TracePathEdge:
    cursor: str
    node: TracePathType


@strawberry.type(description="A link's other paths, strongest first.")
class TracePathConnection:
    total_count: int = strawberry.field(description="How many other paths there are.")
    edges: list[TracePathEdge]
    page_info: PageInfo


#: Most other paths one page may hold.
MAX_PATHS_PAGE = 500


async def paths_page(
    alternatives: Alternatives, first: int, after: str | None
) -> TracePathConnection:
    """One page of a link's other paths, in the order of strength. A cursor is a position
    in that order (the order is total, so it is the same on every call)."""
    cursors.check_page_size(first, MAX_PATHS_PAGE)
    offset = int(cursors.decode(after, 1, scope="paths")[0]) + 1 if after else 0
    # Producing paths is CPU work (a best-first search): off the event loop.
    found = await asyncio.to_thread(alternatives.page, offset, first + 1)
    shown = found[:first]
    edges = [
        TracePathEdge(
            cursor=cursors.encode(str(offset + n), scope="paths"), node=TracePathType.of(p)
        )
        for n, p in enumerate(shown)
    ]
    return TracePathConnection(
        total_count=alternatives.count,
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(found) > first, end_cursor=edges[-1].cursor if edges else None
        ),
    )


@strawberry.type(
    description="A person linked to the incident by one mode, carried by the "
    "strongest path (best certainty, then shortest)."
)
class LiabilityLink:
    mode: Mode
    certainty: Certainty
    path: list[PathStep]
    weakest_confidence: Confidence
    corroborated: bool = strawberry.field(
        description="Every step is backed by evidence from at least two distinct sources."
    )
    person_id: strawberry.Private[str]
    alternatives: strawberry.Private[Alternatives]
    evidence_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, link: LinkRecord) -> LiabilityLink:
        p = link.path
        return cls(
            mode=link.mode,
            certainty=p.certainty,
            path=steps(p),
            weakest_confidence=p.weakest_confidence,
            corroborated=p.corroborated,
            person_id=link.person_id,
            alternatives=link.alternatives,
            evidence_ids=p.evidence,
        )

    @strawberry.field(description="The person, redacted as the caller's clearance requires.")
    def person(self, info: Info) -> Person:
        return typed_now(info, self.person_id, Person)

    @strawberry.field(description="The distinct evidence along the path.")
    def evidence(self, info: Info) -> list[Evidence]:
        return evidence_now(info, self.evidence_ids)

    @strawberry.field(
        description="The person's other paths by this mode, in the order of strength "
        "(certainty, weakest confidence, corroboration, length, claim ids)."
    )
    async def other_paths(self, first: int = 50, after: str | None = None) -> TracePathConnection:
        return await paths_page(self.alternatives, first, after)


@strawberry.type(description="Everyone linked to an incident, by mode of liability.")
class Trace:
    incident: Incident
    links: list[LiabilityLink]
    period_start: dt.date | None = strawberry.field(description="The incident's first day.")
    period_end: dt.date | None = strawberry.field(
        description="The incident's last day (its first when no end is known)."
    )
    truncated: bool = strawberry.field(
        description="A command chain goes on above maxDepth to a unit not reached (a path "
        "never visits a unit twice): raise maxDepth to see further."
    )
    partial: bool = strawberry.field(
        description="Some part of the trace could not be computed (see missing); the "
        "links shown are correct, but there may be more."
    )
    missing: list[str] = strawberry.field(
        description="What could not be computed, by mode, and why."
    )

    @classmethod
    def of(cls, result: TraceResult) -> Trace:
        incident = node_of(result.incident)
        assert isinstance(incident, Incident)
        return cls(
            incident=incident,
            links=[LiabilityLink.of(link) for link in result.links],
            period_start=result.period.start,
            period_end=result.period.end,
            truncated=result.truncated,
            partial=result.partial,
            missing=result.missing,
        )


@strawberry.type(
    description="A path between a person and an incident, and why it does or "
    "does not make a link in the trace."
)
class ExplainedPath:
    mode: Mode
    qualifies: bool
    reasons: list[str] = strawberry.field(
        description="Why the path does not qualify (empty when it does), e.g. a command "
        "that ended before the incident, or a retracted claim."
    )
    certainty: Certainty = strawberry.field(description="The path's certainty were it to qualify.")
    weakest_confidence: Confidence
    corroborated: bool
    path: list[PathStep]
    evidence_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The distinct evidence along the path.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.evidence_ids)


@strawberry.type(description="Every path linking a person to an incident, qualifying first.")
class Explanation:
    incident: Incident
    paths: list[ExplainedPath]
    period_start: dt.date | None
    period_end: dt.date | None
    truncated: bool
    omitted_paths: int = strawberry.field(
        description="Paths not listed: at most 200 are listed per mode, strongest first."
    )
    person_id: strawberry.Private[str]

    @strawberry.field(description="The person, redacted as the caller's clearance requires.")
    async def person(self, info: Info) -> Person:
        return await load_typed(info, self.person_id, Person)

    @classmethod
    def of(cls, person_id: str, result: ExplanationRecord) -> Explanation:
        incident = node_of(result.incident)
        assert isinstance(incident, Incident)
        return cls(
            incident=incident,
            period_start=result.period.start,
            period_end=result.period.end,
            truncated=result.truncated,
            omitted_paths=result.omitted,
            person_id=person_id,
            paths=[
                ExplainedPath(
                    mode=e.mode,
                    qualifies=e.qualifies,
                    reasons=e.reasons,
                    certainty=e.path.certainty,
                    weakest_confidence=e.path.weakest_confidence,
                    corroborated=e.path.corroborated,
                    path=steps(e.path),
                    evidence_ids=e.path.evidence,
                )
                for e in result.paths
            ],
        )
