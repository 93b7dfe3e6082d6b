"""The liability rules of docs/design.md ("Liability trace") that do not need the graph:
when a claim is in force, how certain a path is, how weak, how corroborated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from accountability.domain import search
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision


class Mode(StrEnum):
    """Modes of liability, in the order results are listed; PRESENT is a lead only."""

    PERPETRATION = "PERPETRATION"
    ORDERING = "ORDERING"
    AIDING_ABETTING = "AIDING_ABETTING"
    SUPERIOR_RESPONSIBILITY = "SUPERIOR_RESPONSIBILITY"
    PRESENT = "PRESENT"


class Certainty(StrEnum):
    """ESTABLISHED: every standing claim is exact and covers the whole incident;
    POSSIBLE: some claim is approximate or covers part of it; UNDATED: some claim
    (or the incident) has no start date."""

    ESTABLISHED = "ESTABLISHED"
    POSSIBLE = "POSSIBLE"
    UNDATED = "UNDATED"


MODE_ORDER = list(Mode)
CERTAINTY_ORDER = list(Certainty)
CONFIDENCE_ORDER = [Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW]
#: Claims about the act itself: they take the incident's own period.
ACT_TYPES = frozenset(
    {ClaimType.PERPETRATED, ClaimType.ORDERED, ClaimType.VICTIM, ClaimType.OCCURRED_AT}
)
MAX_DEPTH_LIMIT = 10


@dataclass(frozen=True)
class Period:
    """An incident's period; ``end`` defaults to ``start``; both None when undated."""

    start: dt.date | None
    end: dt.date | None

    @classmethod
    def of(cls, start: dt.date | None, end: dt.date | None) -> Period:
        return cls(start, end or start)


@dataclass(frozen=True)
class PathClaim:
    """A claim on a path, with what the rules need of it."""

    id: str
    type: ClaimType
    from_id: str
    to_id: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    date_precision: DatePrecision
    confidence: Confidence
    evidence: tuple[str, ...]
    props: dict[str, Any]

    def other_end(self, node_id: str) -> str:
        return self.to_id if self.from_id == node_id else self.from_id


def is_act(claim: PathClaim, incident_id: str) -> bool:
    """Whether the claim is about the act itself (and so takes the incident's period)."""
    if claim.type in ACT_TYPES:
        return True
    return claim.type is ClaimType.AIDED and claim.to_id == incident_id


def not_in_force_reason(claim: PathClaim, period: Period) -> str | None:
    """Why a standing claim was not in force during the period, or None if it was."""
    if period.start is None or period.end is None:
        return None
    if claim.valid_from is not None and claim.valid_from > period.end:
        return (
            f"{claim.type.value} began {claim.valid_from}, after the incident ended on {period.end}"
        )
    if claim.valid_to is not None and claim.valid_to < period.start:
        return (
            f"{claim.type.value} ended {claim.valid_to}, before the incident "
            f"began on {period.start}"
        )
    return None


def certainty(claims: list[PathClaim], period: Period, incident_id: str) -> Certainty:
    """How certain a path is, from its standing claims' dates and precision."""
    if period.start is None or period.end is None:
        return Certainty.UNDATED
    standing = [c for c in claims if not is_act(c, incident_id)]
    if any(c.valid_from is None for c in standing):
        return Certainty.UNDATED
    covers = all(
        c.date_precision is DatePrecision.EXACT
        and c.valid_from is not None
        and c.valid_from <= period.start
        and (c.valid_to is None or c.valid_to >= period.end)
        for c in standing
    )
    return Certainty.ESTABLISHED if covers else Certainty.POSSIBLE


def weakest(claims: list[PathClaim]) -> Confidence:
    """The lowest confidence of any claim on the path."""
    return max((c.confidence for c in claims), key=CONFIDENCE_ORDER.index)


def independent_sources(claim: PathClaim, sources: dict[str, str | None]) -> int:
    """How many distinct sources back a claim, compared as people would: case, accents,
    spacing and punctuation folded ("Fictional Archive" is "fictional archive.")."""
    return len({k for e in claim.evidence if (k := search.fold(sources.get(e) or ""))})


def corroborated(claims: list[PathClaim], sources: dict[str, str | None]) -> bool:
    """Whether every claim is backed by evidence from at least two distinct sources."""
    return all(independent_sources(c, sources) >= 2 for c in claims)


def grade(
    claim: PathClaim, period: Period, incident_id: str, sources: dict[str, str | None]
) -> tuple[int, int, int]:
    """What one claim does to a path's strength (domain/paths.py): its certainty, its
    confidence and its corroboration, as ranks (0 is the strongest). A path's are the
    worst of its claims', which is what certainty, weakest and corroborated compute."""
    return (
        CERTAINTY_ORDER.index(certainty([claim], period, incident_id)),
        CONFIDENCE_ORDER.index(claim.confidence),
        0 if independent_sources(claim, sources) >= 2 else 1,
    )


def certainty_on_date(claim: PathClaim) -> Certainty:
    """How sure it is that a claim found in force on a date held on that day."""
    if claim.valid_from is None:
        return Certainty.UNDATED
    if claim.date_precision is DatePrecision.EXACT:
        return Certainty.ESTABLISHED
    return Certainty.POSSIBLE
