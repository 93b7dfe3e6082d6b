"""Who may see and do what: roles, and protected identities replaced by pseudonyms."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

#: Fields of a protected person that could identify them.
IDENTIFYING_FIELDS = ("aliases", "birth_year", "gender", "nationality")


class Role(StrEnum):
    """Roles of DESIGN.md, from least to most trusted."""

    VIEWER = "viewer"  # public data only
    ANALYST = "analyst"  # reads all; protected identities pseudonymized
    INVESTIGATOR = "investigator"  # reads and writes; protected identities pseudonymized
    PROSECUTOR = "prosecutor"  # reads all, protected identities included; exports
    ADMIN = "admin"


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and so what they may see and do."""

    name: str
    role: Role = Role.VIEWER
    #: Exactly which credential: a token's id or a JWT's issuer and subject (names need
    #: not be unique). Empty for the local operator.
    principal: str = ""

    @property
    def key(self) -> str:
        """Who this is, for ownership checks."""
        return self.principal or f"name:{self.name}"

    @property
    def cleared(self) -> bool:
        """May see protected identities."""
        return self.role in (Role.PROSECUTOR, Role.ADMIN)

    @property
    def can_write(self) -> bool:
        return self.role in (Role.INVESTIGATOR, Role.ADMIN)

    @property
    def public_only(self) -> bool:
        """Sees only public-classified evidence."""
        return self.role is Role.VIEWER


ANONYMOUS = Viewer(name="anonymous", role=Role.VIEWER)
SYSTEM = Viewer(name="system", role=Role.ADMIN)


def redact_person(props: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """A person's properties as this viewer may see them."""
    if viewer.cleared or not props.get("protected"):
        return props
    out = dict(props)
    out["name"] = props.get("pseudonym") or "Protected person"
    for key in IDENTIFYING_FIELDS:
        out[key] = [] if key == "aliases" else None
    return out


#: Fields of protected evidence withheld from roles without clearance.
PROTECTED_EVIDENCE_FIELDS = ("title", "source")
WITHHELD_TITLE = "Protected evidence item"


def evidence_visible(props: dict[str, Any], viewer: Viewer) -> bool:
    """Whether the viewer may know the evidence item exists at all."""
    return not viewer.public_only or props.get("classification") == "public"


def redact_evidence(props: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """An evidence item's properties as this viewer may see them."""
    if viewer.cleared or props.get("classification") != "protected":
        return props
    out = dict(props)
    out["title"] = WITHHELD_TITLE
    out["source"] = None
    return out
