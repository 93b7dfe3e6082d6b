"""The import journal in GraphQL, for admins."""

from __future__ import annotations

import strawberry

from accountability.api.types.graph import PageInfo
from accountability.domain import imports as domain
from accountability.domain.imports import RunKind, RunStatus

strawberry.enum(
    RunStatus, name="ImportStatus", description="Where a run of the import journal stands."
)
strawberry.enum(RunKind, name="ImportKind", description="What a run of the import journal did.")


@strawberry.type(
    description="One run of the import journal: an import of a file, or the undo of one."
)
class ImportRun:
    id: strawberry.ID
    kind: RunKind
    file_name: str = strawberry.field(description="The file's name as it was given.")
    sha256: str = strawberry.field(description="SHA-256 of the file's bytes.")
    actor: str = strawberry.field(description="Who ran it (the token holder's name).")
    role: str
    started_at: str = strawberry.field(description="When, as an ISO-8601 UTC instant.")
    finished_at: str | None = strawberry.field(
        description="When it completed, was rejected, or was found interrupted."
    )
    status: RunStatus
    records_planned: int = strawberry.field(description="Nodes and claims in the file.")
    records_written: int = strawberry.field(description="Nodes and claims this run wrote.")
    records_skipped: int = strawberry.field(
        description="Nodes and claims an interrupted run it resumes had written already."
    )
    problems: int | None = strawberry.field(description="For a rejected run: how many.")
    host: str = strawberry.field(description="The host of the process that ran it.")
    pid: int = strawberry.field(description="That process's id.")
    resumes: list[strawberry.ID] = strawberry.field(
        description="Interrupted runs of the same file this one completes."
    )
    resumed_by: strawberry.ID | None = strawberry.field(
        description="The run that completed this interrupted one."
    )
    undone_by: strawberry.ID | None = strawberry.field(description="The undo run that undid it.")
    target: strawberry.ID | None = strawberry.field(description="For an undo: the import undone.")

    @classmethod
    def of(cls, run: domain.ImportRun) -> ImportRun:
        return cls(
            id=strawberry.ID(run.id),
            kind=run.kind,
            file_name=run.file,
            sha256=run.sha256,
            actor=run.actor,
            role=run.role,
            started_at=run.started_at,
            finished_at=run.finished_at,
            status=run.status,
            records_planned=run.planned,
            records_written=run.written,
            records_skipped=run.skipped,
            problems=run.problems,
            host=run.process.host,
            pid=run.process.pid,
            resumes=[strawberry.ID(r) for r in run.resumes],
            resumed_by=strawberry.ID(run.resumed_by) if run.resumed_by else None,
            undone_by=strawberry.ID(run.undone_by) if run.undone_by else None,
            target=strawberry.ID(run.target) if run.target else None,
        )


@strawberry.type
class ImportRunEdge:
    cursor: str
    node: ImportRun


@strawberry.type(description="A page of the import journal, newest first.")
class ImportRunConnection:
    edges: list[ImportRunEdge]
    page_info: PageInfo

    @classmethod
    def of(
        cls, runs: list[domain.ImportRun], keys: list[str], has_next: bool
    ) -> ImportRunConnection:
        edges = [
            ImportRunEdge(cursor=k, node=ImportRun.of(r)) for r, k in zip(runs, keys, strict=True)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None
            ),
        )
