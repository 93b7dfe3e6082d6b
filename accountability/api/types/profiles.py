"""Over time, in GraphQL: a person's profile, a victim's path, a facility's timeline."""

from __future__ import annotations

import datetime as dt

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import Certainty, Confidence, Mode, PersonStatus
from accountability.api.types.graph import (
    Claim,
    Evidence,
    Facility,
    Incident,
    Node,
    Person,
    load_evidence,
    load_node,
    load_typed,
    node_of,
)
from accountability.api.types.trace import PathStep, TracePathConnection, paths_page, steps
from accountability.services.liability.profiles import FacilityTimeline as TimelineRecord
from accountability.services.liability.profiles import PersonProfile as ProfileRecord
from accountability.services.liability.profiles import TimelineEntry as EntryRecord
from accountability.services.liability.profiles import VictimPath as VictimPathRecord
from accountability.services.liability.trace import Alternatives, claim_record
from accountability.services.liability.trace import IncidentLink as IncidentLinkRecord


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
    incident_id: strawberry.Private[str]
    alternatives: strawberry.Private[Alternatives]
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
            incident_id=link.incident_id,
            alternatives=link.alternatives,
            evidence_ids=p.evidence,
        )

    @strawberry.field
    async def incident(self, info: Info) -> Incident:
        return await load_typed(info, self.incident_id, Incident)

    @strawberry.field(description="The person's other paths to it by this mode, strongest first.")
    async def other_paths(self, first: int = 50, after: str | None = None) -> TracePathConnection:
        return await paths_page(self.alternatives, first, after)

    @strawberry.field(description="The distinct evidence along the path.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.evidence_ids)


@strawberry.type(description="A claim placing the person in a unit or facility over time.")
class Role:
    claim: Claim
    target_id: strawberry.Private[str]

    @strawberry.field(description="The unit or facility.")
    async def target(self, info: Info) -> Node | None:
        return await load_node(info, self.target_id)


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


@strawberry.type(description="Something dated: a claim and the node at its other end.")
class TimelineEntry:
    kind: str = strawberry.field(description="DETENTION, INCIDENT, OPERATED, COMMAND_POST or POST.")
    start: dt.date | None
    end: dt.date | None = strawberry.field(description="Null: open or unknown.")
    claim: Claim
    other_id: strawberry.Private[str]

    @classmethod
    def of(cls, e: EntryRecord) -> TimelineEntry:
        return cls(
            kind=e.kind,
            start=e.start,
            end=e.end,
            claim=Claim.of(claim_record(e.claim)),
            other_id=e.other_id,
        )

    @strawberry.field(description="The facility, unit, person or incident concerned.")
    async def node(self, info: Info) -> Node | None:
        return await load_node(info, self.other_id)


@strawberry.type(
    description="A person's detentions in time order, what they suffered, and their known fate."
)
class VictimPath:
    person: Person
    status: PersonStatus | None = strawberry.field(description="The person's known fate.")
    detentions: list[TimelineEntry]
    incidents: list[TimelineEntry]

    @classmethod
    def of(cls, path: VictimPathRecord) -> VictimPath:
        person = node_of(path.person)
        assert isinstance(person, Person)
        return cls(
            person=person,
            status=person.status,
            detentions=[TimelineEntry.of(e) for e in path.detentions],
            incidents=[TimelineEntry.of(e) for e in path.incidents],
        )


@strawberry.type(description="Detention records at a facility overlapping one year.")
class YearCount:
    year: int
    detained: int
    undated: int = strawberry.field(
        description="Records with no start date that may belong to this year."
    )


@strawberry.type(description="What happened at a facility in a window, in time order.")
class FacilityTimeline:
    facility: Facility
    date_from: dt.date = strawberry.field(name="from")
    date_to: dt.date = strawberry.field(name="to")
    events: list[TimelineEntry] = strawberry.field(
        description="Operators, posts and incidents overlapping the window, by start date."
    )
    detentions_by_year: list[YearCount]

    @classmethod
    def of(cls, t: TimelineRecord) -> FacilityTimeline:
        facility = node_of(t.facility)
        assert isinstance(facility, Facility)
        return cls(
            facility=facility,
            date_from=t.date_from,
            date_to=t.date_to,
            events=[TimelineEntry.of(e) for e in t.events],
            detentions_by_year=[
                YearCount(year=c.year, detained=c.detained, undated=c.undated)
                for c in t.detentions_by_year
            ],
        )
