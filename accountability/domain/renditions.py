"""Renditions: what a reader without clearance is served, computed when a record is
written. A rendition never holds a protected identity: a protected person's node is
reduced to the pseudonym, and every free-text field has each mention of a protected
person replaced (docs/design.md, "Witness protection"). Readers without clearance are
served renditions alone, so nothing they see, search, count or sort by was computed
from a protected name."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import orjson

from accountability.domain import search
from accountability.domain.masking import MaskSet, Mention
from accountability.domain.naming import display_name, names
from accountability.domain.vocabulary import CLAIM_EXTRA_PROPERTIES, ClaimType, NodeLabel

#: Fields of a protected person that could identify them.
IDENTIFYING_FIELDS = ("aliases", "birth_year", "gender", "nationality")
#: What protected evidence shows instead of its title.
WITHHELD_TITLE = "Protected evidence item"
#: What a text shows while it waits to be masked again after the protected names changed.
PENDING = "[being re-masked]"
#: The version of these rules. Raise it whenever what a rendition holds changes: every
#: stored rendition is then made again (services/protection/masks.py) before any is served.
RULES = 2
#: Fields of protected evidence a reader without clearance does not get: a file's hash
#: would let anyone holding a candidate file confirm it is among the protected items.
WITHHELD_EVIDENCE_FIELDS = ("source", "sha256")

#: Names: masked only where a protected person's whole name appears (a relative sharing
#: a surname is not a mention of the witness; a duplicate record of the witness is).
NAME_FIELDS: dict[NodeLabel, tuple[str, ...]] = {
    NodeLabel.PERSON: ("name", "aliases"),
    NodeLabel.UNIT: ("name", "aliases"),
    NodeLabel.FACILITY: ("name", "aliases"),
}
#: Free text: every mention masked, a single surname included.
FREE_TEXT_FIELDS: dict[NodeLabel, tuple[str, ...]] = {
    NodeLabel.PERSON: ("gender", "nationality"),
    NodeLabel.UNIT: ("kind", "parent_name_hint"),
    NodeLabel.FACILITY: ("kind", "location"),
    NodeLabel.INCIDENT: ("title", "description"),
    NodeLabel.EVIDENCE: ("title", "source"),
    NodeLabel.CASE: ("title", "jurisdiction", "status"),
}
#: Text a claim may carry besides its dates and weights.
CLAIM_TEXT_FIELDS: dict[ClaimType, tuple[str, ...]] = {
    t: tuple(k for k, kind in extras.items() if kind is str)
    for t, extras in CLAIM_EXTRA_PROPERTIES.items()
}
RETRACTION_REASON = "retraction_reason"


#: How many of the persons an uncertain mention may name are kept with it.
REVIEW_PERSONS = 10
#: How many uncertain mentions a record keeps for review (one a field and form).
REVIEW_ITEMS = 50


def _distinct(items: list[ReviewItem]) -> list[ReviewItem]:
    """One item a field and form (a verdict applies to the form everywhere), at most
    REVIEW_ITEMS: a long text repeating a word needs one verdict, not one a use."""
    seen: dict[tuple[str, str], ReviewItem] = {}
    for item in items:
        seen.setdefault((item.field, item.mention.form), item)
    return list(seen.values())[:REVIEW_ITEMS]


@dataclass(frozen=True)
class ReviewItem:
    """An uncertain mention in one field of a record, for a cleared reviewer."""

    field: str
    mention: Mention

    def as_dict(self) -> dict[str, Any]:
        m = self.mention
        return {
            "field": self.field,
            "start": m.start,
            "end": m.end,
            "surface": m.surface,
            "form": m.form,
            # A common name part may sound like thousands of protected names: a reviewer
            # decides on the form, so a few of them say enough (and keep records small).
            # Sorted already (once for every use of the mention): a form may name thousands.
            "persons": list(m.person_ids[:REVIEW_PERSONS]),
            "persons_total": len(m.person_ids),
        }


@dataclass(frozen=True)
class Rendition:
    """A record as readers without clearance see it, and its keys."""

    props: dict[str, Any]
    search_text: str = ""
    sort_name: str = ""
    review: list[ReviewItem] = field(default_factory=list)

    def stored(self, gen: int) -> dict[str, Any]:
        """The properties that keep this rendition on a node."""
        return {
            "m_props": encode(self.props),
            "m_search_text": self.search_text,
            "m_sort_name": self.sort_name,
            "m_kind": self.props.get("kind"),
            "m_gen": gen,
            "review": json.dumps([r.as_dict() for r in _distinct(self.review)])
            if self.review
            else None,
            "review_open": True if self.review else None,
        }


def _masked_value(
    value: Any, masks: MaskSet, names_only: bool, name: str, review: list[ReviewItem]
) -> Any:
    if isinstance(value, str):
        out = masks.mask(value, names_only=names_only)
        review.extend(ReviewItem(name, m) for m in out.uncertain)
        return out.text
    if isinstance(value, list):
        return [
            _masked_value(v, masks, names_only, f"{name}[{i}]", review) for i, v in enumerate(value)
        ]
    return value


def render_node(label: NodeLabel, props: dict[str, Any], masks: MaskSet) -> Rendition:
    """The rendition of a node's client-visible properties."""
    review: list[ReviewItem] = []
    out = dict(props)
    if label is NodeLabel.PERSON and props.get("protected"):
        out["name"] = props.get("pseudonym") or "Protected person"
        for key in IDENTIFYING_FIELDS:
            out[key] = [] if key == "aliases" else None
        return Rendition(out, search.search_text([out["name"]]), search.sort_key(out["name"]))
    if label is NodeLabel.EVIDENCE and props.get("classification") == "protected":
        out["title"] = WITHHELD_TITLE
        for key in WITHHELD_EVIDENCE_FIELDS:
            out[key] = None
        return Rendition(out, "", search.sort_key(WITHHELD_TITLE))
    for key in NAME_FIELDS.get(label, ()):
        out[key] = _masked_value(props.get(key), masks, True, key, review)
    for key in FREE_TEXT_FIELDS[label]:
        out[key] = _masked_value(props.get(key), masks, False, key, review)
    searchable = search.search_text([n for n in names(label, out) if n])
    return Rendition(out, searchable, search.sort_key(display_name(label, out)), review)


