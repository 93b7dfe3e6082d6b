"""The audit log in GraphQL, for admins."""

from __future__ import annotations

import strawberry

from accountability.api.types.graph import PageInfo
from accountability.services import cursors
from accountability.services.audit import AuditEntry as EntryRecord


@strawberry.type(description="One entry of the append-only audit log.")
class AuditEntry:
    seq: int
    at: str = strawberry.field(description="When, as an ISO-8601 UTC instant.")
    actor: str
    role: str
    action: str
    targets: list[str] = strawberry.field(description="The first 50 ids the action touched.")
    target_count: int
    summary: str

    @classmethod
    def of(cls, e: EntryRecord) -> AuditEntry:
        return cls(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            role=e.role,
            action=e.action,
            targets=list(e.targets),
            target_count=e.target_count,
            summary=e.summary,
        )


@strawberry.type
class AuditEdge:
    cursor: str
    node: AuditEntry


@strawberry.type(description="A page of the audit log, oldest first.")
class AuditConnection:
    edges: list[AuditEdge]
    page_info: PageInfo

    @classmethod
    def of(cls, entries: list[EntryRecord], has_next: bool) -> AuditConnection:
        edges = [
            AuditEdge(cursor=cursors.encode(str(e.seq)), node=AuditEntry.of(e)) for e in entries
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None
            ),
        )
