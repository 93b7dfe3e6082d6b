"""Evidence files: a content-addressed store of originals (written once, read-only, never
overwritten), working copies kept apart, and each item's chain of custody."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import Forbidden, NotFound, Problem, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit
from accountability.services.nodes import NodeService
from accountability.services.permissions import require_write
from accountability.services.records import NodeRecord
from accountability.services.spool import sorted_rows

CUSTODY_ACTIONS = ("received", "transferred", "checked", "copied")


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ContentStore:
    """Files named by their SHA-256 under a folder; an original is never replaced."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / "sha256" / sha256[:2] / sha256[2:4] / sha256

    def put(self, source: Path) -> str:
        """Store a file's original; returns its hash. Storing the same content again
        keeps the first copy."""
        if not source.is_file():
            raise ValidationFailed.of([Problem("file", f"{source} is not a readable file")])
        digest = file_sha256(source)
        target = self.path_of(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        os.close(fd)
        shutil.copyfile(source, tmp)
        # On disk before the Evidence item that names it commits: an acknowledged item
        # must not outlive its original across a power loss.
        _fsync(Path(tmp))
        if file_sha256(Path(tmp)) != digest:  # the source changed while being copied
            os.unlink(tmp)
            raise ValidationFailed.of([Problem("file", "the file changed while being stored")])
        os.chmod(tmp, 0o444)
        try:
            os.link(tmp, target)  # fails if the name exists: an original is never replaced
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        # The new name, and the folders made for it, on disk too.
        for folder in (target.parent, target.parent.parent, target.parent.parent.parent):
            _fsync(folder)
        return digest

    def check(self, sha256: str) -> str | None:
        """Why the stored original does not match its hash, or None when it does."""
        path = self.path_of(sha256)
        if not path.exists():
            return "the original is missing from the store"
        actual = file_sha256(path)
        return None if actual == sha256 else f"the stored file hashes to {actual}"


@dataclass(frozen=True)
class CustodyEvent:
    id: str
    evidence: str
    at: str
    action: str
    from_party: str | None
    to_party: str | None
    by: str
    sha256: str | None
    hash_ok: bool | None
    note: str | None


@dataclass(frozen=True)
class FileCheck:
    evidence_id: str
    sha256: str
    problem: str | None


class EvidenceFiles:
    """Registering evidence files, verifying them, and their chain of custody."""

    def __init__(self, db: Database, nodes: NodeService, store: ContentStore) -> None:
        self.db = db
        self.nodes = nodes
        self.store = store

    async def add(
        self,
        path: Path,
        properties: dict[str, Any],
        viewer: Viewer,
        received_from: str | None = None,
        evidence_id: str | None = None,
    ) -> NodeRecord:
        """Hash a file, keep its original, register an Evidence item with the hash and
        open its chain of custody with a 'received' event."""
        require_write(viewer)
        # Hashing and copying a large file must not hold up the event loop.
        digest = await asyncio.to_thread(self.store.put, path)
        record = await self.nodes.create(
            NodeLabel.EVIDENCE, {**properties, "sha256": digest}, viewer, evidence_id
        )
        await self.record(
            record.id,
            "received",
            viewer,
            from_party=received_from,
            to_party=viewer.name,
            sha256=digest,
            note=f"file {path.name}",
        )
        return record

    async def record(
        self,
        evidence_id: str,
        action: str,
        viewer: Viewer,
        from_party: str | None = None,
        to_party: str | None = None,
        sha256: str | None = None,
        note: str | None = None,
    ) -> CustodyEvent:
        """Append a custody event; a hash given is compared with the item's."""
        require_write(viewer)
        return await self._log(evidence_id, action, viewer, from_party, to_party, sha256, note)

    async def _log(
        self,
        evidence_id: str,
        action: str,
        viewer: Viewer,
        from_party: str | None = None,
        to_party: str | None = None,
        sha256: str | None = None,
        note: str | None = None,
    ) -> CustodyEvent:
        """Append a custody event for what the service itself did on someone's behalf (a
        check, a copy): whoever may read an item leaves a trace of copying it."""
        if action not in CUSTODY_ACTIONS:
            raise ValidationFailed.of(
                [Problem("action", f"must be one of {', '.join(CUSTODY_ACTIONS)}")]
            )
        item = (await self.nodes.get_many([evidence_id], viewer)).get(evidence_id)
        if item is None or item.label is not NodeLabel.EVIDENCE:
            raise NotFound(f"no evidence item with id {evidence_id!r}")
        # The hash of protected evidence is not shown to uncleared holders, but a hand-over
        # is still checked against it: they hold the file and give its hash.
        known = (await self.nodes.get_stored([evidence_id]))[evidence_id].properties.get("sha256")
        hash_ok = None if sha256 is None or known is None else sha256.lower() == known
        event = CustodyEvent(
            id=f"custody-{uuid.uuid4().hex[:16]}",
            evidence=evidence_id,
            at=now_iso(),
            action=action,
            from_party=from_party,
            to_party=to_party,
            by=viewer.name,
            sha256=sha256,
            hash_ok=hash_ok,
            note=note,
        )

        async def work(tx: Tx) -> None:
            await tx.run(Q.ADD_CUSTODY_EVENT, **event.__dict__)
            summary = f"custody: {action}" + (
                "" if hash_ok is None else f", hash {'matched' if hash_ok else 'MISMATCH'}"
            )
            await audit.append(tx, viewer, "custody", [evidence_id, event.id], summary)

        await self.db.write(work)
        return event

    async def custody(
        self, evidence_ids: list[str], viewer: Viewer
    ) -> dict[str, list[CustodyEvent]]:
        """Each item's chain of custody. Who handed what to whom can name a protected
        witness, so parties and notes are shown only to cleared roles."""
        visible = await self.nodes.get_many(evidence_ids, viewer)
        rows = await self.db.read(
            Q.LIST_CUSTODY_EVENTS, ids=[i for i in evidence_ids if i in visible]
        )
        out: dict[str, list[CustodyEvent]] = {i: [] for i in evidence_ids}
        for row in rows:
            fields = {k: row["event"].get(k) for k in CustodyEvent.__dataclass_fields__}
            if not viewer.cleared:
                fields.update(from_party=None, to_party=None, note=None, by="withheld")
            out[fields["evidence"]].append(CustodyEvent(**fields))
        return out

    async def verify(self, viewer: Viewer, ids: list[str] | None = None) -> list[FileCheck]:
        """Re-hash the stored original of every item (or those given), record each check
        in its chain of custody, and return what was found."""
        # Streamed and sorted here, at any number of items (services/spool.py).
        rows = [r async for r in sorted_rows(self.db.stream(Q.EVIDENCE_HASHES, ids=ids))]
        checks = [
            FileCheck(r["id"], r["sha256"], await asyncio.to_thread(self.store.check, r["sha256"]))
            for r in rows
        ]
        for c in checks:
            await self.record(
                c.evidence_id,
                "checked",
                viewer,
                sha256=None if c.problem else c.sha256,
                note=c.problem or "stored original re-hashed: matches",
            )
        return checks

    async def working_copy(self, evidence_id: str, out: Path, viewer: Viewer) -> Path:
        """A writable copy of an item's original, apart from it, recorded in the item's
        chain of custody. The file of protected evidence (a testimony names its witness)
        goes only to cleared roles; an item the viewer may not see is unknown to them."""
        await self.nodes.get(evidence_id, viewer)  # NotFound for what the viewer cannot see
        item = (await self.nodes.get_stored([evidence_id]))[evidence_id]
        if item.label is not NodeLabel.EVIDENCE:
            raise NotFound(f"no evidence item with id {evidence_id!r}")
        if item.properties.get("classification") == "protected" and not viewer.cleared:
            raise Forbidden("the file of protected evidence needs prosecutor or admin clearance")
        sha = item.properties.get("sha256")
        if not sha:
            raise ValidationFailed.of([Problem("evidence", "the item records no file")])
        copy = await asyncio.to_thread(self._copy, str(sha), out)
        await self._log(evidence_id, "copied", viewer, note=f"to {out}")
        return copy

    def _copy(self, sha256: str, out: Path) -> Path:
        if self.store.check(sha256) is not None:
            raise ValidationFailed.of(
                [Problem("evidence", "the stored original is missing or altered")]
            )
        shutil.copyfile(self.store.path_of(sha256), out)
        os.chmod(out, 0o644)
        return out


def default_store_root(data_dir: Path) -> Path:
    return data_dir.resolve() / "evidence-store"
