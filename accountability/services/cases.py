"""Case files: the entities a prosecutor gathers, as INCLUDES claims from the Case node.
Removing an entity retracts its INCLUDES claim, so the file's history is kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from accountability.domain.claims import ClaimInput, claim_row
from accountability.domain.liability import Mode
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, NodeLabel
from accountability.errors import NotFound, Problem, ProblemList, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit, cursors
from accountability.services.claims import ClaimService, write_claims
from accountability.services.liability.trace import TraceService
from accountability.services.nodes import NodeService
from accountability.services.permissions import require_write
from accountability.services.records import NodeRecord

#: The incident's own claims whose other ends join a case added from its trace.
_INCIDENT_CONTEXT = [ClaimType.OCCURRED_AT.value, ClaimType.VICTIM.value]


class _Unchanged(Exception):
    """Rolls back a case change that, read inside its transaction, changes nothing (the
    case's lock was taken), so that it leaves no audit entry."""


def _inclusion(case_id: str, entity_id: str) -> dict[str, Any]:
    return claim_row(
        ClaimInput.model_validate(
            {
                "type": ClaimType.INCLUDES,
                "from": case_id,
                "to": entity_id,
                "confidence": Confidence.HIGH,
                "date_precision": DatePrecision.EXACT,
            }
        ),
        f"includes-{uuid.uuid4().hex[:16]}",
    )


@dataclass(frozen=True)
class CaseChange:
    """What an add or a remove did."""

    case_id: str
    changed: list[str]  # entity ids added or removed
    unchanged: list[str]  # already in (add) or not in (remove) the case


@dataclass(frozen=True)
class Member:
    id: str
    label: NodeLabel
    claim_id: str


async def _locked_inclusions(
    tx: Tx, case_id: str, ids: list[str], now: str
) -> list[dict[str, Any]]:
    """Lock the case (a write to it), then read the standing inclusions of ``ids``: what
    a concurrent add or remove, from any process, committed before is seen."""
    if not await tx.run(Q.LOCK_CASE, case=case_id, now=now):
        raise NotFound(f"no case with id {case_id!r}")
    return await tx.run(Q.STANDING_INCLUSIONS, case=case_id, ids=ids)


class CaseService:
    """Create case files, add and remove their entities, list them."""

    def __init__(
        self, db: Database, nodes: NodeService, claims: ClaimService, tracing: TraceService
    ) -> None:
        self.db = db
        self.nodes = nodes
        self.claims = claims
        self.tracing = tracing

    async def require_case(self, case_id: str) -> None:
        labels = await self.nodes.labels_of([case_id])
        if case_id not in labels:
            raise NotFound(f"no case with id {case_id!r}")
        if labels[case_id] is not NodeLabel.CASE:
            raise ValidationFailed.of(
                [Problem("caseId", f"{case_id!r} is a {labels[case_id].value}, not a Case")]
            )

    async def members(self, case_id: str) -> list[Member]:
        """Every entity in the case (removed ones left out), in id order."""
        await self.require_case(case_id)
        rows = await self.db.read(Q.LIST_CASE_MEMBERS, case=case_id)
        return [Member(r["id"], NodeLabel(r["label"]), r["claim"]) for r in rows]

    async def member_page(
        self,
        case_id: str,
        label: NodeLabel | None,
        first: int,
        after: str | None,
        viewer: Viewer,
    ) -> tuple[list[str], bool]:
        """One page of member ids (keyset by id) and whether more follow."""
        cursors.check_page_size(first, self.nodes.max_page_size)
        after_id = cursors.decode(after, 1)[0] if after else None
        rows = await self.db.read(
            Q.PAGE_CASE_MEMBERS,
            case=case_id,
            label=label.value if label else None,
            after=after_id,
            limit=first + 1,
            public_only=viewer.public_only,
        )
        ids = [r["id"] for r in rows]
        return ids[:first], len(ids) > first

    async def counts(self, case_id: str, viewer: Viewer) -> dict[NodeLabel, int]:
        rows = await self.db.read(
            Q.COUNT_CASE_MEMBERS, case=case_id, public_only=viewer.public_only
        )
        return {NodeLabel(r["label"]): int(r["count"]) for r in rows}

    async def add(self, viewer: Viewer, case_id: str, ids: list[str]) -> CaseChange:
        """Add entities by id; a claim's id adds both its ends and its evidence."""
        require_write(viewer)
        await self.require_case(case_id)
        problems = ProblemList()
        wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
        if not wanted:
            problems.add("ids", "name at least one entity or claim")
        labels = await self.nodes.labels_of(wanted)
        claims = await self.claims.get_many([i for i in wanted if i not in labels], viewer)
        expanded: list[str] = []
        for i, entity_id in enumerate(wanted):
            if entity_id in labels:
                expanded.append(entity_id)
            elif entity_id in claims:
                claim = claims[entity_id]
                expanded += [claim.from_id, claim.to_id, *claim.evidence]
            else:
                problems.add(f"ids[{i}]", f"no entity or claim with id {entity_id!r}")
        if case_id in expanded:
            problems.add("ids", "a case cannot include itself")
        problems.raise_if_any()
        return await self._include(viewer, case_id, expanded, "case_add")

    async def add_from_trace(
        self,
        viewer: Viewer,
        case_id: str,
        incident_id: str,
        max_depth: int = 6,
        include_leads: bool = False,
    ) -> CaseChange:
        """Add an incident with where it happened, its victims, and every person its
        trace links to it, with each path's nodes and evidence."""
        require_write(viewer)
        await self.require_case(case_id)
        ids = await self.trace_entities(viewer, incident_id, max_depth, include_leads)
        return await self._include(viewer, case_id, ids, "case_add_trace")

    async def trace_entities(
        self, viewer: Viewer, incident_id: str, max_depth: int, include_leads: bool
    ) -> list[str]:
        """The entities a trace brings in: the incident, its place and victims, every
        linked person, each strongest path's nodes and its evidence."""
        result = await self.tracing.trace(incident_id, max_depth, viewer)
        ids = [incident_id]
        rows = await self.db.read(Q.CLAIMS_FROM_NODES, ids=[incident_id], types=_INCIDENT_CONTEXT)
        ids += [r["to"] for r in rows if not r["props"].get("retracted_at")]
        for link in result.links:
            if link.mode is Mode.PRESENT and not include_leads:
                continue
            ids += [link.person_id, *link.path.nodes, *link.path.evidence]
        return list(dict.fromkeys(ids))

    async def _include(
        self, viewer: Viewer, case_id: str, ids: list[str], action: str
    ) -> CaseChange:
        ids = list(dict.fromkeys(ids))
        wanted = [i for i in ids if i != case_id]
        new: list[str] = []
        used = 0

        async def work(tx: Tx) -> None:
            nonlocal new, used
            # Members are read after the case is locked, in the transaction that writes:
            # a concurrent add of the same entity, from any process, is seen, not doubled.
            now = now_iso()
            standing = await _locked_inclusions(tx, case_id, wanted, now)
            present = {r["id"] for r in standing}
            new = [i for i in wanted if i not in present]
            if not new:
                raise _Unchanged
            rows = [_inclusion(case_id, entity_id) for entity_id in new]
            gen, masks = await self.nodes.masks.current(tx)
            used = gen
            # The claims' ids were made here: nothing stored to look for.
            await write_claims(tx, {ClaimType.INCLUDES: rows}, now, masks, gen, stored={})
            await audit.append(
                tx, viewer, action, [case_id, *new], f"added {len(new)} entities to a case"
            )

        try:
            await self.db.write(work)
        except _Unchanged:
            new = []
        else:
            await self.nodes.masks.catch_up(used)
        return CaseChange(case_id, new, [i for i in ids if i not in new])

    async def remove(self, viewer: Viewer, case_id: str, ids: list[str], reason: str) -> CaseChange:
        """Take entities out of the case: their INCLUDES claims are retracted, not deleted."""
        require_write(viewer)
        if not reason.strip():
            raise ValidationFailed.of([Problem("reason", "say why the entities are removed")])
        await self.require_case(case_id)
        wanted = list(dict.fromkeys(ids))
        gone: list[str] = []
        used = 0

        async def work(tx: Tx) -> None:
            nonlocal gone, used
            # Read after the case is locked, in the transaction that retracts: of two
            # concurrent removes, the second finds nothing left to retract.
            now = now_iso()
            standing = await _locked_inclusions(tx, case_id, wanted, now)
            if not standing:
                raise _Unchanged
            # Every standing inclusion of each entity, should an older write have left two.
            rows = [{"entity": r["id"], "claim": r["claim"]} for r in standing]
            await tx.run(
                Q.RETRACT_INCLUSIONS,
                case=case_id,
                rows=rows,
                by=viewer.name,
                reason=reason.strip(),
                now=now,
            )
            found = {r["entity"] for r in rows}
            gone = [i for i in wanted if i in found]
            # The reason is free text: its rendition, in the same transaction.
            used = await self.nodes.masks.render_claims(tx, [r["claim"] for r in rows])
            await audit.append(
                tx,
                viewer,
                "case_remove",
                [case_id, *gone],
                f"removed {len(gone)} entities from a case",
            )

        try:
            await self.db.write(work)
        except _Unchanged:
            gone = []
        else:
            await self.nodes.masks.catch_up(used)
        return CaseChange(case_id, gone, [i for i in wanted if i not in gone])

    async def create(
        self, viewer: Viewer, properties: dict[str, Any], case_id: str | None = None
    ) -> NodeRecord:
        """A new, empty case file."""
        return await self.nodes.create(NodeLabel.CASE, properties, viewer, case_id)
