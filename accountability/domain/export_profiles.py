"""Export profiles: who an export is for decides what it may carry. The caller's role
caps the profile, and the stricter of the two wins."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from accountability.domain.redaction import IDENTIFYING_FIELDS, Role, Viewer
from accountability.domain.screening import Screen

WITHHELD_EVIDENCE_TITLE = "Withheld evidence item"
#: What free text says in a public export where a protected person was named.
PUBLIC_PLACEHOLDER = "[withheld]"


class ExportProfile(StrEnum):
    """From most to least revealing."""

    COURT = "court"  # everything, for cleared roles
    PARTNER = "partner"  # protected identities pseudonymized, confidential titles withheld
    PUBLIC = "public"  # public evidence only, no protected person at all


_ORDER = (ExportProfile.COURT, ExportProfile.PARTNER, ExportProfile.PUBLIC)

#: The most revealing profile each role may export.
ROLE_CEILING: dict[Role, ExportProfile] = {
    Role.VIEWER: ExportProfile.PUBLIC,
    Role.ANALYST: ExportProfile.PARTNER,
    Role.INVESTIGATOR: ExportProfile.PARTNER,
    Role.PROSECUTOR: ExportProfile.COURT,
    Role.ADMIN: ExportProfile.COURT,
}


def effective_profile(requested: ExportProfile, viewer: Viewer) -> ExportProfile:
    """The stricter of the requested profile and the caller's ceiling."""
    ceiling = ROLE_CEILING[viewer.role]
    return max(requested, ceiling, key=_ORDER.index)


@dataclass(frozen=True)
class ExportPolicy:
    """Applies one profile to records: omit, pseudonymize, withhold, screen."""

    profile: ExportProfile
    screen: Screen

    @property
    def full(self) -> bool:
        return self.profile is ExportProfile.COURT

    @property
    def keeps_retracted(self) -> bool:
        """Retracted claims (and who retracted them, and why) go to court only."""
        return self.full

    def person(self, props: dict[str, Any]) -> dict[str, Any] | None:
        """A person's properties under this profile, or None to leave them out."""
        if not props.get("protected") or self.full:
            return self.text(props)
        if self.profile is ExportProfile.PUBLIC:
            return None
        out = dict(props)
        out["name"] = props.get("pseudonym") or "Protected person"
        for key in IDENTIFYING_FIELDS:
            out[key] = [] if key == "aliases" else None
        return self.text(out)

    def evidence(self, props: dict[str, Any]) -> dict[str, Any] | None:
        """An evidence item's properties under this profile, or None to leave it out."""
        classification = props.get("classification")
        if self.full:
            return props
        if self.profile is ExportProfile.PUBLIC and classification != "public":
            return None
        if classification != "public":
            out = dict(props)
            out["title"] = WITHHELD_EVIDENCE_TITLE
            out["source"] = None
            return self.text(out)
        return self.text(props)

    def text(self, props: dict[str, Any]) -> dict[str, Any]:
        """Free text with protected names replaced (not for court)."""
        return props if self.full else {k: self.screen.value(v) for k, v in props.items()}

    def words(self, value: str) -> str:
        """One text with protected names replaced (not for court)."""
        return value if self.full else self.screen.text(value)


def policy_for(profile: ExportProfile, protected: list[tuple[str, list[str], str]]) -> ExportPolicy:
    """The policy of a profile, given (name, aliases, pseudonym) of every protected person."""
    if profile is ExportProfile.PUBLIC:
        # A pseudonym would still tell a public reader that a protected person exists.
        protected = [(name, aliases, PUBLIC_PLACEHOLDER) for name, aliases, _ in protected]
    return ExportPolicy(
        profile, Screen.of(protected) if profile is not ExportProfile.COURT else Screen()
    )
