"""Writing and reading the audit log (graph nodes written in the transaction of the
change they record, so no change commits without its entry)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from accountability.domain.audit import GENESIS, MAX_TARGETS, Break, ChainCheck, entry_hash
from accountability.domain.redaction import Role, Viewer
from accountability.errors import Forbidden
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import cursors

#: Entry numbers read at a time when the log is streamed.
STREAM_RANGE = 5000


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    targets: list[str]
    target_count: int
    summary: str


async def append(tx: Tx, viewer: Viewer, action: str, targets: Sequence[str], summary: str) -> None:
    """Append an entry in the caller's transaction. Summaries name fields and counts,
    never values, so the log itself holds no protected identity."""
    head = (await tx.run(Q.AUDIT_HEAD))[0]
    seq = int(head["seq"] or 0) + 1
    entry: dict[str, Any] = {
        "seq": seq,
        "at": now_iso(),
        "actor": viewer.name,
        "role": viewer.role.value,
        "action": action,
        "targets": list(targets[:MAX_TARGETS]),
        "target_count": len(targets),
        "summary": summary,
    }
    prev = head["hash"] or GENESIS
    await tx.run(Q.AUDIT_APPEND, **entry, prev_hash=prev, hash=entry_hash(entry, prev))


class AuditService:
    """The log, for admins, and its verification."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, viewer: Viewer, action: str, targets: Sequence[str], summary: str
    ) -> None:
        """An entry on its own, for actions that change nothing else (an export)."""
        await self.db.write(lambda tx: append(tx, viewer, action, targets, summary))

    async def page(
        self, viewer: Viewer, first: int, after: str | None
    ) -> tuple[list[AuditEntry], bool]:
        if viewer.role is not Role.ADMIN:
            raise Forbidden("only an admin may read the audit log")
        cursors.check_page_size(first, 500)
        after_seq = int(cursors.decode(after, 1)[0]) if after else 0
        rows = await self.db.read(
            Q.AUDIT_LIST, after=after_seq, upto=after_seq + first + 1, limit=first + 1
        )
        entries = [
            AuditEntry(**{k: r["entry"].get(k) for k in AuditEntry.__dataclass_fields__})
            for r in rows[:first]
        ]
        return entries, len(rows) > first

    async def entries(self, size: int = STREAM_RANGE) -> AsyncIterator[dict[str, Any]]:
        """Every entry in sequence order, a range of numbers at a time (the log can be
        longer than the engine can sort), up to the head and past it while entries
        follow: a gap within the chain is read across, for the check to name."""
        last, _ = await self.head()
        after = 0
        while True:
            rows = await self.db.read(Q.AUDIT_STREAM, after=after, upto=after + size)
            for row in rows:
                yield row["entry"]
            after += size
            if not rows and after >= last:
                return

    async def verify(self, anchors: dict[int, str] | None = None) -> tuple[int, Break | None]:
        """Check the whole chain (and any anchors kept outside) as it streams; the number
        of entries checked and the first break."""
        check = ChainCheck(anchors)
        async for entry in self.entries():
            if check.add(entry) is not None:
                break
        return check.finish()

    async def verify_for(self, viewer: Viewer) -> tuple[int, Break | None]:
        """The chain checked for an admin through the API (the command line's operator
        holds the database itself, and calls verify)."""
        if viewer.role is not Role.ADMIN:
            raise Forbidden("only an admin may verify the audit log")
        return await self.verify()

    async def head(self) -> tuple[int, str]:
        """The last entry's number and hash: worth recording outside the database."""
        row = (await self.db.read(Q.AUDIT_HEAD))[0]
        return int(row["seq"] or 0), str(row["hash"] or GENESIS)
