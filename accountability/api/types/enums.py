"""The domain's enumerations registered as GraphQL enums (member names are the GraphQL
values), and enums that exist only in the API."""

from __future__ import annotations

from enum import Enum

import strawberry

from accountability.domain.consistency import ProblemKind
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.liability import Certainty, Mode
from accountability.domain.redaction import Role
from accountability.domain.vocabulary import (
    ClaimType,
    Classification,
    Confidence,
    DatePrecision,
    EvidenceKind,
    IncidentKind,
    NodeLabel,
    PersonStatus,
)

strawberry.enum(NodeLabel, description="The kind of a node.")
strawberry.enum(ClaimType, description="The kind of a claim (relationship).")
strawberry.enum(Confidence, description="How sure the source is of a claim.")
strawberry.enum(
    DatePrecision,
    description="EXACT: the claim holds on every day of its range; "
    "APPROXIMATE: on at least one day of it.",
)
strawberry.enum(PersonStatus, description="A victim's known fate.")
strawberry.enum(IncidentKind, description="The kind of abuse.")
strawberry.enum(EvidenceKind, description="The kind of evidence item.")
strawberry.enum(Classification, description="Who may see an evidence item.")
strawberry.enum(
    ExportProfile,
    description="Who an export is for. COURT: complete (cleared roles); PARTNER: protected "
    "identities pseudonymized, non-public evidence titles withheld; PUBLIC: public evidence "
    "only, no protected person. The caller's role may make it stricter.",
)


strawberry.enum(Role, name="AccessRole", description="What a token's holder may see and do.")
strawberry.enum(
    Mode,
    name="LiabilityMode",
    description="How a person is liable for an incident; "
    "PRESENT is a lead (posted at the facility without command), not a mode.",
)
strawberry.enum(
    Certainty,
    description="ESTABLISHED: every claim on the path is exact and "
    "covers the whole incident; POSSIBLE: some claim is approximate or covers "
    "part of it; UNDATED: some claim has no start date.",
)
strawberry.enum(
    ProblemKind,
    name="ConsistencyKind",
    description="A kind of problem the consistency check finds. SUBORDINATION_CYCLE: "
    "units each under the next, round to the first, all claims in force on a common day; "
    "OVERLAPPING_COMMAND: two persons with exact COMMANDED claims on one unit sharing a "
    "day; EVIDENCE_PREDATES_CLAIM: a claim citing an item acquired before the fact "
    "began; ACTIVE_AFTER_DEATH: a claim about a person beginning after their recorded "
    "death.",
)


@strawberry.enum(description="Which of a node's claims to list.")
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@strawberry.enum(description="Where an export started through the API stands.")
class ExportStatus(Enum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@strawberry.enum(description="The order of a list of nodes (ties broken by id).")
class NodeSort(Enum):
    ID = "id"
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


__all__ = [
    "Certainty",
    "ClaimType",
    "Classification",
    "Confidence",
    "DatePrecision",
    "Direction",
    "EvidenceKind",
    "ExportProfile",
    "ExportStatus",
    "IncidentKind",
    "Mode",
    "NodeLabel",
    "NodeSort",
    "PersonStatus",
    "ProblemKind",
    "Role",
]
