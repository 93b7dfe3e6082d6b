"""Duplicate candidates in GraphQL: two persons that may be one, as the caller is served
them (a protected person never appears in a pair for a caller without clearance)."""

from __future__ import annotations

import strawberry

from accountability.services.resolution.duplicates import CandidatePair


@strawberry.type(description="Two person records that may name one person.")
class DuplicateCandidate:
    a_id: strawberry.ID = strawberry.field(description="The first person's id (ids sorted).")
    b_id: strawberry.ID = strawberry.field(description="The second person's id.")
    a_name: str = strawberry.field(description="The first person's name, as served to you.")
    b_name: str = strawberry.field(description="The second person's name, as served to you.")
    score: float = strawberry.field(description="0.9 to 1: how alike the two records are.")
    reasons: list[str] = strawberry.field(
        description="Why: how the names compare, birth years, shared units and facilities, "
        "and any judgement of the pair."
    )

    @classmethod
    def of(cls, pair: CandidatePair) -> DuplicateCandidate:
        c = pair.candidate
        return cls(
            a_id=strawberry.ID(c.a),
            b_id=strawberry.ID(c.b),
            a_name=pair.a_name,
            b_name=pair.b_name,
            score=c.score,
            reasons=list(c.reasons),
        )
