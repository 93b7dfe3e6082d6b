"""Checks of what a role may do, applied in the services (not only in resolvers), so
every way in — GraphQL, the command line — obeys them."""

from __future__ import annotations

from accountability.domain.redaction import Viewer
from accountability.errors import Forbidden


def require_write(viewer: Viewer) -> None:
    if not viewer.can_write:
        raise Forbidden(f"the {viewer.role.value} role cannot change the graph")


def require_export(viewer: Viewer) -> None:
    if not viewer.can_export:
        raise Forbidden(f"the {viewer.role.value} role cannot export")
