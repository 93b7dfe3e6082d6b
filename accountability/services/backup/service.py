"""Backup, restore and the check of an archive (docs/design.md, "Backup and restore").

**Backup**, online. An audit entry says who took it; then the engine writes its own
point-in-time snapshot of every page (ArcadeDB's ``BACKUP DATABASE``), so the graph and
the audit chain in it are one consistent state however many writes run meanwhile. The
audit head read after that entry and before the snapshot is in the manifest: the
restored chain must hold it. Evidence originals are copied after the snapshot: an
original is stored (write once, never replaced) before its Evidence node is written, so
every original the snapshot names is there. The settings that live in the data folder
come along: the cursor key and the public signing keys (the private signing key and the
engine's password never do). On Neo4j the graph is backed up with ``neo4j-admin``
(docs/neo4j.md), before this archive is written, so that it holds every original the
graph backup names; the archive holds the rest.

**Restore**, into an empty data folder only: the archive is checked first, unpacked
into a private folder beside the target, started there and checked (the audit chain
verifies up to the manifest's head; every Evidence item's original is present and hashes
to its hash), the restore is audited, and the folder is renamed into place: the target
is whole or absent."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

from accountability import __version__
from accountability.domain.redaction import OPERATOR, Viewer
from accountability.errors import Conflict, Problem, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services import audit
from accountability.services.audit import AuditService
from accountability.services.backup import archive, engine
from accountability.services.evidence_files import ContentStore, default_store_root
from accountability.services.permissions import require_graph_export
from accountability.settings import Settings

#: Files of the data folder that hold settings worth restoring, by name in the archive.
CURSOR_KEY = f"{archive.SETTINGS}/cursor.key"
PUBLIC_KEYS = f"{archive.SETTINGS}/signing/public-keys.json"
SETTINGS_FILE = f"{archive.SETTINGS}/settings.json"
#: Settings never written to the archive, even for the record.
_SECRET_SETTINGS = ("db_password", "db_user")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest_sha256: str
    audit_seq: int
    audit_hash: str
    originals: int
    graph: bool


@dataclass(frozen=True)
class RestoreResult:
    data_dir: Path
    manifest: dict[str, Any]
    audit_entries: int
    originals: int
    #: Evidence items whose hash names no original (as in the backup).
    without_original: int
    graph: bool


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings in force, for the record: no secret, no credentials in a URI."""
    record: dict[str, Any] = {}
    for name, value in settings.model_dump().items():
        if name in _SECRET_SETTINGS or isinstance(value, SecretStr):
            continue
        if name == "db_uri" and value:
            parts = urlsplit(str(value))
            value = urlunsplit(parts._replace(netloc=parts.hostname or ""))
        record[name] = str(value) if isinstance(value, Path) else value
    return record


