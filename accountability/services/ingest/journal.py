"""The import journal: a run for every import (and every undo of one), written before
anything else of it, so that an import a crash cut short is found at the next start
(see docs/design.md, "Import journal")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from accountability.domain.imports import (
    Entry,
    ImportRun,
    ImportSource,
    ProcessIdentity,
    RunKind,
    RunStatus,
    encode_entries,
)
from accountability.domain.nodes import DERIVED_PROPERTIES
from accountability.domain.redaction import Role, Viewer
from accountability.errors import Conflict, Forbidden
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.values import to_native
from accountability.services import cursors
from accountability.services.ingest.process import is_gone, this_process
from accountability.services.protection.masks import MaskService

log = logging.getLogger("accountability.imports")
#: What a node's rendition adds to it: made again on restore, never kept in the journal.
NODE_RENDITION = DERIVED_PROPERTIES - {"search_text", "sort_name"}
#: What a claim's rendition adds to it.
CLAIM_RENDITION = frozenset({"m_props", "m_gen", "review", "review_open"})
#: How long a failing import spends, at most, saying in the journal that it stopped.
ABANDON_TIMEOUT_S = 5.0
_SCOPE = "imports"


def before_image(stored: dict[str, Any], rendition: frozenset[str]) -> dict[str, Any]:
    """A record's stored properties as an undo puts them back, without its rendition."""
    return {k: v for k, v in to_native(stored).items() if k not in rendition}


def require_journal_reader(viewer: Viewer) -> None:
    """The journal says who imported what and when: an admin's, like the audit log."""
    if viewer.role is not Role.ADMIN:
        raise Forbidden("only an admin may read the import journal")


def describe(run: ImportRun) -> str:
    """One sentence about an interrupted run, for logs and the command line."""
    what = "undo of import " + (run.target or "?") if run.kind is RunKind.UNDO else "import"
    again = (
        f"run 'accountability import --undo {run.target}' again to finish it"
        if run.kind is RunKind.UNDO
        else "import the same file again to complete it, or undo it with "
        f"'accountability import --undo {run.id}'"
    )
    return (
        f"{what} {run.id} of {run.file} by {run.actor} was interrupted after "
        f"{run.written + run.skipped} of {run.planned} records "
        f"(process {run.process.pid} on {run.process.host} is gone): {again}"
    )


