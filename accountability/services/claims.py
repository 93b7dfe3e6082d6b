"""Adding, retracting and reading claims; keeping the evidence index in step."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from accountability.domain.claims import (
    ClaimInput,
    claim_row,
    endpoint_problem,
    same_node_problem,
)
from accountability.domain.masking import MaskSet
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import (
    Conflict,
    NotFound,
    Problem,
    ProblemList,
    ValidationFailed,
    problems_from_validation,
)
from accountability.graph.catalog import ADD_BY_CLAIM_TYPE, Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.values import to_native
from accountability.services import audit, cursors
from accountability.services.nodes import NodeService
from accountability.services.permissions import require_write
from accountability.services.protection.masks import claim_rendition_props
from accountability.services.records import ClaimRecord, Page

ALL_TYPES = [t.value for t in ClaimType]
DIRECTIONS = ("OUT", "IN", "BOTH")


def support_rows(claim_id: str, from_id: str, evidence: list[str]) -> list[dict[str, str]]:
    return [{"claim": claim_id, "from": from_id, "evidence": e} for e in evidence]


def _rendered(
    claim_type: ClaimType, rows: list[dict[str, Any]], masks: MaskSet, gen: int
) -> list[dict[str, Any]]:
    return [
        {**r, "props": {**r["props"], **claim_rendition_props(claim_type, r["props"], masks, gen)}}
        for r in rows
    ]


async def write_claims(
    tx: Tx,
    by_type: dict[ClaimType, list[dict[str, Any]]],
    now: str,
    masks: MaskSet,
    gen: int,
    stored: Mapping[str, Sequence[str]] | None = None,
) -> int:
    """Write validated claim rows, grouped by type, each with the rendition of its text
    masked with ``masks`` (version ``gen``), and index their evidence. ``stored``: the
    evidence cited by those among them that are stored, read in this transaction (None:
    read here). A claim new to the graph is created and a stored one updated through its
    key; an evidence edge is created for each item a claim cites for the first time.
    Nothing is merged: a MERGE looks through every relationship of the start node (or of
    the evidence item), and hubs hold thousands."""
    if stored is None:
        ids = [r["id"] for rows in by_type.values() for r in rows]
        found = await tx.run(Q.GET_CLAIMS, ids=ids, public_only=False) if ids else []
        stored = {f["id"]: list(to_native(f["props"]).get("evidence") or []) for f in found}
    written = 0
    supports: list[dict[str, str]] = []
    keys: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    for claim_type, rows in by_type.items():
        if not rows:
            continue
        # Masking is CPU work (a file of thousands of claims): off the event loop.
        rows = await asyncio.to_thread(_rendered, claim_type, rows, masks, gen)
        new = [r for r in rows if r["id"] not in stored]
        if new:
            result = await tx.run(ADD_BY_CLAIM_TYPE[claim_type], rows=new, now=now)
            written += int(result[0]["written"]) if result else 0
        updates.update((r["id"], r) for r in rows if r["id"] in stored)
        for r in rows:
            keys.append(
                {
                    "id": r["id"],
                    "type": claim_type.value,
                    "from": r["from"],
                    "m_gen": r["props"]["m_gen"],
                    "review_open": r["props"]["review_open"],
                }
            )
            cited = stored.get(r["id"], ())
            fresh = [e for e in r["props"]["evidence"] if e not in cited]
            supports.extend(support_rows(r["id"], r["from"], fresh))
    if updates:
        result = await tx.run(Q.UPDATE_CLAIMS, ids=list(updates), rows=updates, now=now)
        written += int(result[0]["written"]) if result else 0
    if keys:
        await tx.run(Q.REGISTER_CLAIM_KEYS, rows=keys)
    if supports:
        await tx.run(Q.LINK_SUPPORT_NEW, rows=supports)
    return written


class ClaimService:
    """Claims between nodes."""

    def __init__(self, db: Database, nodes: NodeService, max_page_size: int = 500) -> None:
        self.db = db
        self.nodes = nodes
        self.max_page_size = max_page_size

    async def get_many(self, ids: list[str], viewer: Viewer) -> dict[str, ClaimRecord]:
        """The claims of these ids that exist for this viewer, as served to them."""
        if not ids:
            return {}
        rows = await self.db.read(
            Q.GET_CLAIMS, ids=list(dict.fromkeys(ids)), public_only=viewer.public_only
        )
        return {row["id"]: ClaimRecord.from_row(row, viewer, row["floor"]) for row in rows}

    async def get(self, claim_id: str, viewer: Viewer) -> ClaimRecord:
        found = await self.get_many([claim_id], viewer)
        if claim_id not in found:
            raise NotFound(f"no claim with id {claim_id!r}")
        return found[claim_id]

    async def check_evidence(self, ids: list[str], where: str, problems: ProblemList) -> None:
        labels = await self.nodes.labels_of(ids)
        for i, eid in enumerate(ids):
            if eid not in labels:
                problems.add(f"{where}[{i}]", f"no evidence item with id {eid!r}")
            elif labels[eid] is not NodeLabel.EVIDENCE:
                problems.add(f"{where}[{i}]", f"{eid!r} is a {labels[eid].value}, not Evidence")

    async def add(self, raw: dict[str, Any], viewer: Viewer) -> ClaimRecord:
        """Add one claim after checking its endpoints, type and evidence; all or nothing."""
        require_write(viewer)
        try:
            claim = ClaimInput.model_validate(raw)
        except ValidationError as exc:
            raise ValidationFailed.of(problems_from_validation(exc, "input")) from None
        claim_id = claim.id or f"claim-{uuid.uuid4().hex[:16]}"
        problems = ProblemList()
        labels = await self.nodes.labels_of([claim.from_id, claim.to_id])
        for field, node_id in (("from", claim.from_id), ("to", claim.to_id)):
            if node_id not in labels:
                problems.add(f"input.{field}", f"no node with id {node_id!r}")
        if same := same_node_problem(claim):
            problems.add("input.to", same)
        if claim.from_id in labels and claim.to_id in labels:
            why = endpoint_problem(claim.type, labels[claim.from_id], labels[claim.to_id])
            if why:
                problems.add("input.type", why)
        await self.check_evidence(claim.evidence, "input.evidence", problems)
        problems.raise_if_any()
        row = claim_row(claim, claim_id)
        used = 0

        async def work(tx: Tx) -> None:
            nonlocal used
            # A chosen id is checked in the writing transaction: a claim or node given it
            # by another writer meanwhile is a conflict, never merged into.
            if claim.id and (
                await tx.run(Q.GET_CLAIMS, ids=[claim_id], public_only=False)
                or await tx.run(Q.GET_NODE_LABELS, ids=[claim_id])
            ):
                in_use = f"{claim_id!r} is already in use"
                raise Conflict(in_use, [Problem("input.id", in_use)])
            gen, masks = await self.nodes.masks.current(tx)
            used = gen
            # The id was free (checked above, or made here): nothing to look for.
            await write_claims(tx, {claim.type: [row]}, now_iso(), masks, gen, stored={})
            await audit.append(
                tx,
                viewer,
                "add_claim",
                [claim_id, claim.from_id, claim.to_id],
                f"added a {claim.type.value} claim",
            )

        await self.db.write(work)
        await self.nodes.masks.catch_up(used)
        return await self.get(claim_id, viewer)

    async def retract(self, claim_id: str, reason: str, viewer: Viewer) -> ClaimRecord:
        """Withdraw a claim: it stays in the graph, marked, and stops counting."""
        require_write(viewer)
        if not reason.strip():
            raise ValidationFailed.of([Problem("reason", "a retraction needs a reason")])
        current = await self.get(claim_id, viewer)
        if current.retracted:
            raise Conflict(f"claim {claim_id!r} is already retracted")
        used = 0

        async def work(tx: Tx) -> None:
            nonlocal used
            done = await tx.run(
                Q.RETRACT_CLAIM, id=claim_id, by=viewer.name, reason=reason.strip(), now=now_iso()
            )
            if not done:  # retracted meanwhile: roll back, so no audit entry either
                raise Conflict(f"claim {claim_id!r} is already retracted")
            # The reason is free text: its rendition is stored in the same transaction.
            used = await self.nodes.masks.render_claims(tx, [claim_id])
            # The reason is kept on the claim, not in the log: it is free text.
            await audit.append(tx, viewer, "retract_claim", [claim_id], "retracted a claim")

        await self.db.write(work)
        await self.nodes.masks.catch_up(used)
        return await self.get(claim_id, viewer)

    async def attach_evidence(
        self, claim_id: str, evidence: list[str], viewer: Viewer
    ) -> ClaimRecord:
        """Add supporting evidence items to a claim."""
        require_write(viewer)
        problems = ProblemList()
        if not evidence:
            problems.add("evidence", "name at least one evidence item")
        await self.check_evidence(evidence, "evidence", problems)
        problems.raise_if_any()
        current = await self.get(claim_id, viewer)

        async def work(tx: Tx) -> None:
            await tx.run(Q.ATTACH_EVIDENCE, id=claim_id, evidence=evidence, now=now_iso())
            await tx.run(Q.LINK_SUPPORT, rows=support_rows(claim_id, current.from_id, evidence))
            await audit.append(
                tx,
                viewer,
                "attach_evidence",
                [claim_id, *evidence],
                f"attached {len(evidence)} evidence items",
            )

        await self.db.write(work)
        return await self.get(claim_id, viewer)

    def _page_args(self, first: int, after: str | None) -> tuple[int, str | None]:
        cursors.check_page_size(first, self.max_page_size)
        return first, cursors.decode(after, 1)[0] if after is not None else None

    async def for_nodes(
        self,
        node_ids: list[str],
        direction: str,
        types: list[ClaimType] | None,
        include_retracted: bool,
        first: int,
        after: str | None,
        viewer: Viewer,
    ) -> dict[str, Page[ClaimRecord]]:
        """A page of each node's claims, in one query for all of them."""
        if direction not in DIRECTIONS:
            raise ValidationFailed.of([Problem("direction", "must be OUT, IN or BOTH")])
        first, after_id = self._page_args(first, after)
        rows = await self.db.read(
            Q.LIST_NODE_CLAIMS,
            ids=node_ids,
            direction=direction,
            types=[t.value for t in types] if types else ALL_TYPES,
            include_retracted=include_retracted,
            after=after_id,
            limit=first + 1,
            public_only=viewer.public_only,
        )
        return self._pages(node_ids, rows, first, viewer)

    async def for_evidence(
        self,
        evidence_ids: list[str],
        include_retracted: bool,
        first: int,
        after: str | None,
        viewer: Viewer,
    ) -> dict[str, Page[ClaimRecord]]:
        """A page of the claims each evidence item supports."""
        first, after_id = self._page_args(first, after)
        rows = await self.db.read(
            Q.LIST_EVIDENCE_CLAIMS,
            ids=evidence_ids,
            include_retracted=include_retracted,
            after=after_id,
            limit=first + 1,
            public_only=viewer.public_only,
        )
        return self._pages(evidence_ids, rows, first, viewer)

    @staticmethod
    def _pages(
        keys: list[str], rows: list[dict[str, Any]], first: int, viewer: Viewer
    ) -> dict[str, Page[ClaimRecord]]:
        grouped: dict[str, list[ClaimRecord]] = defaultdict(list)
        for row in rows:
            grouped[row["node"]].append(ClaimRecord.from_row(row, viewer, row["floor"]))
        pages = {}
        for key in keys:
            claims = sorted(grouped.get(key, []), key=lambda c: c.id)
            shown = claims[:first]
            pages[key] = Page(
                items=shown,
                cursors=cursors.Lazy([(c.id,) for c in shown]),
                has_next=len(claims) > first,
            )
        return pages
