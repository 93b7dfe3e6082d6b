"""Uncertain mentions of protected persons, for cleared reviewers."""

from __future__ import annotations

import strawberry

from accountability.api.context import Info
from accountability.services.protection.reviews import MentionToReview as MentionRecord


@strawberry.type(
    description="A word in a text that may name a protected person: masked for readers "
    "without clearance until a reviewer says whether it does. Cleared roles only."
)
class MentionToReview:
    record_id: strawberry.ID = strawberry.field(description="The node or claim holding the text.")
    record_kind: str = strawberry.field(description="The node's label or the claim's type.")
    field: str = strawberry.field(description="Which property of the record.")
    surface: str = strawberry.field(description="The words as written.")
    form: str = strawberry.field(description="The folded form a verdict is kept under.")
    person_ids: list[strawberry.ID] = strawberry.field(
        description="Protected persons it may name (at most ten; see personsTotal)."
    )
    persons_total: int = strawberry.field(description="How many protected persons it may name.")

    @classmethod
    def of(cls, m: MentionRecord) -> MentionToReview:
        return cls(
            record_id=strawberry.ID(m.record_id),
            record_kind=m.record_kind,
            field=m.field,
            surface=m.surface,
            form=m.form,
            person_ids=[strawberry.ID(p) for p in m.person_ids],
            persons_total=m.persons_total,
        )


@strawberry.type
class ProtectionQuery:
    @strawberry.field(
        description="Uncertain mentions of protected persons waiting for a verdict "
        "(prosecutor or admin)."
    )
    async def mentions_to_review(self, info: Info, first: int = 200) -> list[MentionToReview]:
        ctx = info.context
        items = await ctx.services.reviews.open_items(ctx.viewer, first)
        return [MentionToReview.of(m) for m in items]


@strawberry.type
class ProtectionMutation:
    @strawberry.mutation(
        description="Say whether a form is a mention of a protected person (accept: it is, "
        "mask it with the pseudonym; reject: it is not, show it). Applies to the form "
        "everywhere; every text is masked again. Prosecutor or admin."
    )
    async def review_mention(
        self, info: Info, person_id: strawberry.ID, form: str, accept: bool
    ) -> bool:
        ctx = info.context
        await ctx.services.reviews.decide(ctx.viewer, str(person_id), form, accept)
        return True
