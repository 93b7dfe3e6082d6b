"""The trace in GraphQL; the shape docs/design.md fixes ("Stable GraphQL fields") stays
stable, fields may grow."""

from __future__ import annotations

import datetime as dt

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import Certainty, Confidence, Mode
from accountability.api.types.graph import (
    Claim,
    Evidence,
    Incident,
    Node,
    Person,
    load_evidence,
    load_node,
    load_typed,
    node_of,
)
from accountability.services.liability.trace import Explanation as ExplanationRecord
from accountability.services.liability.trace import LiabilityLink as LinkRecord
from accountability.services.liability.trace import TracePath as PathRecord
from accountability.services.liability.trace import TraceResult, claim_record


@strawberry.type(
    description="One step of a path: a node, and the claim that leads on to the "
    "next step (null on the last step, the incident)."
)
class PathStep:
    claim: Claim | None
    node_id: strawberry.Private[str]

    @strawberry.field
    async def node(self, info: Info) -> Node | None:
        return await load_node(info, self.node_id)


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
    other_paths: list[TracePathType] = strawberry.field(
        description="The person's other paths by this mode, strongest first."
    )
    person_id: strawberry.Private[str]
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
            other_paths=[TracePathType.of(o) for o in link.other_paths],
            person_id=link.person_id,
            evidence_ids=p.evidence,
        )

    @strawberry.field(description="The person, redacted as the caller's clearance requires.")
    async def person(self, info: Info) -> Person:
        return await load_typed(info, self.person_id, Person)

    @strawberry.field(description="The distinct evidence along the path.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.evidence_ids)


@strawberry.type(description="Everyone linked to an incident, by mode of liability.")
class Trace:
    incident: Incident
    links: list[LiabilityLink]
    period_start: dt.date | None = strawberry.field(description="The incident's first day.")
    period_end: dt.date | None = strawberry.field(
        description="The incident's last day (its first when no end is known)."
    )
    truncated: bool = strawberry.field(
        description="A command chain went on above maxDepth; raise it to see further."
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
