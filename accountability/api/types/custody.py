"""Chain-of-custody events in GraphQL."""

from __future__ import annotations

import strawberry

from accountability.services.evidence_files import CustodyEvent as EventRecord


@strawberry.type(
    description="One event in an evidence item's chain of custody. Parties "
    "and notes are withheld from roles without clearance."
)
class CustodyEvent:
    id: strawberry.ID
    at: str = strawberry.field(description="When, as an ISO-8601 UTC instant.")
    action: str = strawberry.field(description="received, transferred, checked or copied.")
    from_party: str | None
    to_party: str | None
    by: str
    sha256: str | None = strawberry.field(description="The hash computed at this event.")
    hash_ok: bool | None = strawberry.field(
        description="Whether that hash matched the item's recorded hash (null: not checked)."
    )
    note: str | None

    @classmethod
    def of(cls, e: EventRecord) -> CustodyEvent:
        return cls(
            id=strawberry.ID(e.id),
            at=e.at,
            action=e.action,
            from_party=e.from_party,
            to_party=e.to_party,
            by=e.by,
            sha256=e.sha256,
            hash_ok=e.hash_ok,
            note=e.note,
        )
