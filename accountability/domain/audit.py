"""The audit chain: each entry carries the hash of the one before, so an edited,
deleted or reordered entry is detectable."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
#: The fields an entry's hash covers, in addition to the previous entry's hash.
HASHED_FIELDS = ("seq", "at", "actor", "role", "action", "targets", "target_count", "summary")
#: Targets kept in an entry; beyond this only their number is (an import of 100k).
MAX_TARGETS = 50


def entry_hash(entry: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the previous hash and the entry's fields in a canonical form."""
    body = json.dumps(
        {k: entry.get(k) for k in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int
    reason: str


def verify(
    entries: Iterable[dict[str, Any]], anchors: dict[int, str] | None = None
) -> tuple[int, Break | None]:
    """Check entries in sequence order: how many were checked, and the first break.
    ``anchors`` are hashes of entries recorded outside the database earlier: a chain
    rewritten and re-hashed as a whole still fails against them."""
    anchors = dict(anchors or {})
    prev = GENESIS
    expected = 1
    count = 0
    for entry in entries:
        count += 1
        seq = int(entry["seq"])
        if seq != expected:
            return count, Break(expected, f"entry {expected} is missing (next found: {seq})")
        if entry.get("prev_hash") != prev:
            return count, Break(
                seq,
                f"entry {seq} does not follow entry {seq - 1} (reordered, replaced or inserted)",
            )
        if entry_hash(entry, prev) != entry.get("hash"):
            return count, Break(seq, f"entry {seq} was altered (its hash does not match)")
        anchored = anchors.pop(seq, None)
        if anchored is not None and anchored != entry["hash"]:
            return count, Break(
                seq,
                f"entry {seq} differs from the hash recorded for it "
                "outside the database (the chain was rewritten)",
            )
        prev = entry["hash"]
        expected += 1
    if anchors:
        missing = min(anchors)
        return count, Break(missing, f"entry {missing}, recorded outside the database, is gone")
    return count, None
