"""Command charts: who commanded a unit, or ran a facility, on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accountability.domain import liability as rules
from accountability.domain.liability import Certainty, PathClaim
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import NotFound
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.liability.trace import path_claim
from accountability.services.nodes import NodeService
from accountability.services.records import NodeRecord


@dataclass(frozen=True)
class ChartEntry:
    """Someone or something in a chart, by the claim that puts it there."""

    role: str
    node_id: str
    via: str | None  # the unit whose commander this is, for commanders of other units
    claim: PathClaim
    certainty: Certainty


@dataclass(frozen=True)
class Chart:
    subject: NodeRecord
    at: dt.date
    entries: list[ChartEntry]

    def of_role(self, role: str, via: str | None = None) -> list[ChartEntry]:
        return [e for e in self.entries if e.role == role and (via is None or e.via == via)]


class ChartService:
    """Charts of units and facilities on a date."""

    def __init__(self, db: Database, nodes: NodeService) -> None:
        self.db = db
        self.nodes = nodes

    async def _chart(
        self, query: Q, label: NodeLabel, node_id: str, at: dt.date, viewer: Viewer
    ) -> Chart:
        subject = (await self.nodes.get_many([node_id], viewer)).get(node_id)
        if subject is None or subject.label is not label:
            raise NotFound(f"no {label.value.lower()} with id {node_id!r}")
        rows = await self.db.read(query, id=node_id, at=at)
        floor = await self.nodes.masks.floor()
        entries = []
        for row in rows:
            claim = path_claim(row["claim"], viewer, floor)
            entries.append(
                ChartEntry(
                    row["role"], row["node"], row["via"], claim, rules.certainty_on_date(claim)
                )
            )
        entries.sort(key=lambda e: (rules.CERTAINTY_ORDER.index(e.certainty), e.node_id))
        return Chart(subject, at, entries)

    async def unit_chart(self, unit_id: str, at: dt.date, viewer: Viewer) -> Chart:
        """Commanders, parent and child units with theirs, and facilities operated."""
        return await self._chart(Q.UNIT_CHART, NodeLabel.UNIT, unit_id, at, viewer)

    async def facility_chart(self, facility_id: str, at: dt.date, viewer: Viewer) -> Chart:
        """Operating units with their commanders, and the people posted there."""
        return await self._chart(Q.FACILITY_CHART, NodeLabel.FACILITY, facility_id, at, viewer)
