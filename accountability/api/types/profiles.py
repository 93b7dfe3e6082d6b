"""Profiles in GraphQL: a person over time, and the incidents they are linked to."""

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
    node_of,
)
from accountability.api.types.trace import PathStep, TracePathType, steps
from accountability.services.profiles import PersonProfile as ProfileRecord
from accountability.services.tracing import IncidentLink as IncidentLinkRecord
from accountability.services.tracing import claim_record


@strawberry.type(
    description="An incident a person is linked to, by one mode, with the "
    "strongest path (the trace, seen from the person)."
)
class IncidentLink:
    mode: Mode
    certainty: Certainty
    weakest_confidence: Confidence
    corroborated: bool
    path: list[PathStep]
    other_paths: list[TracePathType]
    incident_id: strawberry.Private[str]
    evidence_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, link: IncidentLinkRecord) -> IncidentLink:
        p = link.path
        return cls(
            mode=link.mode,
            certainty=p.certainty,
            weakest_confidence=p.weakest_confidence,
            corroborated=p.corroborated,
            path=steps(p),
            other_paths=[TracePathType.of(o) for o in link.other_paths],
            incident_id=link.incident_id,
            evidence_ids=p.evidence,
        )

    @strawberry.field
    async def incident(self, info: Info) -> Incident:
        record = await info.context.loaders.node.load(self.incident_id)
        node = node_of(record) if record else None
        assert isinstance(node, Incident)
        return node

    @strawberry.field(description="The distinct evidence along the path.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.evidence_ids)


@strawberry.type(description="A claim placing the person in a unit or facility over time.")
class Role:
    claim: Claim
    target_id: strawberry.Private[str]

    @strawberry.field(description="The unit or facility.")
    async def target(self, info: Info) -> Node | None:
        record = await info.context.loaders.node.load(self.target_id)
        return node_of(record) if record else None


@strawberry.type(description="A person over time: roles, and incidents by mode of liability.")
class PersonProfile:
    person: Person
    roles: list[Role] = strawberry.field(
        description="Memberships, commands and posts, by start date (undated last)."
    )
    incidents: list[IncidentLink] = strawberry.field(
        description="Every incident the person is linked to, by mode then date."
    )
    first_role: dt.date | None = strawberry.field(description="The earliest dated role.")

    @classmethod
    def of(cls, profile: ProfileRecord) -> PersonProfile:
        person = node_of(profile.person)
        assert isinstance(person, Person)
        dated = [c.valid_from for c in profile.roles if c.valid_from]
        return cls(
            person=person,
            roles=[Role(claim=Claim.of(claim_record(c)), target_id=c.to_id) for c in profile.roles],
            incidents=[IncidentLink.of(link) for link in profile.incidents],
            first_role=min(dated) if dated else None,
        )
