"""The interchange document: one JSON format for import, export and tests.
Its JSON Schema in ``schema/`` is generated from these models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accountability.domain.claims import ClaimInput, Retraction
from accountability.domain.nodes import (
    CaseProperties,
    EvidenceProperties,
    FacilityProperties,
    Id,
    IncidentProperties,
    PersonProperties,
    UnitProperties,
)

FORMAT = "accountability-graph"
VERSION = 1


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class PersonNode(_Node):
    label: Literal["Person"]
    properties: PersonProperties


class UnitNode(_Node):
    label: Literal["Unit"]
    properties: UnitProperties


class FacilityNode(_Node):
    label: Literal["Facility"]
    properties: FacilityProperties


class IncidentNode(_Node):
    label: Literal["Incident"]
    properties: IncidentProperties


class EvidenceNode(_Node):
    label: Literal["Evidence"]
    properties: EvidenceProperties


class CaseNode(_Node):
    label: Literal["Case"]
    properties: CaseProperties


InterchangeNode = Annotated[
    PersonNode | UnitNode | FacilityNode | IncidentNode | EvidenceNode | CaseNode,
    Field(discriminator="label"),
]
NODE_MODELS: dict[str, type[_Node]] = {
    "Person": PersonNode,
    "Unit": UnitNode,
    "Facility": FacilityNode,
    "Incident": IncidentNode,
    "Evidence": EvidenceNode,
    "Case": CaseNode,
}


class InterchangeClaim(ClaimInput):
    """A claim in a document: its id is required, and it may carry its retraction."""

    id: Id
    retraction: Retraction | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class Document(BaseModel):
    """A whole document; records are validated one by one so errors carry positions."""

    model_config = ConfigDict(extra="forbid", title="Accountability graph interchange document")

    format: Literal["accountability-graph"]
    version: Literal[1]
    nodes: list[InterchangeNode] = Field(default_factory=list)
    claims: list[InterchangeClaim] = Field(default_factory=list)


class Envelope(BaseModel):
    """The document's outer shape, checked before any record."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["accountability-graph"]
    version: Literal[1]
    nodes: list[dict[str, Any]] = Field(default_factory=list)
    claims: list[dict[str, Any]] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the interchange document."""
    schema = Document.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://accountability.invalid/schema/interchange-v1.json"
    return schema
