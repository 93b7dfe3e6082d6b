"""Write operations: every one validates first and writes all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from accountability.api.context import Info
from accountability.api.types.admin import AdminMutation
from accountability.api.types.custody import CustodyEvent
from accountability.api.types.enums import (
    ClaimType,
    Confidence,
    DatePrecision,
    ExportProfile,
    NodeLabel,
)
from accountability.api.types.exports import CaseChange, ExportJob
from accountability.api.types.graph import CaseFile, Claim, Node, node_of
from accountability.api.types.merges import PersonMerge, PersonUnmerge
from accountability.api.types.protection import ProtectionMutation
from accountability.domain import vocabulary as v
from accountability.errors import Problem, ValidationFailed
from accountability.services.exports.service import Scope
from accountability.services.resolution.merges import MergeService


@strawberry.input(description="A new claim between two existing nodes.")
class ClaimInput:
    type: ClaimType
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    id: strawberry.ID | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.APPROXIMATE
    confidence: Confidence = Confidence.LOW
    evidence: list[strawberry.ID] = strawberry.field(default_factory=list)
    properties: JSON | None = strawberry.field(
        default=None,
        description="rank/title (MEMBER_OF), role/command (POSTED_AT), contribution "
        "(AIDED), how (NOTIFIED and TOOK_MEASURES: free text; EXERCISED_CONTROL: one of "
        "issued_orders, disciplined, appointed, dismissed, approved_transfer, signed_reports, "
        "other).",
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "from": self.from_,
            "to": self.to,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "date_precision": self.date_precision,
            "confidence": self.confidence,
            "evidence": [str(e) for e in self.evidence],
            "properties": self.properties or {},
        }


@strawberry.type
class NodeMutation:
    @strawberry.mutation(
        description="Create a node. properties are the label's fields in snake_case, as in "
        "the interchange format; an id is generated when none is given."
    )
    async def create_node(
        self, info: Info, label: NodeLabel, properties: JSON, id: strawberry.ID | None = None
    ) -> Node:
        ctx = info.context
        record = await ctx.services.nodes.create(
            v.NodeLabel(label), _object(properties), ctx.viewer, str(id) if id else None
        )
        return node_of(record)

    @strawberry.mutation(
        description="Change some of a node's properties; a null value removes one."
    )
    async def update_node(self, info: Info, id: strawberry.ID, properties: JSON) -> Node:
        ctx = info.context
        record = await ctx.services.nodes.update(str(id), _object(properties), ctx.viewer)
        return node_of(record)

    @strawberry.mutation(description="Add a claim; endpoints, type and evidence are checked.")
    async def add_claim(self, info: Info, input: ClaimInput) -> Claim:
        ctx = info.context
        return Claim.of(await ctx.services.claims.add(input.as_dict(), ctx.viewer))

    @strawberry.mutation(
        description="Retract a claim: it is kept, marked with who, why and when, and no "
        "longer counts. Correct a claim by retracting it and adding a new one."
    )
    async def retract_claim(self, info: Info, id: strawberry.ID, reason: str) -> Claim:
        ctx = info.context
        return Claim.of(await ctx.services.claims.retract(str(id), reason, ctx.viewer))

    @strawberry.mutation(description="Add supporting evidence items to a claim.")
    async def attach_evidence(
        self, info: Info, claim_id: strawberry.ID, evidence_ids: list[strawberry.ID]
    ) -> Claim:
        ctx = info.context
        record = await ctx.services.claims.attach_evidence(
            str(claim_id), [str(e) for e in evidence_ids], ctx.viewer
        )
        return Claim.of(record)


@strawberry.type
class CustodyMutation:
    @strawberry.mutation(
        description="Record a custody event (received, transferred, checked, copied); a "
        "sha256 given is compared with the item's recorded hash."
    )
    async def record_custody(
        self,
        info: Info,
        evidence_id: strawberry.ID,
        action: str,
        from_party: str | None = None,
        to_party: str | None = None,
        sha256: str | None = None,
        note: str | None = None,
    ) -> CustodyEvent:
        ctx = info.context
        event = await ctx.services.evidence_files.record(
            str(evidence_id), action, ctx.viewer, from_party, to_party, sha256, note
        )
        return CustodyEvent.of(event)


@strawberry.type
class CaseMutation:
    @strawberry.mutation(description="Create an empty case file.")
    async def create_case(
        self,
        info: Info,
        title: str,
        jurisdiction: str | None = None,
        status: str | None = None,
        id: strawberry.ID | None = None,
    ) -> CaseFile:
        ctx = info.context
        props = {"title": title, "jurisdiction": jurisdiction, "status": status}
        record = await ctx.services.cases.create(
            ctx.viewer, {k: v for k, v in props.items() if v is not None}, str(id) if id else None
        )
        node = node_of(record)
        assert isinstance(node, CaseFile)
        return node

    @strawberry.mutation(
        description="Add entities to a case by id; a claim's id adds both its ends and its "
        "evidence. Adding what is already in the case changes nothing."
    )
    async def add_to_case(
        self, info: Info, case_id: strawberry.ID, ids: list[strawberry.ID]
    ) -> CaseChange:
        ctx = info.context
        change = await ctx.services.cases.add(ctx.viewer, str(case_id), [str(i) for i in ids])
        return CaseChange.of(change)

    @strawberry.mutation(
        description="Add an incident to a case from its trace: the incident, where it "
        "happened, its victims, every person linked to it and each path's nodes and "
        "evidence. includeLeads also adds persons only PRESENT."
    )
    async def add_trace_to_case(
        self,
        info: Info,
        case_id: strawberry.ID,
        incident_id: strawberry.ID,
        max_depth: int = 6,
        include_leads: bool = False,
    ) -> CaseChange:
        ctx = info.context
        change = await ctx.services.cases.add_from_trace(
            ctx.viewer, str(case_id), str(incident_id), max_depth, include_leads
        )
        return CaseChange.of(change)

    @strawberry.mutation(
        description="Take entities out of a case. Their inclusion is retracted with the "
        "reason, and kept."
    )
    async def remove_from_case(
        self, info: Info, case_id: strawberry.ID, ids: list[strawberry.ID], reason: str
    ) -> CaseChange:
        ctx = info.context
        change = await ctx.services.cases.remove(
            ctx.viewer, str(case_id), [str(i) for i in ids], reason
        )
        return CaseChange.of(change)


@strawberry.type
class MergeMutation:
    @strawberry.mutation(
        description="Merge two records of one person (investigators and admins): every "
        "claim of dropId moves to keepId with its id, the dropped names become aliases, "
        "the stricter protection wins, and dropId answers the kept person from then on. "
        "Refused for a pair judged different. Merging a protected person needs clearance."
    )
    async def merge_persons(
        self, info: Info, keep_id: strawberry.ID, drop_id: strawberry.ID, reason: str
    ) -> PersonMerge:
        ctx = info.context
        report = await _merges(info).merge(ctx.viewer, str(keep_id), str(drop_id), reason)
        return PersonMerge.of(report)

    @strawberry.mutation(
        description="Undo a merge exactly: the dropped person back, each moved claim back "
        "at it with its id, the kept person's names and protection as before. Refused, "
        "saying why, when the kept person or a moved claim changed so that it cannot be exact."
    )
    async def unmerge_persons(self, info: Info, merge_id: strawberry.ID) -> PersonUnmerge:
        ctx = info.context
        return PersonUnmerge.of(await _merges(info).unmerge(ctx.viewer, str(merge_id)))


def _merges(info: Info) -> MergeService:
    services = info.context.services
    return MergeService(services.db, services.nodes, services.masks)


@strawberry.type
class ExportMutation:
    @strawberry.mutation(
        description="Start an export of a case (caseId), of an incident's trace "
        "(incidentId), or of the whole graph (neither; admins only). It runs in the "
        "background; follow it with exportJob and download the bundle from downloadUrl."
    )
    async def start_export(
        self,
        info: Info,
        profile: ExportProfile = ExportProfile.COURT,
        case_id: strawberry.ID | None = None,
        incident_id: strawberry.ID | None = None,
        max_depth: int = 6,
        with_originals: Annotated[
            bool,
            strawberry.argument(
                description="Court bundles of a case or trace: add the evidence originals "
                "under originals/sha256/, each checked against its recorded hash."
            ),
        ] = False,
    ) -> ExportJob:
        ctx = info.context
        if case_id and incident_id:
            raise ValidationFailed.of(
                [Problem("incidentId", "give caseId or incidentId, not both")]
            )
        scope = Scope(
            "case" if case_id else "trace" if incident_id else "graph",
            str(case_id or incident_id) if case_id or incident_id else None,
            max_depth=max_depth,
            with_originals=with_originals,
        )
        job = await ctx.services.export_jobs.start(ctx.viewer, scope, profile)
        return ExportJob.of(job)


def _object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationFailed.of([Problem("properties", "must be a JSON object")])
    return value


@strawberry.type
class Mutation(
    NodeMutation,
    CustodyMutation,
    CaseMutation,
    ExportMutation,
    ProtectionMutation,
    MergeMutation,
    AdminMutation,
):
    """Every write operation."""
