"""The consistency check in GraphQL: ids, dates and sentences only — no node is
resolved here, so a report names no one (protected persons stay ids)."""

from __future__ import annotations

import datetime as dt

import strawberry

from accountability.api.types.enums import ProblemKind
from accountability.domain.consistency import Inconsistency, Report


@strawberry.type(
    description="Something to resolve before a court sees the graph. start and end are "
    "the dates at issue: for a cycle or overlapping commands, the period the claims "
    "share (null: open); for evidence, from the earliest early acquisition to the day the "
    "claim begins; after a death, from the date of death to the day the claim begins."
)
class ConsistencyProblem:
    kind: ProblemKind
    message: str = strawberry.field(description="What is wrong, in one sentence of ids and dates.")
    node_ids: list[strawberry.ID] = strawberry.field(
        description="The nodes involved: a cycle's units in order; the unit, then both "
        "commanders; the claim's two ends; the person, then the claim's other end."
    )
    claim_ids: list[strawberry.ID] = strawberry.field(
        description="The claims to look at: a cycle's claims in order (the first puts "
        "the first unit under the second); both commands; the claim; the claim, then "
        "those the death rests on."
    )
    evidence_ids: list[strawberry.ID] = strawberry.field(
        description="Evidence items acquired before the claim began (that kind only)."
    )
    start: dt.date | None
    end: dt.date | None

    @classmethod
    def of(cls, p: Inconsistency) -> ConsistencyProblem:
        return cls(
            kind=p.kind,
            message=p.message,
            node_ids=[strawberry.ID(i) for i in p.node_ids],
            claim_ids=[strawberry.ID(i) for i in p.claim_ids],
            evidence_ids=[strawberry.ID(i) for i in p.evidence_ids],
            start=p.start,
            end=p.end,
        )


@strawberry.type(description="The problems the consistency check found, by kind.")
class ConsistencyReport:
    problems: list[ConsistencyProblem]
    truncated: bool = strawberry.field(
        description="More problems exist than were listed (raise first), or the cycle "
        "search reached its bound."
    )

    @classmethod
    def of(cls, report: Report) -> ConsistencyReport:
        return cls(
            problems=[ConsistencyProblem.of(p) for p in report.problems],
            truncated=report.truncated,
        )
