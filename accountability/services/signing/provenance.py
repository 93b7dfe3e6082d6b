"""A bundle's provenance in the audit log: the export entry that recorded its manifest's
hash, for ``verify-bundle --audit`` (online, on the producer's own database)."""

from __future__ import annotations

from dataclasses import dataclass

from accountability.domain.redaction import Viewer
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services import audit


@dataclass(frozen=True)
class Recorded:
    """The audit entry of an export."""

    seq: int
    at: str
    actor: str
    subject: str


async def recorded_export(db: Database, manifest_sha256: str) -> Recorded | None:
    """The export entry whose manifest hash is ``manifest_sha256``, or None."""
    rows = await db.read(Q.AUDIT_EXPORT_BY_MANIFEST, needle=f"manifest sha256 {manifest_sha256}")
    if not rows:
        return None
    entry = rows[0]["entry"]
    targets = entry.get("targets") or [""]
    return Recorded(int(entry["seq"]), str(entry["at"]), str(entry["actor"]), str(targets[0]))


async def log_check(db: Database, viewer: Viewer, manifest_sha256: str, outcome: str) -> None:
    """Every check against the audit log is itself audited: who looked for which bundle."""
    await db.write(
        lambda tx: audit.append(
            tx,
            viewer,
            "verify-bundle",
            [manifest_sha256],
            f"checked a bundle against the audit log: {outcome}",
        )
    )
