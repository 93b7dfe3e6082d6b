"""What every format writer receives, and the interface it implements.

A writer is fed every node first, then every claim, already filtered and redacted for
the export's profile (so a writer never decides what may be shown). Claims only join
nodes that were fed, and a claim's evidence ids only name evidence nodes that were
fed. Writers write to files as they go where their format allows it."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accountability.domain.nodes import utc_iso
from accountability.services.records import ClaimRecord, NodeRecord

__all__ = ["ClaimRecord", "ExportMeta", "NodeRecord", "Writer", "plain"]


@dataclass(frozen=True)
class ExportMeta:
    """What the export is, for writers that carry a header or a title."""

    scope: str  # "case", "trace" or "graph"
    subject_id: str | None  # the case or incident id
    title: str
    profile: str  # the effective profile
    exported_by: str
    role: str
    exported_at: dt.datetime
    tool_version: str


class Writer(ABC):
    """Writes one format into ``folder``; ``files`` are the paths it creates there."""

    files: tuple[str, ...] = ()

    def __init__(self, folder: Path, meta: ExportMeta) -> None:
        self.folder = folder
        self.meta = meta

    @abstractmethod
    def node(self, node: NodeRecord) -> None: ...

    @abstractmethod
    def claim(self, claim: ClaimRecord) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Finish the files (called once, after the last claim)."""


def plain(value: Any) -> Any:
    """A property value as plain JSON: dates as ISO strings, instants in UTC."""
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
