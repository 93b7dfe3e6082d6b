"""Profiles over time: a person's roles and incidents, a victim's path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accountability.domain.liability import PathClaim
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import NotFound
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.nodes import NodeService
from accountability.services.records import NodeRecord
from accountability.services.tracing import IncidentLink, TraceService, path_claim


@dataclass(frozen=True)
class PersonProfile:
    person: NodeRecord
    roles: list[PathClaim]  # memberships, commands, posts, by start date
    incidents: list[IncidentLink]


def by_start(claims: list[PathClaim]) -> list[PathClaim]:
    """Claims in time order; undated ones last, as their place in time is unknown."""
    return sorted(claims, key=lambda c: (c.valid_from is None, c.valid_from or dt.date.min, c.id))


class ProfileService:
    """Profiles built from claims and from the trace."""

    def __init__(self, db: Database, nodes: NodeService, tracing: TraceService) -> None:
        self.db = db
        self.nodes = nodes
        self.tracing = tracing

    async def _get(self, node_id: str, label: NodeLabel, viewer: Viewer) -> NodeRecord:
        record = (await self.nodes.get_many([node_id], viewer)).get(node_id)
        if record is None or record.label is not label:
            raise NotFound(f"no {label.value.lower()} with id {node_id!r}")
        return record

    async def person_profile(self, person_id: str, max_depth: int, viewer: Viewer) -> PersonProfile:
        """Posts, memberships and commands over time, and every incident the person is
        linked to, by mode."""
        person = await self._get(person_id, NodeLabel.PERSON, viewer)
        rows = await self.db.read(Q.PERSON_ROLES, id=person_id)
        roles = by_start([path_claim(r["claim"]) for r in rows])
        incidents = await self.tracing.incidents_of(person_id, max_depth, viewer)
        return PersonProfile(person, roles, incidents)