def render_claim(claim_type: ClaimType, props: dict[str, Any], masks: MaskSet) -> Rendition | None:
    """The rendition of a claim's text (type-specific properties and the retraction
    reason), or None when the claim carries no text at all."""
    keys = [*CLAIM_TEXT_FIELDS.get(claim_type, ()), RETRACTION_REASON]
    if not any(isinstance(props.get(k), str) and props.get(k) for k in keys):
        return None
    review: list[ReviewItem] = []
    out = {k: _masked_value(props.get(k), masks, False, k, review) for k in keys}
    return Rendition(out, review=review)


def pending_node(label: NodeLabel, masked: dict[str, Any]) -> dict[str, Any]:
    """A node whose rendition predates the current protected names: its text is held
    back until it has been masked again; dates, kinds and flags stay."""
    out = dict(masked)
    for key in (*NAME_FIELDS.get(label, ()), *FREE_TEXT_FIELDS[label]):
        value = out.get(key)
        if isinstance(value, list):
            out[key] = []
        elif value is not None:
            out[key] = PENDING
    return out


def pending_claim(masked: dict[str, Any]) -> dict[str, Any]:
    """A claim's text held back until masked again."""
    return {k: (PENDING if isinstance(v, str) else v) for k, v in masked.items()}


def encode(props: dict[str, Any]) -> str:
    """A rendition as stored: JSON, dates as ISO strings (read back by ``decode``)."""
    return json.dumps(
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in props.items()},
        ensure_ascii=False,
        sort_keys=True,
    )


#: Rendition fields that hold calendar dates.
_DATE_FIELDS = frozenset({"start_date", "end_date"})


def decode(stored: str | None) -> dict[str, Any]:
    """A stored rendition as properties."""
    if not stored:
        return {}
    # orjson: a nested read decodes a rendition for every node and claim it serves.
    raw: dict[str, Any] = orjson.loads(stored)
    return {
        k: dt.date.fromisoformat(v) if k in _DATE_FIELDS and isinstance(v, str) else v
        for k, v in raw.items()
    }
