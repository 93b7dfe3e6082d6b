"""Exports started through the API: run in the background, followed by id, downloaded
by the one who started them (or an admin), deleted after a time-to-live.

A job is kept in the graph and its file in a folder the instances share, so any
instance behind a load balancer reports and serves any job, and a restart forgets none.
The instance running an export beats a heartbeat into its job; a job whose process is
gone, or whose heartbeat stopped, is reported failed (docs/design.md, "More than one
instance")."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from accountability.domain.export_profiles import ExportProfile, effective_profile
from accountability.domain.imports import ProcessIdentity
from accountability.domain.redaction import Role, Viewer
from accountability.errors import AccountabilityError, Conflict, NotFound
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.values import to_native
from accountability.services import audit
from accountability.services.exports.service import ExportService, Scope
from accountability.services.ingest.process import is_gone, this_process

log = logging.getLogger("accountability.exports")
Status = Literal["running", "done", "failed"]
#: How often a running export says in the graph how far it is and that it is alive.
HEARTBEAT_S = 2.0
#: A running export silent this long is taken for dead (its instance killed or cut off).
STALE_S = 30.0
#: What a job whose process died is reported as.
INTERRUPTED = "EXPORT_INTERRUPTED"


@dataclass(frozen=True)
class ExportJob:
    """An export as the graph holds it."""

    id: str
    owner: tuple[str, Role]  # the viewer's key and role
    scope: Scope
    requested: ExportProfile
    effective: ExportProfile
    started_at: dt.datetime
    status: Status = "running"
    done: int = 0
    total: int | None = None
    error: str | None = None
    error_code: str | None = None
    nodes: int | None = None
    claims: int | None = None
    manifest_sha256: str | None = None
    finished_at: dt.datetime | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ExportJob:
        j = to_native(row)
        finished = j.get("finished_at")
        return cls(
            id=j["id"],
            owner=(j["owner_key"], Role(j["owner_role"])),
            scope=Scope(
                kind=j["scope"],
                subject=j.get("subject"),
                max_depth=int(j["max_depth"]),
                include_leads=bool(j["include_leads"]),
                with_originals=bool(j["with_originals"]),
            ),
            requested=ExportProfile(j["requested"]),
            effective=ExportProfile(j["effective"]),
            started_at=dt.datetime.fromisoformat(j["started_at"]),
            status=j["status"],
            done=int(j.get("done") or 0),
            total=j.get("total"),
            error=j.get("error"),
            error_code=j.get("error_code"),
            nodes=j.get("nodes"),
            claims=j.get("claims"),
            manifest_sha256=j.get("manifest_sha256"),
            finished_at=dt.datetime.fromisoformat(finished) if finished else None,
        )


def _started_props(
    viewer: Viewer, scope: Scope, requested: ExportProfile, me: ProcessIdentity
) -> dict[str, Any]:
    now = now_iso()
    return {
        "owner_key": viewer.key,
        "owner_role": viewer.role.value,
        "scope": scope.kind,
        "subject": scope.subject,
        "max_depth": scope.max_depth,
        "include_leads": scope.include_leads,
        "with_originals": scope.with_originals,
        "requested": requested.value,
        "effective": effective_profile(requested, viewer).value,
        "started_at": now,
        "heartbeat_at": now,
        "status": "running",
        "done": 0,
        "total": None,
        "host": me.host,
        "pid": me.pid,
        "token": me.token,
    }


def _failed(error: str, code: str) -> dict[str, Any]:
    return {"status": "failed", "error": error, "error_code": code, "finished_at": now_iso()}


class ExportJobs:
    def __init__(
        self, exports: ExportService, folder: Path, ttl_s: float, stale_s: float = STALE_S
    ) -> None:
        self.exports = exports
        self.db: Database = exports.db
        self.folder = folder
        self.ttl_s = ttl_s
        self.stale_s = stale_s
        self._me = this_process()
        #: The exports this instance runs, to stop them when it stops.
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.zip"

    async def sweep(self) -> None:
        """Fail running jobs whose process is gone or silent; delete the jobs and files
        of exports that ended more than the time-to-live ago, and files of no job."""
        now = dt.datetime.now(dt.UTC)
        stale = self._stale_before(now)
        for row in await self.db.read(Q.EXPORT_JOBS_RUNNING):
            if self._dead(row, stale):
                await self._abandon(row["id"])
        before = (now - dt.timedelta(seconds=self.ttl_s)).isoformat()
        expired = [r["id"] for r in await self.db.read(Q.EXPORT_JOBS_FINISHED, before=before)]
        if expired:
            # The job first, then its file: a file left by a crash in between is an orphan,
            # deleted below next time; a job left without its file would be served as ready.
            await self.db.write(lambda tx: tx.run(Q.EXPORT_JOBS_DELETE, ids=expired))
        await asyncio.to_thread(self._delete_files, expired)
        await self._delete_orphans()

    def _stale_before(self, now: dt.datetime) -> str:
        return (now - dt.timedelta(seconds=self.stale_s)).isoformat()

    def _dead(self, row: dict[str, Any], stale: str) -> bool:
        """Whether a job the graph holds as running has lost its process: gone from this
        host, or silent past ``stale`` (another host's). Never one this instance runs."""
        if row["id"] in self._tasks:
            return False
        process = ProcessIdentity(
            host=row.get("host") or "", pid=int(row.get("pid") or 0), token=row.get("token") or ""
        )
        return bool(is_gone(process)) or (row.get("heartbeat_at") or "") < stale

    async def _abandon(self, job_id: str) -> None:
        await self._finish(
            job_id,
            _failed("the instance running this export stopped before it finished", INTERRUPTED),
        )
        log.warning("export %s was interrupted (its process is gone); marked failed", job_id)

    def _delete_files(self, ids: list[str]) -> None:
        for job_id in ids:
            self.path(job_id).unlink(missing_ok=True)

    async def _delete_orphans(self) -> None:
        """Files whose job is gone or failed. A job is recorded before its file is
        opened, so a file listed here first has its job already in the graph."""
        files = await asyncio.to_thread(lambda: sorted(self.folder.glob("export-*.zip")))
        if not files:
            return
        ids = [f.name.removesuffix(".zip") for f in files]
        known = {r["id"]: r["status"] for r in await self.db.read(Q.EXPORT_JOBS_KNOWN, ids=ids)}
        orphans = [i for i in ids if known.get(i, "failed") == "failed"]
        await asyncio.to_thread(self._delete_files, orphans)

    async def start(self, viewer: Viewer, scope: Scope, requested: ExportProfile) -> ExportJob:
        """Check the request now (so errors come back at once), then export meanwhile."""
        await self.sweep()
        await self.exports.check(viewer, scope)
        await asyncio.to_thread(self.folder.mkdir, parents=True, exist_ok=True)
        job_id = f"export-{uuid.uuid4().hex}"
        props = _started_props(viewer, scope, requested, self._me)
        await self.db.write(lambda tx: tx.run(Q.EXPORT_JOB_CREATE, id=job_id, props=props))
        progress: list[int | None] = [0, None]

        def on_progress(done: int, total: int | None) -> None:
            progress[0], progress[1] = done, total

        async def beat() -> None:
            while True:
                await asyncio.sleep(HEARTBEAT_S)
                with contextlib.suppress(AccountabilityError):
                    await self.db.write(
                        lambda tx: tx.run(
                            Q.EXPORT_JOB_BEAT,
                            id=job_id,
                            done=progress[0],
                            total=progress[1],
                            now=now_iso(),
                        )
                    )

        async def run() -> None:
            beating = asyncio.create_task(beat(), name=f"{job_id}-heartbeat")
            ended = _failed("the service stopped before the export finished", INTERRUPTED)
            try:
                result = await self.exports.export(
                    viewer, scope, requested, self.path(job_id), on_progress
                )
                ended = {
                    "status": "done",
                    "done": progress[0],
                    "total": progress[1],
                    "nodes": result.nodes,
                    "claims": result.claims,
                    "manifest_sha256": result.manifest_sha256,
                }
            except AccountabilityError as exc:
                ended = _failed(exc.message, exc.code)
            except Exception:
                log.exception("export %s failed", job_id)
                ended = _failed("the export failed; see the service log", "INTERNAL_SERVER_ERROR")
            finally:
                beating.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beating
                ended.setdefault("finished_at", now_iso())
                try:
                    await asyncio.shield(self._finish(job_id, ended))
                except Exception:
                    # Not recorded: the heartbeat stops, and any instance reports it failed.
                    log.exception("export %s: its end could not be recorded", job_id)
                self._tasks.pop(job_id, None)

        self._tasks[job_id] = asyncio.create_task(run(), name=job_id)
        return await self._read(job_id)

    async def _finish(self, job_id: str, props: dict[str, Any]) -> None:
        await self.db.write(lambda tx: tx.run(Q.EXPORT_JOB_FINISH, id=job_id, props=props))

    async def _row(self, job_id: str) -> dict[str, Any]:
        rows = await self.db.read(Q.EXPORT_JOB_GET, id=job_id)
        if not rows:
            raise NotFound(f"no export with id {job_id!r}")
        return to_native(rows[0]["job"])  # type: ignore[no-any-return]

    async def _read(self, job_id: str) -> ExportJob:
        return ExportJob.from_row(await self._row(job_id))

    async def get(self, viewer: Viewer, job_id: str) -> ExportJob:
        """A job, for the one who started it or an admin; for others it does not exist."""
        row = await self._row(job_id)
        job = ExportJob.from_row(row)
        if job.owner != (viewer.key, viewer.role) and viewer.role is not Role.ADMIN:
            raise NotFound(f"no export with id {job_id!r}")
        # Run by another instance, or by an earlier run of this one: is it alive? Read
        # from the job itself, on every poll, without a sweep of every job.
        if job.status == "running" and self._dead(row, self._stale_before(dt.datetime.now(dt.UTC))):
            await self._abandon(job_id)
            job = await self._read(job_id)
        return job

    async def download(self, viewer: Viewer, job_id: str) -> Path:
        """The finished bundle's file; the download itself is audited."""
        job = await self.get(viewer, job_id)
        path = self.path(job_id)
        if job.status != "done" or not await asyncio.to_thread(path.is_file):
            raise Conflict(f"export {job_id!r} is {job.status}, not ready to download")
        subject = job.scope.subject or "whole graph"

        async def work(tx: Tx) -> None:
            await audit.append(
                tx, viewer, "download_export", [job_id, subject], "downloaded an export bundle"
            )

        await self.db.write(work)
        return path

    async def close(self) -> None:
        """Stop running exports (each records that it was cut short, and its partial file
        is removed by the export itself)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
