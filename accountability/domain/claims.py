"""Claims: the relationships of the graph, each dated, weighed and sourced."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from accountability.domain.nodes import Id, Name, Text
from accountability.domain.vocabulary import (
    CLAIM_ENDPOINTS,
    CLAIM_EXTRA_PROPERTIES,
    CLAIM_PROPERTY_CHOICES,
    ClaimType,
    Confidence,
    DatePrecision,
    NodeLabel,
)


class Retraction(BaseModel):
    """Who withdrew a claim, why and when; the claim itself is kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    by: Name
    reason: Text
    at: dt.datetime


class ClaimInput(BaseModel):
    """A claim as a client states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id | None = None
    type: ClaimType
    from_id: Id = Field(alias="from")
    to_id: Id = Field(alias="to")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.APPROXIMATE
    confidence: Confidence = Confidence.LOW
    evidence: list[Id] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> ClaimInput:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        allowed = CLAIM_EXTRA_PROPERTIES.get(self.type, {})
        for key, value in self.properties.items():
            if key not in allowed:
                names = ", ".join(sorted(allowed)) or "none"
                raise ValueError(
                    f"property {key!r} is not allowed on {self.type.value} (allowed: {names})"
                )
            if value is not None and not isinstance(value, allowed[key]):
                raise ValueError(f"property {key!r} must be a {allowed[key].__name__}")
            choices = CLAIM_PROPERTY_CHOICES.get(self.type, {}).get(key)
            if value is not None and choices is not None and value not in choices:
                names = ", ".join(sorted(choices))
                raise ValueError(f"property {key!r} must be one of: {names}")
        if len(set(self.evidence)) != len(self.evidence):
            raise ValueError("evidence lists the same id twice")
        return self


def endpoint_problem(
    claim_type: ClaimType, from_label: NodeLabel, to_label: NodeLabel
) -> str | None:
    """Why a claim of this type cannot join these labels, or None when it can."""
    starts, ends = CLAIM_ENDPOINTS[claim_type]
    if from_label not in starts:
        allowed = ", ".join(sorted(starts))
        return f"{claim_type.value} cannot start at a {from_label.value} (only {allowed})"
    if to_label not in ends:
        allowed = ", ".join(sorted(ends))
        return f"{claim_type.value} cannot end at a {to_label.value} (only {allowed})"
    return None


def same_node_problem(claim: ClaimInput) -> str | None:
    """Why a claim may not join a node to itself, or None. No claim type means anything
    from a node to itself (a person commanding himself, a unit under itself, an item
    documenting itself), and a unit under itself would put a loop in every command chain
    climbed through it. Longer SUBORDINATE_TO cycles are not refused here: each link
    may be true on its own dates, so they are listed by the consistency check instead."""
    if claim.from_id == claim.to_id:
        return f"{claim.type.value} cannot join a node to itself: from and to are the same id"
    return None


def claim_row(claim: ClaimInput, claim_id: str) -> dict[str, Any]:
    """A claim as the write statements take it."""
    props: dict[str, Any] = {
        "valid_from": claim.valid_from,
        "valid_to": claim.valid_to,
        "date_precision": claim.date_precision.value,
        "confidence": claim.confidence.value,
        "evidence": list(claim.evidence),
    }
    for key in CLAIM_EXTRA_PROPERTIES.get(claim.type, {}):
        props[key] = claim.properties.get(key)
    return {"id": claim_id, "from": claim.from_id, "to": claim.to_id, "props": props}
