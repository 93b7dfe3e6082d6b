"""Merging two records of one person, and undoing it, in GraphQL."""

from __future__ import annotations

import strawberry

from accountability.api.types.graph import Person, node_of
from accountability.services.resolution.merges import MergeReport, UnmergeReport


@strawberry.type(description="A merge of two person records into one.")
class PersonMerge:
    merge_id: strawberry.ID = strawberry.field(
        description="The merge's id: give it to unmergePersons to undo it."
    )
    keep_id: strawberry.ID
    drop_id: strawberry.ID = strawberry.field(
        description="The dropped id: it now answers the kept person (node, person, imports)."
    )
    moved_claims: int = strawberry.field(
        description="Claims moved to the kept person, with their ids."
    )
    person: Person = strawberry.field(description="The kept person, as served to you.")

    @classmethod
    def of(cls, report: MergeReport) -> PersonMerge:
        person = node_of(report.person)
        assert isinstance(person, Person)
        return cls(
            merge_id=strawberry.ID(report.merge_id),
            keep_id=strawberry.ID(report.keep_id),
            drop_id=strawberry.ID(report.drop_id),
            moved_claims=report.moved_claims,
            person=person,
        )


@strawberry.type(description="A merge undone: both records as they were before it.")
class PersonUnmerge:
    merge_id: strawberry.ID
    keep_id: strawberry.ID
    drop_id: strawberry.ID
    moved_claims: int = strawberry.field(
        description="Claims moved back to the restored person, with their ids."
    )
    changed_since: list[strawberry.ID] = strawberry.field(
        description="Moved claims written since the merge (a retraction, evidence added): "
        "moved back with those changes."
    )

    @classmethod
    def of(cls, report: UnmergeReport) -> PersonUnmerge:
        return cls(
            merge_id=strawberry.ID(report.merge_id),
            keep_id=strawberry.ID(report.keep_id),
            drop_id=strawberry.ID(report.drop_id),
            moved_claims=report.moved_claims,
            changed_since=[strawberry.ID(c) for c in report.changed_since],
        )
