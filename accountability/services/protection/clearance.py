"""Who may change protection. Lifting a protection would reveal what it hid, so every
change that could do so needs clearance (prosecutor or admin): setting or clearing a
person's ``protected`` flag or pseudonym, changing anything of a protected person (a
writer who cannot read the real name must not overwrite it either), and changing an
evidence item's classification or anything of an item that is not public.
Investigators may still create protected persons and confidential or protected
evidence, and add claims about them."""

from __future__ import annotations

from typing import Any

from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import Forbidden

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


def check_protection_change(
    label: NodeLabel, current: dict[str, Any], patch: dict[str, Any], viewer: Viewer
) -> None:
    """Refuse a change of protection by a role without clearance."""
    if viewer.cleared:
        return
    why = protection_problem(label, current, patch)
    if why:
        raise Forbidden(why)


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
