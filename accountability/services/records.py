"""Nodes and claims as the service hands them out, built from database rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from accountability.domain.nodes import DERIVED_PROPERTIES, SYSTEM_PROPERTIES
from accountability.domain.redaction import Viewer, redact_evidence, redact_person
from accountability.domain.vocabulary import (
    CLAIM_EXTRA_PROPERTIES,
    ClaimType,
    Confidence,
    DatePrecision,
    NodeLabel,
)
from accountability.graph.values import parse_instant, to_native

T = TypeVar("T")


@dataclass(frozen=True)
class NodeRecord:
    """A node: its label, its client-visible properties, and timestamps."""

    id: str
    label: NodeLabel
    properties: dict[str, Any]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any], viewer: Viewer) -> NodeRecord:
        raw = to_native(row["props"])
        label = NodeLabel(row["label"])
        props = {
            k: v
            for k, v in raw.items()
            if k not in DERIVED_PROPERTIES and k not in SYSTEM_PROPERTIES
        }
        if label is NodeLabel.PERSON:
            props = redact_person(props, viewer)
        elif label is NodeLabel.EVIDENCE:
            props = redact_evidence(props, viewer)
        return cls(
            id=row["id"],
            label=label,
            properties=props,
            created_at=parse_instant(raw.get("created_at")),
            updated_at=parse_instant(raw.get("updated_at")),
        )


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
    def from_row(cls, row: dict[str, Any]) -> ClaimRecord:
        p = to_native(row["props"])
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
            valid_from=p.get("valid_from"),
            valid_to=p.get("valid_to"),
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


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paginated list."""

    items: list[T]
    cursors: list[str]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None