class ImportJournal:
    """Runs of imports and undos: opened, advanced inside the transactions that write,
    closed; and, at every start, those whose process is gone marked interrupted."""

    def __init__(self, db: Database, masks: MaskService) -> None:
        self.db = db
        self.masks = masks

    async def start(
        self,
        viewer: Viewer,
        kind: RunKind,
        source: ImportSource,
        planned: int,
        chunking: str,
        target: str | None = None,
    ) -> ImportRun:
        """Open a run, in its own transaction, before anything of it is written. It
        resumes every interrupted run of the same file (or undo of the same import)."""
        earlier = await self.interrupted_runs(kind, source.sha256, target)
        resumes = list(dict.fromkeys(i for r in earlier for i in (*r.resumes, r.id)))
        if kind is RunKind.IMPORT and resumes:
            # Parts an unfinished undo took out are still counted as committed by the
            # runs it undoes: resuming them would skip those parts.
            rows = await self.db.read(Q.IMPORT_UNFINISHED_UNDOS, ids=resumes)
            if rows:
                undo, of = rows[0]["id"], rows[0]["target"]
                raise Conflict(
                    f"the undo {undo} of import {of} (of this file) was cut short: finish it "
                    f"first with 'accountability import --undo {of}'"
                )
        process = this_process()
        run = ImportRun(
            id=f"{kind.value}-{uuid.uuid4().hex[:12]}",
            kind=kind,
            file=source.name,
            sha256=source.sha256,
            actor=viewer.name,
            role=viewer.role.value,
            started_at=now_iso(),
            status=RunStatus.RUNNING,
            planned=planned,
            written=0,
            skipped=0,
            process=process,
            chunking=chunking,
            resumes=tuple(resumes),
            target=target,
        )
        props = {
            "kind": run.kind.value,
            "file": run.file,
            "sha256": run.sha256,
            "actor": run.actor,
            "role": run.role,
            "started_at": run.started_at,
            "status": run.status.value,
            "planned": run.planned,
            "written": 0,
            "skipped": 0,
            "chunks_done": [],
            "host": process.host,
            "pid": process.pid,
            "token": process.token,
            "chunking": chunking,
            "resumes": list(run.resumes),
            "target": target,
        }
        await self.db.write(lambda tx: tx.run(Q.IMPORT_START_RUN, id=run.id, props=props))
        return run

    async def interrupted_runs(
        self, kind: RunKind, sha256: str, target: str | None = None
    ) -> list[ImportRun]:
        rows = await self.db.read(
            Q.IMPORT_INTERRUPTED_RUNS, kind=kind.value, sha256=sha256, target=target or ""
        )
        return [ImportRun.from_row(r["run"]) for r in rows]

    async def get_many(self, ids: Sequence[str]) -> dict[str, ImportRun]:
        rows = await self.db.read(Q.IMPORT_GET_RUNS, ids=list(ids))
        return {r["run"]["id"]: ImportRun.from_row(r["run"]) for r in rows}

    async def chain(self, run: ImportRun) -> list[ImportRun]:
        """The run and every run it resumed, oldest first: one import of one file."""
        found = await self.get_many(run.resumes)
        return sorted([*found.values(), run], key=lambda r: (r.started_at, r.id))

    # --- inside the writing transactions ---------------------------------------------

    @staticmethod
    async def record_step(
        tx: Tx, run_id: str, chunk: int, seq: int, kind: str, entries: Sequence[Entry]
    ) -> None:
        """The before-images of one step, in the transaction that writes it."""
        payload = await asyncio.to_thread(encode_entries, entries)  # CPU work: off the loop
        await tx.run(
            Q.IMPORT_RECORD_STEP,
            id=f"{run_id}-{chunk}-{seq}",
            run=run_id,
            chunk=chunk,
            seq=seq,
            kind=kind,
            records=len(entries),
            payload=payload,
        )

    @staticmethod
    async def record_progress(
        tx: Tx, run_id: str, written: int, skipped: int = 0, digests: Sequence[str] = ()
    ) -> None:
        await tx.run(
            Q.IMPORT_RECORD_PROGRESS,
            id=run_id,
            written=written,
            skipped=skipped,
            digests=list(digests),
        )

    @staticmethod
    async def complete(tx: Tx, run: ImportRun) -> None:
        """Close a run as complete, in the transaction of its last write; the runs it
        resumed are then resumed (an undo's targets are marked by the undo)."""
        await tx.run(
            Q.IMPORT_FINISH_RUN,
            id=run.id,
            status=RunStatus.COMPLETE.value,
            now=now_iso(),
            problems=None,
        )
        if run.resumes:
            await tx.run(Q.IMPORT_MARK_RESUMED, ids=list(run.resumes), by=run.id)

    # --- closing a run that will not complete ----------------------------------------

    async def reject(self, run_id: str, problems: int) -> None:
        """Refused before anything was written: a bad record, a protection it may not lift."""
        await self.db.write(
            lambda tx: tx.run(
                Q.IMPORT_FINISH_RUN,
                id=run_id,
                status=RunStatus.REJECTED.value,
                now=now_iso(),
                problems=problems,
            )
        )

    async def abandon(self, run_id: str) -> None:
        """An import failing part-way says so itself when it still can (the database may
        be what failed: then the next start finds its process gone)."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                self.db.write(
                    lambda tx: tx.run(
                        Q.IMPORT_FINISH_RUN,
                        id=run_id,
                        status=RunStatus.INTERRUPTED.value,
                        now=now_iso(),
                        problems=None,
                    )
                ),
                ABANDON_TIMEOUT_S,
            )

    # --- at every start ----------------------------------------------------------------

    async def sweep(self) -> list[ImportRun]:
        """Mark interrupted every running run whose process is gone, and say so loudly;
        the runs marked now. Runs of a live process, or of another host (which this one
        cannot ask), stay running."""
        rows = await self.db.read(Q.IMPORT_RUNNING_RUNS)
        gone = [r["run"]["id"] for r in rows if is_gone(_process(r["run"])) is True]
        if not gone:
            return []
        marked = await self.db.write(
            lambda tx: tx.run(Q.IMPORT_MARK_INTERRUPTED, ids=gone, now=now_iso())
        )
        runs = [ImportRun.from_row(r["run"]) for r in marked]
        # The log is read by operators without clearance: file names as they would see them.
        for run in await self._masked(runs):
            log.warning("%s", describe(run))
        return runs

    async def _masked(self, runs: list[ImportRun]) -> list[ImportRun]:
        """The runs with their file names masked (a file may be named after a protected
        person), for readers without clearance."""
        if not runs:
            return runs
        view = await self.db.write(self.masks.view)
        return [replace(r, file=view.masks.mask(r.file).text) for r in runs]

    async def interrupted_count(self) -> int:
        rows = await self.db.read(Q.IMPORT_COUNT_INTERRUPTED)
        return int(rows[0]["interrupted"]) if rows else 0

    # --- reading -----------------------------------------------------------------------

    async def page(
        self, viewer: Viewer, first: int, after: str | None
    ) -> tuple[list[ImportRun], list[str], bool]:
        """A page of the journal, newest first (admins only): runs, their cursors, and
        whether more follow. File names are masked for a reader without clearance (a
        file may be named after a protected person)."""
        require_journal_reader(viewer)
        cursors.check_page_size(first, 500)
        after_at = after_id = None
        if after is not None:
            after_at, after_id = cursors.decode(after, 2, scope=_SCOPE)
        rows = await self.db.read(
            Q.IMPORT_LIST_RUNS, after_at=after_at, after_id=after_id, limit=first + 1
        )
        runs = [ImportRun.from_row(r["run"]) for r in rows[:first]]
        if not viewer.cleared:
            runs = await self._masked(runs)
        keys = [cursors.encode(r.started_at, r.id, scope=_SCOPE) for r in runs]
        return runs, keys, len(rows) > first


def _process(row: dict[str, Any]) -> ProcessIdentity:
    return ProcessIdentity(row["host"], int(row["pid"]), row["token"])
