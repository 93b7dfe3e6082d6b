"""Command charts in GraphQL: who commanded a unit, or ran a facility, on a date."""

from __future__ import annotations

import datetime as dt

import strawberry

from accountability.api.context import Info
from accountability.api.types.enums import Certainty
from accountability.api.types.graph import (
    Claim,
    Evidence,
    Facility,
    Node,
    Unit,
    load_evidence,
    load_node,
    node_of,
)
from accountability.services.liability.charts import Chart
from accountability.services.liability.charts import ChartEntry as EntryRecord
from accountability.services.liability.trace import claim_record


@strawberry.type(
    description="Someone or something in a chart, with the claim that puts it "
    "there and how certain it is that the claim held on the date."
)
class ChartEntry:
    claim: Claim
    certainty: Certainty
    node_id: strawberry.Private[str]

    @classmethod
    def of(cls, e: EntryRecord) -> ChartEntry:
        return cls(claim=Claim.of(claim_record(e.claim)), certainty=e.certainty, node_id=e.node_id)

    @strawberry.field
    async def node(self, info: Info) -> Node | None:
        return await load_node(info, self.node_id)

    @strawberry.field(description="The evidence for the claim.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return await load_evidence(info, self.claim.all_evidence_ids)


@strawberry.type(description="A unit in a chart, with its own commanders on the date.")
class ChartUnit(ChartEntry):
    commanders: list[ChartEntry]


def _units(chart: Chart, role: str) -> list[ChartUnit]:
    return [
        ChartUnit(
            claim=Claim.of(claim_record(e.claim)),
            certainty=e.certainty,
            node_id=e.node_id,
            commanders=[ChartEntry.of(c) for c in chart.of_role("UNIT_COMMANDER", e.node_id)],
        )
        for e in chart.of_role(role)
    ]


@strawberry.type(description="A unit's command structure on a date.")
class CommandChart:
    unit: Unit
    at: dt.date
    commanders: list[ChartEntry]
    parents: list[ChartUnit] = strawberry.field(description="The units it was under.")
    children: list[ChartUnit] = strawberry.field(description="The units under it.")
    facilities: list[ChartEntry] = strawberry.field(description="Facilities it operated.")

    @classmethod
    def of(cls, chart: Chart) -> CommandChart:
        unit = node_of(chart.subject)
        assert isinstance(unit, Unit)
        return cls(
            unit=unit,
            at=chart.at,
            commanders=[ChartEntry.of(e) for e in chart.of_role("COMMANDER")],
            parents=_units(chart, "PARENT"),
            children=_units(chart, "CHILD"),
            facilities=[ChartEntry.of(e) for e in chart.of_role("FACILITY")],
        )


@strawberry.type(description="Who ran a facility on a date.")
class FacilityChart:
    facility: Facility
    at: dt.date
    operators: list[ChartUnit] = strawberry.field(
        description="The units operating it, with their commanders."
    )
    command_posts: list[ChartEntry] = strawberry.field(
        description="Directors and commanders posted there."
    )
    posts: list[ChartEntry] = strawberry.field(description="Other people posted there.")

    @classmethod
    def of(cls, chart: Chart) -> FacilityChart:
        facility = node_of(chart.subject)
        assert isinstance(facility, Facility)
        return cls(
            facility=facility,
            at=chart.at,
            operators=_units(chart, "OPERATOR"),
            command_posts=[ChartEntry.of(e) for e in chart.of_role("COMMAND_POST")],
            posts=[ChartEntry.of(e) for e in chart.of_role("POST")],
        )
