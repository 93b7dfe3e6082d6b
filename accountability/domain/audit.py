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


class ChainCheck:
    """The chain checked entry by entry, in sequence order, so a log of any length is
    verified as it streams by. ``anchors`` are hashes of entries recorded outside the
    database earlier: a chain rewritten and re-hashed as a whole still fails on them."""

    def __init__(self, anchors: dict[int, str] | None = None) -> None:
        self.anchors = dict(anchors or {})
        self.prev = GENESIS
        self.count = 0
        self.broken: Break | None = None

    def add(self, entry: dict[str, Any]) -> Break | None:
        """Check the next entry; the first break (then every later entry is ignored)."""
        if self.broken is not None:
            return self.broken
        self.count += 1
        self.broken = self._check(entry)
        return self.broken

    def _check(self, entry: dict[str, Any]) -> Break | None:
        seq = int(entry["seq"])
        expected = self.count
        if seq != expected:
            return Break(expected, f"entry {expected} is missing (next found: {seq})")
        if entry.get("prev_hash") != self.prev:
            return Break(
                seq,
                f"entry {seq} does not follow entry {seq - 1} (reordered, replaced or inserted)",
            )
        if entry_hash(entry, self.prev) != entry.get("hash"):
            return Break(seq, f"entry {seq} was altered (its hash does not match)")
        anchored = self.anchors.pop(seq, None)
        if anchored is not None and anchored != entry["hash"]:
            return Break(
                seq,
                f"entry {seq} differs from the hash recorded for it "
                "outside the database (the chain was rewritten)",
            )
        self.prev = entry["hash"]
        return None

    def finish(self) -> tuple[int, Break | None]:
        """How many entries were checked, and the first break (an anchor never reached
        is one)."""
        if self.broken is None and self.anchors:
            missing = min(self.anchors)
            self.broken = Break(missing, f"entry {missing}, recorded outside the database, is gone")
        return self.count, self.broken


def verify(
    entries: Iterable[dict[str, Any]], anchors: dict[int, str] | None = None
) -> tuple[int, Break | None]:
    """Check entries in sequence order: how many were checked, and the first break."""
    check = ChainCheck(anchors)
    for entry in entries:
        if check.add(entry) is not None:
            break
    return check.finish()
