"""Notice, elements of liability and the case matrix in GraphQL (docs/design.md,
"Elements of liability")."""

from __future__ import annotations

import datetime as dt

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import Mode
from accountability.api.types.graph import (
    Claim,
    Evidence,
    Incident,
    Person,
    load_evidence,
    load_typed,
    node_of,
)
from accountability.domain.elements import Assessment, ElementPart, ElementStatus
from accountability.domain.liability import PathClaim
from accountability.domain.patterns import PatternGroup
from accountability.domain.patterns import PatternRow as PatternRowRecord
from accountability.services.liability.elements import CaseMatrix as MatrixRecord
from accountability.services.liability.notice import Notice as NoticeRecord
from accountability.services.liability.patterns import Concentration as ConcentrationRecord
from accountability.services.liability.trace import claim_record

strawberry.enum(
    ElementStatus,
    description="How far the graph supports an element. SUPPORTED: the claims recorded "
    "prove it as far as a graph can; PARTIAL: they point to it but leave a step to "
    "inference or to proof not recorded; GAP: nothing recorded bears on it; "
    "CONTRADICTED: a claim speaks against it.",
)
strawberry.enum(
    ElementPart,
    description="LINK: an element of the mode of liability; CRIME: an element of the "
    "crime itself (the act, the custody, the context).",
)


def _claims(claims: tuple[PathClaim, ...] | list[PathClaim]) -> list[Claim]:
    return [Claim.of(claim_record(c)) for c in claims]


@strawberry.type(
    description="What a person had been told, or had reason to know, before an incident: "
    "prior incidents of which he was a superior (each judged on its own dates, as the "
    "trace judges it) and notifications received before the incident ended."
)
class Notice:
    prior_incidents: int = strawberry.field(
        description="Incidents begun before this one, during his command, at facilities "
        "his units operated then or by members of his units then."
    )
    prior_deaths: int = strawberry.field(
        description="Deaths among them: victims of killings or who died in custody, and a "
        "killing with no recorded victim as one. Counted, never named."
    )
    first_prior: dt.date | None = strawberry.field(description="When the first of them began.")
    notifications: list[Claim] = strawberry.field(
        description="NOTIFIED claims received before the incident ended, about it, its "
        "facility or operators, his units on the way to it, or a prior incident."
    )
    incident_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, n: NoticeRecord) -> Notice:
        return cls(
            prior_incidents=len(n.incidents),
            prior_deaths=n.deaths,
            first_prior=n.first_prior,
            notifications=_claims(n.notifications),
            incident_ids=list(n.incidents),
        )

    @strawberry.field(description="The prior incidents, in time order.")
    async def incidents(self, info: Info) -> list[Incident]:
        records = await info.context.loaders.node.load_many(self.incident_ids)
        return [n for n in (node_of(r) for r in records if r) if isinstance(n, Incident)]


@strawberry.type(description="One element of a link: its status, what it rests on, why.")
class ElementAssessment:
    element: str = strawberry.field(
        description="A stable key: EFFECTIVE_CONTROL, KNOWLEDGE, FAILURE_TO_ACT, "
        "ASSISTANCE, AUTHORITY, ORDER, CONDUCT, CUSTODY, CONTEXT (unique with part)."
    )
    part: ElementPart
    basis: str = strawberry.field(description="The provision the element comes from.")
    status: ElementStatus
    claims: list[Claim]
    note: str | None = strawberry.field(
        description="In words: what supports it, or what would close the gap."
    )
    evidence_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, a: Assessment) -> ElementAssessment:
        return cls(
            element=a.element,
            part=a.part,
            basis=a.basis,
            status=a.status,
            claims=_claims(a.claims),
            note=a.note,
            evidence_ids=a.evidence,
        )

    @strawberry.field(description="The evidence of its claims that the caller may see.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.evidence_ids)


@strawberry.type(description="One cell of the case matrix.")
class MatrixCell:
    element: str
    part: ElementPart
    status: ElementStatus
    evidence_ids: strawberry.Private[list[str]]

    @strawberry.field(name="evidenceIds", description="The evidence the caller may see.")
    async def visible_evidence_ids(self, info: Info) -> list[strawberry.ID]:
        return [e.id for e in await load_evidence(info, self.evidence_ids)]


@strawberry.type(description="One accused, one incident, one mode of liability.")
class MatrixRow:
    mode: Mode
    gaps: int = strawberry.field(description="How many elements are GAP.")
    cells: list[MatrixCell]
    person_id: strawberry.Private[str]
    incident_id: strawberry.Private[str]

    @strawberry.field(description="The person, redacted as the caller's clearance requires.")
    async def person(self, info: Info) -> Person:
        return await load_typed(info, self.person_id, Person)

    @strawberry.field
    async def incident(self, info: Info) -> Incident:
        return await load_typed(info, self.incident_id, Incident)


@strawberry.type(
    description="Every person of a case linked to an incident of the case, element by "
    "element; rows with the most gaps first (then contradictions, partial elements)."
)
class CaseMatrix:
    rows: list[MatrixRow]

    @classmethod
    def of(cls, m: MatrixRecord) -> CaseMatrix:
        return cls(
            rows=[
                MatrixRow(
                    mode=r.mode,
                    gaps=r.count(ElementStatus.GAP),
                    cells=[
                        MatrixCell(
                            element=a.element, part=a.part, status=a.status, evidence_ids=a.evidence
                        )
                        for a in r.elements
                    ],
                    person_id=r.person_id,
                    incident_id=r.incident_id,
                )
                for r in m.rows
            ]
        )


strawberry.enum(
    PatternGroup,
    description="How pattern rows are grouped: FACILITY where incidents occurred, UNIT "
    "operating that facility at the time, KIND of incident, MONTH or YEAR they began.",
)


@strawberry.type(description="Incidents, distinct victims and deaths in one group.")
class PatternRow:
    key: str = strawberry.field(
        description="A facility or unit id, a kind, YYYY-MM or YYYY; 'unknown' for "
        "incidents with no facility or operator recorded."
    )
    label: str | None = strawberry.field(description="The facility's or unit's name.")
    incidents: int
    victims: int
    deaths: int = strawberry.field(
        description="Victims of killings or who died in custody; a killing with no "
        "recorded victim counts as one. Counted, never named."
    )

    @classmethod
    def of(cls, r: PatternRowRecord) -> PatternRow:
        c = r.counts
        return cls(
            key=r.key, label=r.label, incidents=c.incidents, victims=c.victims, deaths=c.deaths
        )


@strawberry.type(
    description="A period's incidents, victims and deaths beside those of a wider "
    "window: the share of the whole a period holds."
)
class Concentration:
    incidents: int
    victims: int
    deaths: int
    total_incidents: int
    total_victims: int
    total_deaths: int
    incident_share: float | None = strawberry.field(description="Null when the whole is empty.")
    victim_share: float | None
    death_share: float | None

    @classmethod
    def of(cls, c: ConcentrationRecord) -> Concentration:
        incident_share, victim_share, death_share = c.shares()
        return cls(
            incidents=c.part.incidents,
            victims=c.part.victims,
            deaths=c.part.deaths,
            total_incidents=c.whole.incidents,
            total_victims=c.whole.victims,
            total_deaths=c.whole.deaths,
            incident_share=incident_share,
            victim_share=victim_share,
            death_share=death_share,
        )
