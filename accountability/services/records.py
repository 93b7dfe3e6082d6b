"""Nodes and claims as the service hands them out, built from database rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from accountability.domain import naming, renditions
from accountability.domain.nodes import DERIVED_PROPERTIES, SYSTEM_PROPERTIES
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import (
    CLAIM_EXTRA_PROPERTIES,
    ClaimType,
    Confidence,
    DatePrecision,
    NodeLabel,
)
from accountability.graph.values import day_of, parse_instant, to_native

T = TypeVar("T")


@dataclass(frozen=True)
class NodeRecord:
    """A node: its label, its client-visible properties, and timestamps."""

    id: str
    label: NodeLabel
    properties: dict[str, Any]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None

    @property
    def display_name(self) -> str:
        """What people call this node, as it is served (``domain/naming.py``)."""
        return naming.spoken_name(self.label, self.properties, self.id)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> NodeRecord:
        """A node as stored, for cleared readers and the service itself."""
        raw = to_native(row["props"])
        props = {
            k: v
            for k, v in raw.items()
            if k not in DERIVED_PROPERTIES and k not in SYSTEM_PROPERTIES
        }
        return cls(
            id=row["id"],
            label=NodeLabel(row["label"]),
            properties=props,
            created_at=parse_instant(raw.get("created_at")),
            updated_at=parse_instant(raw.get("updated_at")),
        )

    @classmethod
    def served(cls, row: dict[str, Any], viewer: Viewer) -> NodeRecord | None:
        """A node as this viewer is served it: a reader without clearance gets the
        rendition stored with the node (the row holds nothing else for them), with its
        text held back while it waits to be masked again; None when it has none yet."""
        if viewer.cleared:
            return cls.from_row(row)
        label = NodeLabel(row["label"])
        masked = renditions.decode(row.get("masked"))
        if not masked:
            return None
        gen = row.get("gen")
        if gen is None or int(gen) < int(row.get("floor") or 0):
            masked = renditions.pending_node(label, masked)
        return cls(
            id=row["id"],
            label=label,
            properties=masked,
            created_at=parse_instant(to_native(row.get("created_at"))),
            updated_at=parse_instant(to_native(row.get("updated_at"))),
        )


def found_nodes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes a ``node/get_nodes`` read found, each with the floor: its one row
    holds them all."""
    return list(rows[0]["nodes"]) if rows else []


@dataclass(frozen=True)
class RetractionRecord:
    by: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class ClaimRecord:
    """A claim with its dates, weight, sources and retraction state."""

    id: str
    type: ClaimType
    from_id: str
    to_id: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    date_precision: DatePrecision
    confidence: Confidence
    evidence: list[str]
    retraction: RetractionRecord | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    properties: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(
        cls, row: dict[str, Any], viewer: Viewer | None = None, floor: int = 0
    ) -> ClaimRecord:
        """A claim; for a reader without clearance, its text (type-specific properties,
        the retraction reason) comes from the rendition stored with it."""
        # Not through to_native: of a claim's properties only its two dates can be the
        # driver's, and day_of takes those as they come (4% of a wide read's CPU).
        p = served_claim_props(row["props"], viewer, floor)
        claim_type = ClaimType(row["type"])
        retraction = None
        if p.get("retracted_at"):
            retraction = RetractionRecord(
                by=p.get("retracted_by") or "",
                reason=p.get("retraction_reason") or "",
                at=parse_instant(p["retracted_at"]) or dt.datetime.now(dt.UTC),
            )
        extra_names = CLAIM_EXTRA_PROPERTIES.get(claim_type, {})
        return cls(
            id=row["id"],
            type=claim_type,
            from_id=row["from"],
            to_id=row["to"],
            valid_from=day_of(p.get("valid_from")),
            valid_to=day_of(p.get("valid_to")),
            date_precision=DatePrecision(p.get("date_precision") or "approximate"),
            confidence=Confidence(p.get("confidence") or "low"),
            evidence=list(p.get("evidence") or []),
            retraction=retraction,
            created_at=parse_instant(p.get("created_at")),
            updated_at=parse_instant(p.get("updated_at")),
            properties={k: p[k] for k in extra_names if p.get(k) is not None},
        )

    @property
    def retracted(self) -> bool:
        return self.retraction is not None


#: What of a claim's stored properties a reader without clearance is never given as
#: stored: every text (their rendition stands in) and the derived properties.
_WITHHELD_FROM_UNCLEARED = frozenset(
    {
        renditions.RETRACTION_REASON,
        *(f for fs in renditions.CLAIM_TEXT_FIELDS.values() for f in fs),
        *DERIVED_PROPERTIES,
    }
)


def served_claim_props(p: dict[str, Any], viewer: Viewer | None, floor: int) -> dict[str, Any]:
    """A claim's properties as this viewer is served them: for a reader without
    clearance, every text replaced by the rendition stored with the claim (held back
    while it waits to be masked again). No viewer: the service itself."""
    if viewer is None or viewer.cleared:
        return p
    out = {k: v for k, v in p.items() if k not in _WITHHELD_FROM_UNCLEARED}
    masked = renditions.decode(p.get("m_props"))
    gen = p.get("m_gen")
    if masked and (gen is None or int(gen) < floor):
        masked = renditions.pending_claim(masked)
    out.update(masked)
    return out


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paginated list."""

    items: list[T]
    #: One cursor an item (services/cursors.py: a list, or cursors made when read).
    cursors: Sequence[str]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None
