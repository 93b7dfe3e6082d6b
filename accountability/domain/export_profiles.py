"""Export profiles: who an export is for decides what it may carry. The caller's role
caps the profile, and the stricter of the two wins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from accountability.domain.redaction import SYSTEM, Role, Viewer

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
    """The stricter of the requested profile and the caller's ceiling. A viewer who is not
    cleared (the command line's operator is an admin that reads masked) is capped at
    partner whatever the role."""
    ceiling = ROLE_CEILING[viewer.role]
    if not viewer.cleared:
        ceiling = max(ceiling, ExportProfile.PARTNER, key=_ORDER.index)
    return max(requested, ceiling, key=_ORDER.index)


#: Who reads the graph for an export below court: an uncleared reader, so that what the
#: export carries is built from renditions (domain/renditions.py) and nothing else.
RENDITION_READER = Viewer(name="export", role=Role.ANALYST)


@dataclass(frozen=True)
class ExportPolicy:
    """Applies one profile to records: omit, withhold, and for the public profile
    replace pseudonyms. Below court, every record it is given is already a rendition."""

    profile: ExportProfile
    #: Pseudonyms of protected persons: a public export says "[withheld]" instead.
    pseudonyms: re.Pattern[str] | None = None

    @property
    def full(self) -> bool:
        return self.profile is ExportProfile.COURT

    @property
    def reader(self) -> Viewer:
        """Whom the export reads the graph as."""
        return SYSTEM if self.full else RENDITION_READER

    @property
    def keeps_retracted(self) -> bool:
        """Retracted claims (and who retracted them, and why) go to court only."""
        return self.full

    def person(self, props: dict[str, Any]) -> dict[str, Any] | None:
        """A person's properties under this profile, or None to leave them out."""
        if self.profile is ExportProfile.PUBLIC and props.get("protected"):
            return None
        return self.text(props)

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
        """Properties with pseudonyms withheld (public only)."""
        if self.pseudonyms is None:
            return props
        return {k: self._value(v) for k, v in props.items()}

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.words(value)
        if isinstance(value, list):
            return [self._value(v) for v in value]
        return value

    def words(self, value: str) -> str:
        """One text with pseudonyms withheld (public only)."""
        if self.pseudonyms is None:
            return value
        return self.pseudonyms.sub(PUBLIC_PLACEHOLDER, value)


def policy_for(profile: ExportProfile, pseudonyms: list[str]) -> ExportPolicy:
    """The policy of a profile, given the pseudonym of every protected person."""
    if profile is not ExportProfile.PUBLIC or not pseudonyms:
        return ExportPolicy(profile)
    # A pseudonym would still tell a public reader that a protected person exists.
    body = "|".join(re.escape(p) for p in sorted(set(pseudonyms), key=len, reverse=True))
    return ExportPolicy(profile, re.compile(rf"(?<!\w)(?:{body})(?!\w)"))
