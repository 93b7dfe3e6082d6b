"""Who the caller is, so a front-end can show only what its holder may do."""

from __future__ import annotations

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import ExportProfile, Role
from accountability.domain.export_profiles import effective_profile
from accountability.domain.redaction import Viewer


@strawberry.type(description="The caller: the holder of the request's token, and what they may do.")
class Me:
    name: str = strawberry.field(description="The token holder's name, as in the audit log.")
    role: Role = strawberry.field(description="What the caller may see and do.")
    can_write: bool = strawberry.field(
        description="May create nodes, add and retract claims, and build case files."
    )
    cleared: bool = strawberry.field(description="Sees protected identities.")
    is_admin: bool = strawberry.field(description="May read the audit log and imports.")
    export_profile: ExportProfile = strawberry.field(
        description="The most revealing export profile the caller gets (a request for "
        "more is made stricter)."
    )

    @classmethod
    def of(cls, viewer: Viewer) -> Me:
        return cls(
            name=viewer.name,
            role=viewer.role,
            can_write=viewer.can_write,
            cleared=viewer.cleared,
            is_admin=viewer.role is Role.ADMIN,
            export_profile=effective_profile(ExportProfile.COURT, viewer),
        )


@strawberry.type
class MeQuery:
    @strawberry.field(description="Who the caller is, and what they may do.")
    def me(self, info: Info) -> Me:
        return Me.of(info.context.viewer)