class BackupService:
    """Backups of the deployment this service runs over, and restores into a new one."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.settings = db.settings
        self.store = ContentStore(default_store_root(self.settings.data_dir))

    async def backup(self, viewer: Viewer, out: Path) -> BackupResult:
        """Write a consistent archive of the deployment to ``out`` while it serves."""
        # The whole graph, unredacted, as an export of it would be: admins only.
        require_graph_export(viewer)
        await self.db.write(
            lambda tx: audit.append(
                tx,
                viewer,
                "backup",
                [],
                "backup started: the graph, the audit chain, evidence originals, settings",
            )
        )
        seq, head = await AuditService(self.db).head()
        graph_file = await asyncio.to_thread(engine.snapshot, self.db) if self.db.embedded else None
        scratch = Path(tempfile.mkdtemp(prefix="accountability-backup-"))
        try:
            sources: list[archive.Source] = []
            if graph_file is not None:
                sources.append(archive.Source(archive.GRAPH, graph_file))
            originals = await asyncio.to_thread(lambda: list(archive.store_files(self.store.root)))
            sources += originals
            sources += self._settings_sources(scratch)
            manifest = {
                "format": archive.FORMAT,
                "version": archive.VERSION,
                "created_at": _now(),
                "created_by": {"name": viewer.name, "role": viewer.role.value},
                "tool": {"name": "accountability", "version": __version__},
                "graph": (
                    {
                        "engine": "arcadedb-embedded",
                        "method": "BACKUP DATABASE",
                        "file": archive.GRAPH,
                    }
                    if graph_file is not None
                    else {
                        "engine": "neo4j",
                        "file": None,
                        "note": "not included: back the graph up with neo4j-admin first "
                        "(docs/neo4j.md) and check it with audit verify --anchor",
                    }
                ),
                "audit_head": {"seq": seq, "hash": head},
                "counts": {"originals": len(originals)},
            }
            digest = await asyncio.to_thread(archive.write, out, sources, manifest)
        finally:
            await asyncio.to_thread(shutil.rmtree, scratch, True)
            if graph_file is not None:
                await asyncio.to_thread(graph_file.unlink, True)
        await self.db.write(
            lambda tx: audit.append(
                tx,
                viewer,
                "backup",
                [],
                f"backup written: {len(originals)} originals, audit head {seq}; "
                f"manifest sha256 {digest}",
            )
        )
        return BackupResult(out, digest, seq, head, len(originals), graph_file is not None)

    def _settings_sources(self, scratch: Path) -> list[archive.Source]:
        record = scratch / "settings.json"
        record.write_text(
            json.dumps(settings_record(self.settings), indent=2, sort_keys=True), "utf-8"
        )
        sources = [archive.Source(SETTINGS_FILE, record, compress=True)]
        cursor_key = self.settings.cursor_key_file or self.settings.data_dir / "cursor.key"
        if cursor_key.is_file():
            sources.append(archive.Source(CURSOR_KEY, cursor_key))
        public = self.settings.signing_folder / "public-keys.json"
        if public.is_file():
            sources.append(archive.Source(PUBLIC_KEYS, public, compress=True))
        return sources


async def verify(path: Path) -> archive.Verification:
    """Check an archive against its manifest, without restoring it."""
    return await asyncio.to_thread(archive.verify, path)


async def restore(path: Path, settings: Settings) -> RestoreResult:
    """Restore an archive into ``settings.data_dir``, which must be empty or absent."""
    target = settings.data_dir.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise Conflict(
            f"{settings.data_dir} is not empty: a backup is restored into an empty folder"
        )
    checked = await verify(path)
    if not checked.ok:
        raise ValidationFailed.of([Problem("archive", p) for p in checked.problems])
    manifest = checked.manifest
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.restoring-{uuid.uuid4().hex[:8]}"
    staging.mkdir(mode=0o700)
    try:
        originals = await asyncio.to_thread(_unpack, path, manifest, staging)
        entries = without = 0
        if manifest["graph"].get("file"):
            entries, without = await _check_and_audit(
                staging, settings, manifest, checked.manifest_sha256
            )
        await asyncio.to_thread(_move_into_place, staging, target)
    except BaseException:
        await asyncio.to_thread(shutil.rmtree, staging, True)
        raise
    return RestoreResult(
        target, manifest, entries, originals, without, bool(manifest["graph"].get("file"))
    )


def _unpack(path: Path, manifest: dict[str, Any], staging: Path) -> int:
    """The archive's files into their places in a data folder; originals unpacked."""
    originals = 0
    with zipfile.ZipFile(path) as z:
        for entry in manifest["files"]:
            name = str(entry["path"])
            if name == archive.GRAPH:
                inner = staging / ".graph.zip"
                archive.extract(z, name, inner, 0o600)
                databases = staging / "arcadedb" / "databases"
                _unpack_graph(inner, databases / "g")
                inner.unlink()
            elif name.startswith(f"{archive.STORE}/"):
                archive.extract(z, name, staging / name, 0o444)
                originals += 1
            elif name == CURSOR_KEY:
                archive.extract(z, name, staging / "cursor.key", 0o600)
            elif name == PUBLIC_KEYS:
                archive.extract(z, name, staging / "signing" / "public-keys.json", 0o644)
    for folder in (staging / "arcadedb", staging / "arcadedb" / "databases"):
        if folder.is_dir():
            os.chmod(folder, 0o700)
    return originals


def _unpack_graph(inner: Path, database: Path) -> None:
    """The engine's snapshot (flat files) into the database's folder."""
    database.mkdir(parents=True, mode=0o700)
    with zipfile.ZipFile(inner) as z:
        for name in z.namelist():
            if "/" in name or "\\" in name or name in ("", ".", ".."):
                raise ValidationFailed.of(
                    [Problem("archive", f"{archive.GRAPH}: unexpected entry {name!r}")]
                )
            archive.extract(z, name, database / name, 0o600)
    archive.fsync_path(database)


async def _check_and_audit(
    staging: Path, settings: Settings, manifest: dict[str, Any], manifest_sha: str
) -> tuple[int, int]:
    """Start the restored engine, check the audit chain up to the manifest's head and
    re-hash every original unpacked, and record the restore; the number of audit entries
    checked, and of Evidence items whose hash names no original (none was in the store
    when the backup was taken either: every original there was archived)."""
    db = Database(settings.model_copy(update={"data_dir": staging, "db_uri": None}))
    await db.open()
    try:
        head = manifest["audit_head"]
        count, broken = await AuditService(db).verify({int(head["seq"]): str(head["hash"])})
        problems = [Problem("audit", f"entry {broken.seq}: {broken.reason}")] if broken else []
        store = ContentStore(default_store_root(staging))
        for entry in manifest["files"]:
            name = str(entry["path"])
            if name.startswith(f"{archive.STORE}/"):
                why = await asyncio.to_thread(store.check, name.rsplit("/", 1)[1])
                if why is not None:
                    problems.append(Problem(name, why))
        if problems:
            raise ValidationFailed.of(problems)
        rows = [row async for row in db.stream(Q.EVIDENCE_HASHES, ids=None)]
        without = sum(not store.path_of(str(r["sha256"])).exists() for r in rows)
        summary = (
            f"restored from a backup taken at {manifest.get('created_at')} by "
            f"{manifest.get('created_by', {}).get('name')}; audit head {head['seq']} "
            f"verified; manifest sha256 {manifest_sha}"
        )
        await db.write(lambda tx: audit.append(tx, OPERATOR, "restore", [], summary))
        return count, without
    finally:
        await db.close()


def _move_into_place(staging: Path, target: Path) -> None:
    for dirpath, _dirs, _files in os.walk(staging):
        archive.fsync_path(Path(dirpath))
    if target.exists():
        target.rmdir()  # empty, checked above
    os.rename(staging, target)
    archive.fsync_path(target.parent)
