"""Look-ahead reads (docs/design.md, "Look-ahead reads"): pages of claims of several
nodes for several sets of arguments, the nodes at the claims' other ends and the evidence
items they cite, in one statement (``ahead/claims_ahead``) instead of one a kind and level.

Nothing here decides what a reader sees. The statement keeps the filters of the
statements it stands for (``claim/list_node_claims``, ``node/get_nodes``), and its rows
go through the same projections as theirs — ``ClaimService._pages`` (so
``ClaimRecord.from_row``) for claims, ``NodeRecord.served`` for nodes — and the same
audit of protected records read by a cleared reader, so that a reader is served exactly
what the separate reads would serve them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.errors import AccountabilityError
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.claims import ALL_TYPES, ClaimService
from accountability.services.nodes import NodeService
from accountability.services.records import ClaimRecord, NodeRecord, Page


@dataclass(frozen=True)
class ClaimSpec:
    """The arguments of one ``claims`` field (which claims, which page of them), and
    what its selection reads beyond the claims: their other ends, their evidence."""

    direction: str
    types: tuple[ClaimType, ...] | None
    include_retracted: bool
    first: int
    after: str | None
    ends: bool = False
    evidence: bool = False
    #: The ``claims`` fields selected on the nodes at the other ends, each with the
    #: labels it is selected on (None: any): read for those nodes with this page, so that
    #: a nested query costs one statement a level before its fields resolve.
    then: tuple[tuple[frozenset[NodeLabel] | None, ClaimSpec], ...] = ()


@dataclass(frozen=True)
class Ahead:
    """What one look-ahead read found."""

    #: The page of claims of each (node id, spec) asked for.
    pages: dict[tuple[str, ClaimSpec], Page[ClaimRecord]]
    #: Every node the separate reads would have looked up — the nodes asked for, the
    #: other end of each claim served, the evidence it cites, as its spec asks — as this
    #: reader is served it by ``NodeService.get_many``; None where that gives nothing.
    nodes: dict[str, NodeRecord | None]
    #: Specs whose arguments were refused, with the error ``ClaimService.for_nodes``
    #: gives for them.
    refused: dict[ClaimSpec, AccountabilityError]


class NestedReads:
    """Nodes, their claims and the claims' ends, read together for nested queries."""

    def __init__(self, db: Database, nodes: NodeService, claims: ClaimService) -> None:
        self.db = db
        self.nodes = nodes
        self.claims = claims

    async def claims_ahead(
        self,
        asks: list[tuple[str, ClaimSpec]],
        viewer: Viewer,
        lookup: list[str] | None = None,
        label: NodeLabel | None = None,
    ) -> Ahead:
        """For every (node id, spec) asked, the page ``ClaimService.for_nodes`` gives,
        with the nodes the spec reads beyond it. With ``lookup``, those nodes themselves
        too, and then the claims only of those served, and of ``label`` if one is given:
        a lookup of another label, or of nothing, reads no further."""
        refused: dict[ClaimSpec, AccountabilityError] = {}
        accepted: dict[ClaimSpec, tuple[int, str | None]] = {}
        for spec in dict.fromkeys(spec for _, spec in asks):
            try:
                # The same checks, so the same errors, as ClaimService.for_nodes.
                _, after_id = self.claims._page_args(spec.first, spec.after)
            except AccountabilityError as exc:
                refused[spec] = exc
                continue
            accepted[spec] = (len(accepted), after_id)
        wanted_pages = list(dict.fromkeys((n, s) for n, s in asks if s in accepted))
        ids = list(dict.fromkeys(lookup or []))
        if not wanted_pages and not ids:
            return Ahead(pages={}, nodes={}, refused=refused)
        rows = await self.db.read(
            Q.CLAIMS_AHEAD,
            asks=[{"id": n, "spec": accepted[s][0]} for n, s in wanted_pages],
            specs=[
                {
                    "types": [t.value for t in spec.types] if spec.types else ALL_TYPES,
                    "direction": spec.direction,
                    "include_retracted": spec.include_retracted,
                    "after": after_id,
                    "ends": spec.ends,
                    "evidence": spec.evidence,
                }
                for spec, (_, after_id) in accepted.items()
            ],
            limit=max((spec.first for spec in accepted), default=0) + 1,
            ids=ids,
            cleared=viewer.cleared,
            public_only=viewer.public_only,
        )
        row: dict[str, Any] = rows[0] if rows else {"claims": [], "nodes": [], "floor": 0}
        floor = row["floor"]
        by_ask: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for claim in row["claims"]:
            by_ask[(claim["node"], claim["spec"])].append({**claim, "floor": floor})
        found = {n["id"]: {**n, "floor": floor} for n in row["nodes"]}
        served = {i: NodeRecord.served(found[i], viewer) if i in found else None for i in ids}
        dropped = {
            i for i, rec in served.items() if rec is None or (label and rec.label is not label)
        }
        pages: dict[tuple[str, ClaimSpec], Page[ClaimRecord]] = {}
        # What the separate reads would have looked up: the nodes asked for, and for
        # each claim served, its other end and the evidence it cites, as its spec asks.
        # The statement looked all of these up (and those of the claim after each page).
        looked_up: list[str] = list(ids)
        for node_id, spec in wanted_pages:
            if node_id in dropped:
                continue
            index, _ = accepted[spec]
            page = self.claims._pages([node_id], by_ask[(node_id, index)], spec.first, viewer)[
                node_id
            ]
            pages[(node_id, spec)] = page
            for record in page.items:
                if spec.ends:
                    outgoing = record.from_id == node_id
                    looked_up.append(record.to_id if outgoing else record.from_id)
                if spec.evidence:
                    looked_up.extend(record.evidence)
        wanted = list(dict.fromkeys(looked_up))
        # The same audit as NodeService.get_many, of the nodes served.
        await self.nodes._audit_protected_reads([found[i] for i in wanted if i in found], viewer)
        nodes = {i: NodeRecord.served(found[i], viewer) if i in found else None for i in wanted}
        ahead = Ahead(pages=pages, nodes=nodes, refused=refused)
        return await self._then(ahead, viewer)

    async def _then(self, ahead: Ahead, viewer: Viewer) -> Ahead:
        """The next level: for each page whose spec selects claims on the nodes at its
        other ends, those nodes' pages (of the labels selected), in one more statement
        for every page of this level together; and so on down."""
        asks: list[tuple[str, ClaimSpec]] = []
        for (node_id, spec), page in ahead.pages.items():
            for labels, nested in spec.then:
                for record in page.items:
                    other = record.to_id if record.from_id == node_id else record.from_id
                    served = ahead.nodes.get(other)
                    if served is not None and (labels is None or served.label in labels):
                        asks.append((other, nested))
        if not asks:
            return ahead
        deeper = await self.claims_ahead(list(dict.fromkeys(asks)), viewer)
        return Ahead(
            pages={**deeper.pages, **ahead.pages},
            nodes={**deeper.nodes, **ahead.nodes},
            refused={**deeper.refused, **ahead.refused},
        )
