"""Exports started through the API: run in the background, followed by id, downloaded
by the one who started them (or an admin), deleted after a time-to-live."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from accountability.domain.export_profiles import ExportProfile, effective_profile
from accountability.domain.redaction import Role, Viewer
from accountability.errors import AccountabilityError, Conflict, NotFound
from accountability.services import audit
from accountability.services.exports.service import ExportResult, ExportService, Scope

log = logging.getLogger("accountability.exports")
Status = Literal["running", "done", "failed"]


@dataclass
class ExportJob:
    id: str
    owner: tuple[str, Role]  # the viewer's key and role
    scope: Scope
    requested: ExportProfile
    effective: ExportProfile
    path: Path
    started_at: dt.datetime
    started: float  # monotonic, for expiry
    status: Status = "running"
    done: int = 0
    total: int | None = None
    error: str | None = None
    error_code: str | None = None
    result: ExportResult | None = None
    finished_at: dt.datetime | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class ExportJobs:
    def __init__(self, exports: ExportService, folder: Path, ttl_s: float) -> None:
        self.exports = exports
        self.folder = folder
        self.ttl_s = ttl_s
        self._jobs: dict[str, ExportJob] = {}
        self._swept = False

    def _sweep(self) -> None:
        """Forget and delete expired exports. On the first call, delete whatever an
        earlier run left: with its job gone, nobody could be authorized to fetch it."""
        if not self._swept:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._swept = True
        now = time.monotonic()
        for job in list(self._jobs.values()):
            if job.status != "running" and now - job.started > self.ttl_s:
                job.path.unlink(missing_ok=True)
                del self._jobs[job.id]

    async def start(self, viewer: Viewer, scope: Scope, requested: ExportProfile) -> ExportJob:
        """Check the request now (so errors come back at once), then export meanwhile."""
        self._sweep()
        await self.exports.check(viewer, scope)
        self.folder.mkdir(parents=True, exist_ok=True)
        job_id = f"export-{uuid.uuid4().hex}"
        job = ExportJob(
            id=job_id,
            owner=(viewer.key, viewer.role),
            scope=scope,
            requested=requested,
            effective=effective_profile(requested, viewer),
            path=self.folder / f"{job_id}.zip",
            started_at=dt.datetime.now(dt.UTC),
            started=time.monotonic(),
        )
        self._jobs[job_id] = job

        def progress(done: int, total: int | None) -> None:
            job.done, job.total = done, total

        async def run() -> None:
            try:
                job.result = await self.exports.export(viewer, scope, requested, job.path, progress)
                job.status = "done"
            except AccountabilityError as exc:
                job.status, job.error, job.error_code = "failed", exc.message, exc.code
            except Exception:
                log.exception("export %s failed", job_id)
                job.status, job.error = "failed", "the export failed; see the service log"
                job.error_code = "INTERNAL_SERVER_ERROR"
            finally:
                job.finished_at = dt.datetime.now(dt.UTC)

        job.task = asyncio.create_task(run(), name=job_id)
        return job

    def get(self, viewer: Viewer, job_id: str) -> ExportJob:
        """A job, for the one who started it or an admin; for others it does not exist."""
        self._sweep()
        job = self._jobs.get(job_id)
        if job is None or (
            job.owner != (viewer.key, viewer.role) and viewer.role is not Role.ADMIN
        ):
            raise NotFound(f"no export with id {job_id!r}")
        return job

    async def download(self, viewer: Viewer, job_id: str) -> Path:
        """The finished bundle's file; the download itself is audited."""
        job = self.get(viewer, job_id)
        if job.status != "done" or not job.path.is_file():
            raise Conflict(f"export {job_id!r} is {job.status}, not ready to download")
        subject = job.scope.subject or "whole graph"
        await self.exports.db.write(
            lambda tx: audit.append(
                tx, viewer, "download_export", [job_id, subject], "downloaded an export bundle"
            )
        )
        return job.path

    async def close(self) -> None:
        """Stop running exports (their partial files are removed by the export itself)."""
        tasks = [j.task for j in self._jobs.values() if j.task and not j.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
