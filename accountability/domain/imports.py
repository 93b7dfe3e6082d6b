"""The import journal's records, and the before-images an undo restores (see
docs/design.md, "Import journal"). Pure: no I/O."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RunKind(StrEnum):
    IMPORT = "import"
    UNDO = "undo"


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    #: Its process is gone and it did not finish: part of the file may be written.
    INTERRUPTED = "interrupted"
    #: Refused before anything was written (a bad record, a protection it may not lift).
    REJECTED = "rejected"
    #: Interrupted, then completed by a later run of the same file (``resumed_by``).
    RESUMED = "resumed"
    #: Undone, by the undo run ``undone_by``.
    UNDONE = "undone"


@dataclass(frozen=True)
class ProcessIdentity:
    """The process that runs an import: a later start on the same host can tell whether
    it is still there (the pid alone could have been reused; the token could not)."""

    host: str
    pid: int
    token: str


@dataclass(frozen=True)
class ImportRun:
    """One entry of the journal: an import of a file, or the undo of one."""

    id: str
    kind: RunKind
    file: str
    sha256: str
    actor: str
    role: str
    started_at: str
    status: RunStatus
    planned: int
    written: int
    skipped: int
    process: ProcessIdentity
    chunking: str
    finished_at: str | None = None
    problems: int | None = None
    resumes: tuple[str, ...] = ()
    resumed_by: str | None = None
    undone_by: str | None = None
    target: str | None = None
    chunks_done: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ImportRun:
        return cls(
            id=row["id"],
            kind=RunKind(row["kind"]),
            file=row["file"],
            sha256=row["sha256"],
            actor=row["actor"],
            role=row["role"],
            started_at=row["started_at"],
            status=RunStatus(row["status"]),
            planned=int(row["planned"] or 0),
            written=int(row["written"] or 0),
            skipped=int(row["skipped"] or 0),
            process=ProcessIdentity(row["host"], int(row["pid"]), row["token"]),
            chunking=row["chunking"],
            finished_at=row.get("finished_at"),
            problems=row.get("problems"),
            resumes=tuple(row.get("resumes") or ()),
            resumed_by=row.get("resumed_by"),
            undone_by=row.get("undone_by"),
            target=row.get("target"),
            chunks_done=tuple(row.get("chunks_done") or ()),
        )


@dataclass(frozen=True)
class Entry:
    """One record as a step of an import found it and left it."""

    #: "node" or "claim".
    kind: str
    id: str
    #: The node's label or the claim's type.
    key: str
    #: Everything the record held before, renditions excepted (they are made again on
    #: restore); None when the step created it.
    before: dict[str, Any] | None
    #: The ``updated_at`` the step left on it: a record that differs was written later.
    after: str | None


@dataclass(frozen=True)
class Step:
    """One journaled batch of an import (one write statement's rows)."""

    id: str
    run: str
    chunk: int
    seq: int
    #: "nodes", "claims" or "retractions".
    kind: str
    records: int
    undone: bool

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Step:
        return cls(
            id=row["id"],
            run=row["run"],
            chunk=int(row["chunk"]),
            seq=int(row["seq"]),
            kind=row["kind"],
            records=int(row["records"]),
            undone=bool(row["undone"]),
        )


def chunk_digest(ids: Iterable[str]) -> str:
    """What a transaction of an import holds, so that a resumed run of the same file
    skips exactly the transactions already committed (and no other)."""
    digest = hashlib.sha256()
    for record_id in ids:
        digest.update(record_id.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def document_digest(document: Any) -> str:
    """The SHA-256 of a document given without its file (the demo, an API caller)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def planned_records(document: Any) -> int:
    """How many records (nodes and claims) a document holds, before validation."""
    if not isinstance(document, dict):
        return 0
    return sum(len(v) for k in ("nodes", "claims") if isinstance(v := document.get(k), list))


# --- before-images ------------------------------------------------------------------
# Graph properties are not JSON: dates must come back as dates (the trace compares
# them), so each temporal value is tagged.


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode_value(v) for v in value]
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    if isinstance(value, list):
        return [_decode_value(v) for v in value]
    return value


def encode_entries(entries: Sequence[Entry]) -> str:
    """A step's entries as one compact string (compressed JSON, base64); values are the
    standard library's (``graph.values.to_native``)."""
    raw = [
        [
            e.kind,
            e.id,
            e.key,
            None if e.before is None else {k: _encode_value(v) for k, v in e.before.items()},
            e.after,
        ]
        for e in entries
    ]
    text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode(), 6)).decode("ascii")


def decode_entries(payload: str) -> list[Entry]:
    raw = json.loads(zlib.decompress(base64.b64decode(payload)).decode())
    return [
        Entry(
            kind=kind,
            id=record_id,
            key=key,
            before=None if before is None else {k: _decode_value(v) for k, v in before.items()},
            after=after,
        )
        for kind, record_id, key, before, after in raw
    ]


def expected_stamps(steps: Sequence[list[Entry]]) -> dict[tuple[str, str], str | None]:
    """For each record the steps wrote (oldest step first), the ``updated_at`` the last
    of them left: what the record must still carry for nothing else to have written it."""
    out: dict[tuple[str, str], str | None] = {}
    for entries in steps:
        for e in entries:
            out[(e.kind, e.id)] = e.after
    return out


@dataclass(frozen=True)
class ImportSource:
    """What is imported: the file's name as given, and the SHA-256 of its bytes."""

    name: str
    sha256: str
