"""The fixed vocabulary of the graph: labels, claim types and which labels a claim may join."""

from __future__ import annotations

from enum import StrEnum


class NodeLabel(StrEnum):
    """Labels a node may carry (besides the shared ``Entity`` label)."""

    PERSON = "Person"
    UNIT = "Unit"
    FACILITY = "Facility"
    INCIDENT = "Incident"
    EVIDENCE = "Evidence"
    CASE = "Case"


class ClaimType(StrEnum):
    """Relationship types; every relationship in the graph is a claim."""

    MEMBER_OF = "MEMBER_OF"
    COMMANDED = "COMMANDED"
    SUBORDINATE_TO = "SUBORDINATE_TO"
    OPERATED = "OPERATED"
    POSTED_AT = "POSTED_AT"
    DETAINED_AT = "DETAINED_AT"
    OCCURRED_AT = "OCCURRED_AT"
    VICTIM = "VICTIM"
    PERPETRATED = "PERPETRATED"
    ORDERED = "ORDERED"
    AIDED = "AIDED"
    NOTIFIED = "NOTIFIED"
    EXERCISED_CONTROL = "EXERCISED_CONTROL"
    TOOK_MEASURES = "TOOK_MEASURES"
    DOCUMENTS = "DOCUMENTS"
    INCLUDES = "INCLUDES"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class DatePrecision(StrEnum):
    """``exact``: holds on every day of the range; ``approximate``: on at least one day."""

    EXACT = "exact"
    APPROXIMATE = "approximate"


class PersonStatus(StrEnum):
    DETAINED = "detained"
    DISAPPEARED = "disappeared"
    DIED_IN_CUSTODY = "died_in_custody"
    RELEASED = "released"
    UNKNOWN = "unknown"


class IncidentKind(StrEnum):
    TORTURE = "torture"
    KILLING = "killing"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance"
    SEXUAL_VIOLENCE = "sexual_violence"
    ARBITRARY_DETENTION = "arbitrary_detention"
    OTHER = "other"


class EvidenceKind(StrEnum):
    DOCUMENT = "document"
    TESTIMONY = "testimony"
    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"
    DATASET = "dataset"
    REPORT = "report"


class Classification(StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"
    PROTECTED = "protected"


ANY_LABEL = frozenset(NodeLabel)
_P = NodeLabel.PERSON
_U = NodeLabel.UNIT
_F = NodeLabel.FACILITY
_I = NodeLabel.INCIDENT

#: For each claim type: the labels allowed at its start and at its end.
CLAIM_ENDPOINTS: dict[ClaimType, tuple[frozenset[NodeLabel], frozenset[NodeLabel]]] = {
    ClaimType.MEMBER_OF: (frozenset({_P}), frozenset({_U})),
    ClaimType.COMMANDED: (frozenset({_P}), frozenset({_U})),
    ClaimType.SUBORDINATE_TO: (frozenset({_U}), frozenset({_U})),
    ClaimType.OPERATED: (frozenset({_U}), frozenset({_F})),
    ClaimType.POSTED_AT: (frozenset({_P}), frozenset({_F})),
    ClaimType.DETAINED_AT: (frozenset({_P}), frozenset({_F})),
    ClaimType.OCCURRED_AT: (frozenset({_I}), frozenset({_F})),
    ClaimType.VICTIM: (frozenset({_I}), frozenset({_P})),
    ClaimType.PERPETRATED: (frozenset({_P}), frozenset({_I})),
    ClaimType.ORDERED: (frozenset({_P}), frozenset({_I})),
    ClaimType.AIDED: (frozenset({_P, _U}), frozenset({_I, _F, _U})),
    ClaimType.NOTIFIED: (frozenset({_P}), frozenset({_I, _F, _U})),
    ClaimType.EXERCISED_CONTROL: (frozenset({_P}), frozenset({_U, _P})),
    ClaimType.TOOK_MEASURES: (frozenset({_P}), frozenset({_I, _U, _F})),
    ClaimType.DOCUMENTS: (frozenset({NodeLabel.EVIDENCE}), ANY_LABEL),
    ClaimType.INCLUDES: (frozenset({NodeLabel.CASE}), ANY_LABEL),
}

#: Properties a claim of each type may carry besides the common ones.
CLAIM_EXTRA_PROPERTIES: dict[ClaimType, dict[str, type]] = {
    ClaimType.MEMBER_OF: {"rank": str, "title": str},
    ClaimType.POSTED_AT: {"role": str, "command": bool},
    ClaimType.AIDED: {"contribution": str},
    ClaimType.NOTIFIED: {"how": str},
    ClaimType.EXERCISED_CONTROL: {"how": str},
    ClaimType.TOOK_MEASURES: {"how": str},
}


class ControlIndicator(StrEnum):
    """What an EXERCISED_CONTROL claim says the person did: the indicators of effective
    control the tribunals look for (orders issued, discipline, appointments...)."""

    ISSUED_ORDERS = "issued_orders"
    DISCIPLINED = "disciplined"
    APPOINTED = "appointed"
    DISMISSED = "dismissed"
    APPROVED_TRANSFER = "approved_transfer"
    SIGNED_REPORTS = "signed_reports"
    OTHER = "other"


#: Properties whose value must be one of a fixed list, by claim type. The others are
#: free text (and so masked for uncleared readers, domain/renditions.py).
CLAIM_PROPERTY_CHOICES: dict[ClaimType, dict[str, frozenset[str]]] = {
    ClaimType.EXERCISED_CONTROL: {"how": frozenset(ControlIndicator)},
}
