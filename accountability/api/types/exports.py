"""Case-file changes and exports started through the API."""

from __future__ import annotations

import datetime as dt

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import ExportProfile, ExportStatus
from accountability.api.types.graph import CaseFile, load_typed
from accountability.services.cases import CaseChange as CaseChangeRecord
from accountability.services.exports.jobs import ExportJob as Job


@strawberry.type(description="What adding to or removing from a case did.")
class CaseChange:
    changed: list[strawberry.ID] = strawberry.field(
        description="Entities added (or removed) by this call."
    )
    unchanged: list[strawberry.ID] = strawberry.field(
        description="Entities already in the case (when adding) or not in it (when removing)."
    )
    case_id: strawberry.ID

    @strawberry.field(description="The case file after the change.")
    async def case(self, info: Info) -> CaseFile:
        return await load_typed(info, str(self.case_id), CaseFile)

    @classmethod
    def of(cls, change: CaseChangeRecord) -> CaseChange:
        return cls(
            changed=[strawberry.ID(i) for i in change.changed],
            unchanged=[strawberry.ID(i) for i in change.unchanged],
            case_id=strawberry.ID(change.case_id),
        )


@strawberry.type(description="An export running or done; download it from downloadUrl.")
class ExportJob:
    id: strawberry.ID
    status: ExportStatus
    scope: str = strawberry.field(description="case, trace or graph.")
    subject_id: strawberry.ID | None = strawberry.field(description="The case or incident.")
    requested_profile: ExportProfile
    profile: ExportProfile = strawberry.field(
        description="The profile applied: the stricter of the one asked for and the caller's role."
    )
    records_done: int
    records_total: int | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    error: str | None
    error_code: str | None
    node_count: int | None
    claim_count: int | None
    manifest_sha256: str | None = strawberry.field(
        description="The SHA-256 of the bundle's manifest.json, as recorded in the audit log."
    )
    download_url: str | None = strawberry.field(
        description="Where the finished bundle (.zip) is served: GET it with the same "
        "bearer token. Only the caller who started the export (or an admin) may."
    )

    @classmethod
    def of(cls, job: Job) -> ExportJob:
        return cls(
            id=strawberry.ID(job.id),
            status=ExportStatus(job.status),
            scope=job.scope.kind,
            subject_id=strawberry.ID(job.scope.subject) if job.scope.subject else None,
            requested_profile=job.requested,
            profile=job.effective,
            records_done=job.done,
            records_total=job.total,
            started_at=job.started_at,
            finished_at=job.finished_at,
            error=job.error,
            error_code=job.error_code,
            node_count=job.nodes,
            claim_count=job.claims,
            manifest_sha256=job.manifest_sha256,
            download_url=f"/exports/{job.id}" if job.status == "done" else None,
        )
