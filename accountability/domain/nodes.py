"""Properties of each kind of node, validated by pydantic."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from accountability.domain.vocabulary import (
    Classification,
    EvidenceKind,
    IncidentKind,
    NodeLabel,
    PersonStatus,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\s]+$"),
]
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

#: Properties the service writes itself; never accepted from clients, never exported.
DERIVED_PROPERTIES = frozenset(
    {
        "search_text",
        "sort_name",
        # The rendition for readers without clearance (domain/renditions.py).
        "m_props",
        "m_search_text",
        "m_sort_name",
        "m_kind",
        "m_gen",
        # Uncertain mentions of protected persons, for cleared reviewers only.
        "review",
        "review_open",
    }
)
#: Properties every node carries, managed by the service.
SYSTEM_PROPERTIES = frozenset({"id", "created_at", "updated_at"})


class NodeProperties(BaseModel):
    """Common base: unknown property names are an error, not silently kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonProperties(NodeProperties):
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    birth_year: int | None = Field(default=None, ge=1850, le=2100)
    gender: Name | None = None
    nationality: Name | None = None
    status: PersonStatus | None = None
    protected: bool = False
    pseudonym: Name | None = None

    @model_validator(mode="after")
    def _protected_needs_pseudonym(self) -> PersonProperties:
        if self.protected and not self.pseudonym:
            raise ValueError("a protected person needs a pseudonym")
        return self


class UnitProperties(NodeProperties):
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    kind: Name | None = None
    parent_name_hint: Name | None = None


class FacilityProperties(NodeProperties):
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    kind: Name | None = None
    location: Name | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class IncidentProperties(NodeProperties):
    kind: IncidentKind
    title: Name | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _ordered_dates(self) -> IncidentProperties:
        if self.end_date is not None and self.start_date is None:
            raise ValueError("end_date is set but start_date is not")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


class EvidenceProperties(NodeProperties):
    kind: EvidenceKind
    title: Name
    sha256: str | None = None
    source: Name | None = None
    acquired_at: dt.datetime | None = None
    reliability: Annotated[str, StringConstraints(pattern=r"^[A-F]$")] | None = None
    credibility: int | None = Field(default=None, ge=1, le=6)
    classification: Classification = Classification.CONFIDENTIAL

    @model_validator(mode="after")
    def _check(self) -> EvidenceProperties:
        if self.sha256 is not None and not SHA256_RE.match(self.sha256):
            raise ValueError("sha256 must be 64 lower-case hexadecimal characters")
        if self.acquired_at is not None and self.acquired_at.tzinfo is None:
            raise ValueError("acquired_at needs a time zone (e.g. a trailing Z for UTC)")
        return self


class CaseProperties(NodeProperties):
    title: Name
    jurisdiction: Name | None = None
    status: Name | None = None


PROPERTY_MODELS: dict[NodeLabel, type[NodeProperties]] = {
    NodeLabel.PERSON: PersonProperties,
    NodeLabel.UNIT: UnitProperties,
    NodeLabel.FACILITY: FacilityProperties,
    NodeLabel.INCIDENT: IncidentProperties,
    NodeLabel.EVIDENCE: EvidenceProperties,
    NodeLabel.CASE: CaseProperties,
}


def utc_iso(instant: dt.datetime) -> str:
    """An instant as an ISO-8601 UTC string: sortable, and stored the same on both engines."""
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def storable(props: NodeProperties) -> dict[str, Any]:
    """Properties as the database stores them: dates stay dates, instants become UTC strings."""
    out: dict[str, Any] = {}
    for key, value in props.model_dump(mode="python").items():
        if isinstance(value, dt.datetime):
            value = utc_iso(value)
        elif hasattr(value, "value") and isinstance(value.value, str):
            value = value.value
        out[key] = value
    return out
