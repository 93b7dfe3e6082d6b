"""Who may see and do what: roles, and the viewer a request acts as. What a viewer
without clearance is served is computed at write time (domain/renditions.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles (docs/design.md, "Roles"), from least to most trusted."""

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
    #: Reads as an uncleared role would whatever the role: the local operator of the
    #: command line may import and administer, but is not cleared to see who is protected.
    masked: bool = False

    @property
    def key(self) -> str:
        """Who this is, for ownership checks."""
        return self.principal or f"name:{self.name}"

    @property
    def cleared(self) -> bool:
        """May see protected identities."""
        return self.role in (Role.PROSECUTOR, Role.ADMIN) and not self.masked

    @property
    def can_write(self) -> bool:
        return self.role in (Role.INVESTIGATOR, Role.ADMIN)

    @property
    def public_only(self) -> bool:
        """Sees only public-classified evidence."""
        return self.role is Role.VIEWER


ANONYMOUS = Viewer(name="anonymous", role=Role.VIEWER)
SYSTEM = Viewer(name="system", role=Role.ADMIN)
#: The command line without a token: the holder of the database credentials. Writes and
#: imports as an admin; reads, like an analyst, see protected identities by pseudonym.
OPERATOR = Viewer(name="operator", role=Role.ADMIN, masked=True)
