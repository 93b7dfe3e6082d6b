"""Who may change protection. Lifting a protection would reveal what it hid, so every
change that could do so needs clearance (prosecutor or admin): setting or clearing a
person's ``protected`` flag or pseudonym, changing anything of a protected person (a
writer who cannot read the real name must not overwrite it either), and changing an
evidence item's classification or anything of an item that is not public.
Investigators may still create protected persons and confidential or protected
evidence, and add claims about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accountability.domain import renditions
from accountability.domain.masking import MaskSet
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import Problem

_PERSON_PROTECTION = ("protected", "pseudonym")


def _changes(current: dict[str, Any], patch: dict[str, Any], key: str) -> bool:
    # An empty list and an absent value say the same.
    return key in patch and (patch[key] or None) != (current.get(key) or None)


def protection_problem(
    label: NodeLabel, current: dict[str, Any], patch: dict[str, Any]
) -> str | None:
    """Why this change needs clearance, or None when it does not."""
    changed = [k for k in patch if _changes(current, patch, k)]
    if not changed:
        return None  # writing back what is stored changes nothing
    if label is NodeLabel.PERSON:
        if current.get("protected"):
            return "changing a protected person needs clearance (prosecutor or admin)"
        if any(_changes(current, patch, k) for k in _PERSON_PROTECTION):
            return "setting protection needs clearance (prosecutor or admin)"
    if label is NodeLabel.EVIDENCE:
        if (current.get("classification") or "confidential") != "public":
            return "changing evidence that is not public needs clearance (prosecutor or admin)"
        if _changes(current, patch, "classification"):
            return (
                "changing an evidence item's classification needs clearance (prosecutor or admin)"
            )
    return None


#: Why a writer without clearance may not replace a text they are shown masked.
WITHHELD = "shown to you with a protected person's name withheld; an admin may change it"


@dataclass(frozen=True)
class ShownPatch:
    """A change by a writer without clearance, judged against what that writer is shown."""

    #: The change to write: a field sent back exactly as it was shown keeps its original.
    patch: dict[str, Any]
    #: Why the change needs clearance (the record's own protection), or None.
    protection: str | None
    #: The fields shown masked that the change would replace with something else.
    withheld: list[str]

    def problems(self, where: str) -> list[Problem]:
        """The refusal's problems, at ``where`` (the record) and its properties."""
        if self.protection:
            return [Problem(where, self.protection)]
        prefix = f"{where}.properties" if where else "properties"
        return [Problem(f"{prefix}.{key}", WITHHELD) for key in self.withheld]


def _judged(
    shown: dict[str, Any], stored: dict[str, Any], patch: dict[str, Any], protection: str | None
) -> ShownPatch:
    kept = dict(patch)
    withheld = []
    for key, value in patch.items():
        if _same(shown.get(key), stored.get(key)):
            continue  # shown whole: the writer's to change
        if _same(value, shown.get(key)):
            kept[key] = stored.get(key)  # sent back as shown: the original stays
        else:
            withheld.append(key)
    return ShownPatch(kept, protection, sorted(withheld))


def _same(a: Any, b: Any) -> bool:
    # An empty list and an absent value say the same.
    return (a or None) == (b or None)


def node_change_as_shown(
    label: NodeLabel, stored: dict[str, Any], patch: dict[str, Any], masks: MaskSet
) -> ShownPatch:
    """A node change by a writer without clearance. Decided on what the writer is shown
    (the rendition, with ``masks``) and what they send, never on the stored original they
    cannot see: a protected person's real name, or a text's masked name, sent as a guess
    is answered exactly as any other value is. Comparing a change with the original
    instead ("writing back what is stored changes nothing") would confirm a right guess.

    A text shown with a protected person's name masked cannot be replaced (the name
    would be lost); sent back unchanged, as shown, it keeps its original."""
    shown = renditions.render_node(label, stored, masks).props
    return _judged(shown, stored, patch, protection_problem(label, shown, patch))


def claim_change_as_shown(
    claim_type: ClaimType, stored: dict[str, Any], patch: dict[str, Any], masks: MaskSet
) -> ShownPatch:
    """The same for a stored claim's texts (re-imported with the claim)."""
    rendition = renditions.render_claim(claim_type, stored, masks)
    shown = {**stored, **(rendition.props if rendition else {})}
    return _judged(shown, stored, patch, None)


def protection_summary(label: NodeLabel, before: dict[str, Any], after: dict[str, Any]) -> str:
    """How a write touched protection, for the audit log: flags and classes, never
    values. A change to a protected person or to evidence that is not public says so
    even when the class stays."""
    if label is NodeLabel.PERSON:
        was, now = bool(before.get("protected")), bool(after.get("protected"))
        parts = []
        if was != now:
            parts.append(f"protected {str(was).lower()} -> {str(now).lower()}")
        elif was:
            parts.append("protected person")
        if before.get("pseudonym") != after.get("pseudonym"):
            parts.append("pseudonym changed")
        return f" ({'; '.join(parts)})" if parts else ""
    if label is NodeLabel.EVIDENCE:
        old = before.get("classification") or "confidential"
        new = after.get("classification") or "confidential"
        if old != new:
            return f" (classification {old} -> {new})"
        return f" (classification {old})" if old != "public" else ""
    return ""
