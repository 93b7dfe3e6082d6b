"""From links to elements: the rules that say, for one person, one incident and one mode
of liability, how far the graph supports each legal element (docs/legal-elements.md).
Pure: the facts are gathered by services/liability/elements.py, the statuses decided here.

An element is SUPPORTED when the claims recorded prove it as far as a graph can; PARTIAL
when they point to it but leave a step to inference or to proof not recorded; GAP when
nothing recorded bears on it; CONTRADICTED when a claim speaks against it (a superior who
took measures did not fail to act)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from accountability.domain.element_bases import BASES, CRIME_CONDUCT, CUSTODY_BASES
from accountability.domain.liability import Certainty, Mode, PathClaim, Period
from accountability.domain.vocabulary import ClaimType, IncidentKind


class ElementStatus(StrEnum):
    """How far the graph supports an element, in the order a matrix lists gaps first."""

    GAP = "GAP"
    CONTRADICTED = "CONTRADICTED"
    PARTIAL = "PARTIAL"
    SUPPORTED = "SUPPORTED"


class ElementPart(StrEnum):
    """LINK: an element of the mode of liability (what ties the person to the crime);
    CRIME: an element of the crime itself (the act, the custody, the context)."""

    LINK = "LINK"
    CRIME = "CRIME"


STATUS_ORDER = list(ElementStatus)

#: The elements of each mode, in the order they are listed.
LINK_ELEMENTS: dict[Mode, tuple[str, ...]] = {
    Mode.PERPETRATION: ("CONDUCT",),
    Mode.ORDERING: ("AUTHORITY", "ORDER"),
    Mode.AIDING_ABETTING: ("ASSISTANCE", "KNOWLEDGE"),
    Mode.SUPERIOR_RESPONSIBILITY: ("EFFECTIVE_CONTROL", "KNOWLEDGE", "FAILURE_TO_ACT"),
    Mode.PRESENT: (),
}
CRIME_ELEMENTS = ("CONDUCT", "CUSTODY", "CONTEXT")

#: The contextual element is a finding for a court; these figures only say when the
#: graph shows a pattern worth setting out (scale: other incidents; regularity: across
#: facilities). Below them, other incidents make it PARTIAL.
CONTEXT_WINDOW_DAYS = 365
CONTEXT_MIN_INCIDENTS = 10
CONTEXT_MIN_FACILITIES = 2


@dataclass(frozen=True)
class Assessment:
    """One element of one link: its status, the claims it rests on and why."""

    element: str
    part: ElementPart
    basis: str
    status: ElementStatus
    claims: tuple[PathClaim, ...]
    note: str

    @property
    def evidence(self) -> list[str]:
        """The distinct evidence of its claims, in the order first cited."""
        return list(dict.fromkeys(e for c in self.claims for e in c.evidence))


@dataclass(frozen=True)
class Context:
    """Other incidents around this one: at its facility or at facilities operated by the
    units that operated it, within CONTEXT_WINDOW_DAYS of it."""

    incidents: int = 0
    facilities: int = 0
    deaths: int = 0


@dataclass(frozen=True)
class LinkFacts:
    """What the graph holds about one person, one incident and one mode."""

    mode: Mode
    incident_id: str
    kind: IncidentKind
    period: Period
    #: The strongest qualifying path of this person by this mode (None: not linked by it).
    path: Sequence[PathClaim] | None
    certainty: Certainty | None = None
    #: The strongest superior-responsibility path, if any (authority for ordering).
    superior_path: Sequence[PathClaim] | None = None
    #: EXERCISED_CONTROL claims relevant to the link and in force (relevant_control).
    control: Sequence[PathClaim] = ()
    #: TOOK_MEASURES claims relevant to the incident and in time (measures_in_time).
    measures: Sequence[PathClaim] = ()
    #: NOTIFIED claims dated before the incident ended (notice).
    notifications: Sequence[PathClaim] = ()
    prior_incidents: int = 0
    prior_deaths: int = 0
    first_prior: dt.date | None = None
    #: VICTIM claims of the incident.
    victims: Sequence[PathClaim] = ()
    #: Per victim id: DETAINED_AT claims at the incident's facility in force during it.
    custody: dict[str, Sequence[PathClaim]] = field(default_factory=dict)
    context: Context = Context()
    #: Parts of the incident's trace that could not be computed (a statement over the
    #: engine's time limit): a gap may then be the trace's, not the evidence's.
    missing: Sequence[str] = ()


def in_force(claim: PathClaim, period: Period) -> bool:
    """The trace's rule: a standing claim overlaps the incident's period (a missing
    bound is open; an undated incident admits every claim)."""
    if period.start is None or period.end is None:
        return True
    if claim.valid_from is not None and claim.valid_from > period.end:
        return False
    return claim.valid_to is None or claim.valid_to >= period.start


def notification_counts(claim: PathClaim, period: Period) -> bool:
    """A NOTIFIED claim counts when it is dated and received before the incident ended
    (before, or while it went on: a superior informed while abuse continues had reason to
    know of it). Undated ones prove no order in time, so they do not count."""
    if claim.valid_from is None:
        return False
    end = period.end or period.start
    return end is None or claim.valid_from <= end


def relevant_control(
    claims: Iterable[PathClaim], targets: set[str], period: Period
) -> list[PathClaim]:
    """EXERCISED_CONTROL claims over a unit on the command path or a person who
    committed or ordered the incident, in force during it."""
    return [
        c
        for c in claims
        if c.type is ClaimType.EXERCISED_CONTROL and c.to_id in targets and in_force(c, period)
    ]


def measures_in_time(
    claims: Iterable[PathClaim], incident_id: str, targets: set[str], period: Period
) -> list[PathClaim]:
    """TOOK_MEASURES claims on the incident itself (at any date: punishment follows the
    act), or on a unit of the path or the incident's facility that had not ended before
    the incident began (prevention in force then, or repression after)."""
    out = []
    for c in claims:
        if c.type is not ClaimType.TOOK_MEASURES:
            continue
        if c.to_id == incident_id:
            out.append(c)
        elif c.to_id in targets and (
            period.start is None or c.valid_to is None or c.valid_to >= period.start
        ):
            out.append(c)
    return out


def _dated(claims: Sequence[PathClaim]) -> str:
    return ", ".join(f"{c.id} ({c.valid_from or 'undated'})" for c in claims)


def _a(
    element: str,
    status: ElementStatus,
    claims: Iterable[PathClaim],
    note: str,
    mode: Mode | None,
    part: ElementPart = ElementPart.LINK,
    basis: str | None = None,
) -> Assessment:
    return Assessment(
        element,
        part,
        basis or BASES[(mode, element)],
        status,
        tuple({c.id: c for c in claims}.values()),  # each claim once
        note,
    )


def _effective_control(f: LinkFacts) -> Assessment:
    m = Mode.SUPERIOR_RESPONSIBILITY
    if f.path is None:
        return _a(
            "EFFECTIVE_CONTROL",
            ElementStatus.GAP,
            (),
            "No command path in force during the incident: record who commanded the unit "
            "or held a command post at the facility then.",
            m,
        )
    command = [c for c in f.path if c.type in (ClaimType.COMMANDED, ClaimType.POSTED_AT)][:1]
    if f.control:
        how = ", ".join(sorted({str(c.props.get("how") or "other") for c in f.control}))
        return _a(
            "EFFECTIVE_CONTROL",
            ElementStatus.SUPPORTED,
            [*command, *f.control],
            f"Command in force ({(f.certainty or Certainty.POSSIBLE).value.lower()}) and "
            f"{len(f.control)} indicator(s) of effective control: {how}.",
            m,
        )
    return _a(
        "EFFECTIVE_CONTROL",
        ElementStatus.PARTIAL,
        f.path,
        f"Command path in force ({(f.certainty or Certainty.POSSIBLE).value.lower()}), but "
        "de jure command is not proof of effective control: record EXERCISED_CONTROL "
        "indicators (orders issued, discipline, appointments, signed reports).",
        m,
    )


def _knowledge_of_superior(f: LinkFacts) -> Assessment:
    m = Mode.SUPERIOR_RESPONSIBILITY
    if f.notifications:
        return _a(
            "KNOWLEDGE",
            ElementStatus.SUPPORTED,
            f.notifications,
            f"Notified before the incident ended: {_dated(f.notifications)}"
            + (
                f"; and {f.prior_incidents} prior incident(s) under his command."
                if f.prior_incidents
                else "."
            ),
            m,
        )
    if f.prior_incidents:
        return _a(
            "KNOWLEDGE",
            ElementStatus.PARTIAL,
            (),
            f"{f.prior_incidents} prior incident(s) ({f.prior_deaths} death(s)) under his "
            f"command since {f.first_prior}: reason to know, by inference. A NOTIFIED claim "
            "(report, complaint, death certificate, visit) would show actual knowledge.",
            m,
        )
    return _a(
        "KNOWLEDGE",
        ElementStatus.GAP,
        (),
        "No notification before the incident and no prior incident under his command: "
        "record NOTIFIED claims (reports, complaints, death certificates, visits).",
        m,
    )


def _failure_to_act(f: LinkFacts) -> Assessment:
    m = Mode.SUPERIOR_RESPONSIBILITY
    if f.measures:
        how = "; ".join(sorted({str(c.props.get("how") or "unspecified") for c in f.measures}))
        return _a(
            "FAILURE_TO_ACT",
            ElementStatus.CONTRADICTED,
            f.measures,
            f"Measures taken: {how} ({_dated(f.measures)}). Whether they were all the "
            "necessary and reasonable ones is for the court.",
            m,
        )
    return _a(
        "FAILURE_TO_ACT",
        ElementStatus.PARTIAL,
        (),
        "No measure to prevent or punish is recorded; an absence is not proof. Evidence "
        "that no investigation, discipline or referral followed would support it.",
        m,
    )


def _assistance(f: LinkFacts) -> Assessment:
    m = Mode.AIDING_ABETTING
    if f.path is None:
        return _a(
            "ASSISTANCE",
            ElementStatus.GAP,
            (),
            "No aid to the incident, its facility or the unit operating it is recorded in force.",
            m,
        )
    direct = [c for c in f.path if c.type is ClaimType.AIDED and c.to_id == f.incident_id]
    if direct:
        return _a(
            "ASSISTANCE",
            ElementStatus.SUPPORTED,
            f.path,
            "Aid to the incident itself: "
            + ", ".join(str(c.props.get("contribution") or "unspecified") for c in direct)
            + ".",
            m,
        )
    return _a(
        "ASSISTANCE",
        ElementStatus.PARTIAL,
        f.path,
        "Aid to the facility or the unit operating it, in force during the incident; its "
        "substantial effect on this incident is to be shown.",
        m,
    )


def _knowledge_of_aider(f: LinkFacts) -> Assessment:
    m = Mode.AIDING_ABETTING
    if f.notifications:
        return _a(
            "KNOWLEDGE",
            ElementStatus.SUPPORTED,
            f.notifications,
            f"Notified of abuses before the incident ended: {_dated(f.notifications)}.",
            m,
        )
    if f.path is not None and any(
        c.type is ClaimType.AIDED and c.to_id == f.incident_id for c in f.path
    ):
        return _a(
            "KNOWLEDGE",
            ElementStatus.PARTIAL,
            f.path,
            "Direct aid to the act lets knowledge be inferred; a NOTIFIED claim would show it.",
            m,
        )
    return _a(
        "KNOWLEDGE",
        ElementStatus.GAP,
        (),
        "Nothing shows he knew his aid assisted abuses: record NOTIFIED claims.",
        m,
    )


def _authority(f: LinkFacts) -> Assessment:
    m = Mode.ORDERING
    if f.superior_path is not None:
        status = ElementStatus.SUPPORTED if f.control else ElementStatus.PARTIAL
        note = "A position of command in force during the incident"
        note += " with indicators of control." if f.control else "."
        return _a("AUTHORITY", status, [*f.superior_path[:1], *f.control], note, m)
    if f.control:
        return _a(
            "AUTHORITY",
            ElementStatus.PARTIAL,
            f.control,
            "Indicators of control in force, but no command recorded.",
            m,
        )
    return _a(
        "AUTHORITY",
        ElementStatus.GAP,
        (),
        "No command or indicator of control over the perpetrators or their unit recorded.",
        m,
    )


def _order(f: LinkFacts) -> Assessment:
    m = Mode.ORDERING
    if f.path is not None:
        return _a("ORDER", ElementStatus.SUPPORTED, f.path, "An ORDERED claim on the incident.", m)
    return _a("ORDER", ElementStatus.GAP, (), "No ORDERED claim on the incident.", m)


def _conduct(f: LinkFacts) -> Assessment:
    m = Mode.PERPETRATION
    if f.path is not None:
        return _a(
            "CONDUCT", ElementStatus.SUPPORTED, f.path, "A PERPETRATED claim on the incident.", m
        )
    return _a("CONDUCT", ElementStatus.GAP, (), "No PERPETRATED claim on the incident.", m)


def _crime_conduct(f: LinkFacts) -> Assessment:
    basis = CRIME_CONDUCT[f.kind]
    if f.kind is IncidentKind.OTHER:
        return _a(
            "CONDUCT",
            ElementStatus.PARTIAL,
            f.victims,
            "The incident's kind is 'other': say which act it was.",
            None,
            ElementPart.CRIME,
            basis,
        )
    if f.victims:
        return _a(
            "CONDUCT",
            ElementStatus.SUPPORTED,
            f.victims,
            f"{f.kind.value.replace('_', ' ')} of {len(f.victims)} recorded victim(s).",
            None,
            ElementPart.CRIME,
            basis,
        )
    return _a(
        "CONDUCT",
        ElementStatus.PARTIAL,
        (),
        f"{f.kind.value.replace('_', ' ')} recorded with no victim: record VICTIM claims.",
        None,
        ElementPart.CRIME,
        basis,
    )


def _custody(f: LinkFacts) -> Assessment:
    held = [v for v in f.victims if f.custody.get(v.to_id)]
    claims = [c for v in held for c in (v, *f.custody[v.to_id])]
    if f.victims and len(held) == len(f.victims):
        status, note = ElementStatus.SUPPORTED, "Every victim held at the facility at the time."
    elif held:
        status = ElementStatus.PARTIAL
        note = f"{len(held)} of {len(f.victims)} victims held at the facility at the time."
    elif f.victims:
        status = ElementStatus.GAP
        note = "No victim's detention at the facility is recorded in force during the incident."
    else:
        status, note = ElementStatus.GAP, "No victim recorded."
    return _a("CUSTODY", status, claims, note, None, ElementPart.CRIME, CUSTODY_BASES[f.kind])


def _context(f: LinkFacts) -> Assessment:
    c = f.context
    figures = (
        f"{c.incidents} other incident(s) at {c.facilities} facility(ies) of the same "
        f"operators within {CONTEXT_WINDOW_DAYS} days, {c.deaths} death(s)"
    )
    if c.incidents >= CONTEXT_MIN_INCIDENTS and c.facilities >= CONTEXT_MIN_FACILITIES:
        status = ElementStatus.SUPPORTED
        note = figures + ": a pattern across facilities to set out (see patterns)."
    elif c.incidents:
        status = ElementStatus.PARTIAL
        note = figures + ": too few to show scale or regularity alone."
    else:
        status = ElementStatus.GAP
        note = "No other incident recorded around it: the attack must be shown otherwise."
    return _a("CONTEXT", status, (), note, None, ElementPart.CRIME)


_LINK_RULES = {
    (Mode.SUPERIOR_RESPONSIBILITY, "EFFECTIVE_CONTROL"): _effective_control,
    (Mode.SUPERIOR_RESPONSIBILITY, "KNOWLEDGE"): _knowledge_of_superior,
    (Mode.SUPERIOR_RESPONSIBILITY, "FAILURE_TO_ACT"): _failure_to_act,
    (Mode.AIDING_ABETTING, "ASSISTANCE"): _assistance,
    (Mode.AIDING_ABETTING, "KNOWLEDGE"): _knowledge_of_aider,
    (Mode.ORDERING, "AUTHORITY"): _authority,
    (Mode.ORDERING, "ORDER"): _order,
    (Mode.PERPETRATION, "CONDUCT"): _conduct,
}


def assess(f: LinkFacts) -> list[Assessment]:
    """Every element of the link (the mode's, then the crime's), each with its status."""
    out = [_LINK_RULES[(f.mode, key)](f) for key in LINK_ELEMENTS[f.mode]]
    crime = {"CONDUCT": _crime_conduct, "CUSTODY": _custody, "CONTEXT": _context}
    out = [*out, *(crime[key](f) for key in CRIME_ELEMENTS)]
    if f.missing:
        caveat = " The trace was partial (" + "; ".join(f.missing) + "): this may not be a gap."
        out = [
            replace(a, note=a.note + caveat) if a.status is ElementStatus.GAP else a for a in out
        ]
    return out


def gap_order(statuses: Iterable[ElementStatus]) -> tuple[int, ...]:
    """A matrix row's place: rows with the most gaps first, then contradictions,
    then partial elements."""
    found = list(statuses)
    return tuple(-found.count(s) for s in STATUS_ORDER[:3])
