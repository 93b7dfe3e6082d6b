"""Checks of what a role may do, applied in the services (not only in resolvers), so
every way in — GraphQL, the command line — obeys them."""

from __future__ import annotations

from accountability.domain.redaction import Role, Viewer
from accountability.errors import Forbidden


def require_write(viewer: Viewer) -> None:
    if not viewer.can_write:
        raise Forbidden(f"the {viewer.role.value} role cannot change the graph")


def require_graph_export(viewer: Viewer) -> None:
    """The whole graph, unredacted, leaves only with a cleared admin: it is what a
    re-import restores, so it is never a rendition (the command line without a token is
    not cleared; give it an admin's token)."""
    if viewer.role is not Role.ADMIN or not viewer.cleared:
        raise Forbidden("only an admin may export the whole graph (with an admin's token)")


def require_full_read(viewer: Viewer) -> None:
    """Checks over the whole graph (the consistency check) read every claim, whatever
    evidence it cites: a viewer, who sees public evidence only, may not run them."""
    if viewer.public_only:
        raise Forbidden(f"the {viewer.role.value} role cannot run checks over the whole graph")
