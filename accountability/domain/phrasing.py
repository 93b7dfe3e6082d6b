"""Claims and liability paths in plain words, for people reading a case brief."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from accountability.domain.vocabulary import ClaimType, DatePrecision

_VERBS: dict[ClaimType, str] = {
    ClaimType.MEMBER_OF: "{a} was a member of {b}",
    ClaimType.COMMANDED: "{a} commanded {b}",
    ClaimType.SUBORDINATE_TO: "{a} was subordinate to {b}",
    ClaimType.OPERATED: "{a} operated {b}",
    ClaimType.POSTED_AT: "{a} was posted at {b}",
    ClaimType.DETAINED_AT: "{a} was detained at {b}",
    ClaimType.OCCURRED_AT: "{a} took place at {b}",
    ClaimType.VICTIM: "{b} was a victim of {a}",
    ClaimType.PERPETRATED: "{a} committed {b}",
    ClaimType.ORDERED: "{a} ordered {b}",
    ClaimType.AIDED: "{a} aided {b}",
    ClaimType.NOTIFIED: "{a} was informed of abuses at {b}",
    ClaimType.EXERCISED_CONTROL: "{a} exercised control over {b}",
    ClaimType.TOOK_MEASURES: "{a} took measures about {b}",
    ClaimType.DOCUMENTS: "{a} documents {b}",
    ClaimType.INCLUDES: "{a} includes {b}",
}


def period_words(
    valid_from: dt.date | None, valid_to: dt.date | None, precision: DatePrecision
) -> str:
    """When a claim held: "from A to B" when exact, "at some time between A and B" when
    it held on at least one day of the range (approximate precision, docs/design.md "Claims")."""
    if valid_from is None and valid_to is None:
        return "(dates unknown)"
    if valid_from is None:
        return f"until {valid_to}, start unknown"
    if valid_to is None:
        return f"from {valid_from}, end not known"
    if precision is DatePrecision.APPROXIMATE:
        return f"at some time between {valid_from} and {valid_to}"
    return f"from {valid_from} to {valid_to}"


def sentence(
    claim_type: ClaimType,
    from_name: str,
    to_name: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    precision: DatePrecision,
    props: Mapping[str, Any],
    act: bool = False,
) -> str:
    """One claim as a clause: who did what to whom, in what capacity, when. A claim
    about the act itself (``act``) takes the incident's dates, so none are given."""
    words = _VERBS[claim_type].format(a=from_name, b=to_name)
    capacity = [str(props[k]) for k in ("rank", "title", "role") if props.get(k)]
    if capacity:
        words += f" as {', '.join(capacity)}"
    if props.get("command"):
        words += " (a command post)"
    if props.get("contribution"):
        words += f" by {props['contribution']}"
    if props.get("how"):
        words += f" ({str(props['how']).replace('_', ' ')})"
    if not act:
        words += " " + period_words(valid_from, valid_to, precision)
    return words


def path_words(clauses: list[str]) -> str:
    """Clauses of a path joined into one statement."""
    if not clauses:
        return ""
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."
