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
from collections.abc import Sequence
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

    def __hash__(self) -> int:
        # Specs key every page of a look-ahead read, looked up once a claim and level:
        # the hash of the nested ``then`` is worked out once, not at each lookup.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            fields = (self.direction, self.types, self.include_retracted, self.first)
            cached = hash((*fields, self.after, self.ends, self.evidence, self.then))
            object.__setattr__(self, "_hash", cached)
        return cached


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


@dataclass(frozen=True)
class _Fetched:
    """What one statement found, for the level it was asked for and the next."""

    #: The rows of each (node id, index of its spec in ``specs``), the floor in each.
    by_ask: dict[tuple[str, int], list[dict[str, Any]]]
    #: The nodes it read, as ``node/get_nodes`` gives them.
    found: dict[str, dict[str, Any]]
    #: The index of each spec it was given.
    specs: dict[ClaimSpec, int]
    #: The pages of the next level it read (node id, spec index).
    computed: frozenset[tuple[str, int]]


class NestedReads:
    """Nodes, their claims and the claims' ends, read together for nested queries."""

    def __init__(self, db: Database, nodes: NodeService, claims: ClaimService) -> None:
        self.db = db
        self.nodes = nodes
        self.claims = claims

    def _accepted(
        self, specs: list[ClaimSpec], refused: dict[ClaimSpec, AccountabilityError]
    ) -> dict[ClaimSpec, str | None]:
        """The specs whose arguments hold, each with the claim id its page starts after;
        the others in ``refused`` with the error ``ClaimService.for_nodes`` gives."""
        accepted: dict[ClaimSpec, str | None] = {}
        for spec in dict.fromkeys(specs):
            try:
                # The same checks, so the same errors, as ClaimService.for_nodes.
                _, after_id = self.claims._page_args(spec.first, spec.after)
            except AccountabilityError as exc:
                refused[spec] = exc
                continue
            accepted[spec] = after_id
        return accepted

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
        a lookup of another label, or of nothing, reads no further. The pages the specs
        select on the nodes at the claims' other ends come in the same statement."""
        refused: dict[ClaimSpec, AccountabilityError] = {}
        accepted = self._accepted([spec for _, spec in asks], refused)
        wanted_pages = list(dict.fromkeys((n, s) for n, s in asks if s in accepted))
        ids = list(dict.fromkeys(lookup or []))
        if not wanted_pages and not ids:
            return Ahead(pages={}, nodes={}, refused=refused)
        # The next two levels' specs, those whose arguments hold (a refused one is asked
        # for by itself, and refused there with its own error).
        nested = self._accepted([then for spec in accepted for _, then in spec.then], {})
        last = self._accepted([then for spec in nested for _, then in spec.then], {})
        nested |= {s: a for s, a in last.items() if s not in nested}
        every = {**accepted, **{s: a for s, a in nested.items() if s not in accepted}}
        index = {spec: i for i, spec in enumerate(every)}
        row = await self._read(wanted_pages, every, index, nested, ids, viewer)
        floor = row["floor"]
        by_ask: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        seen: set[tuple[str, int, str]] = set()
        for claim in row["claims"]:
            # A page asked for at this level may be read again below it, as the page
            # of an end that is also one of the nodes asked for (a list of units with
            # their commanders and their parents' commanders): each claim once. Both
            # reads are prefixes of one order, so the rows kept stay in it.
            key = (claim["node"], claim["spec"])
            if (*key, claim["id"]) not in seen:
                seen.add((*key, claim["id"]))
                by_ask[key].append({**claim, "floor": floor})
        fetched = _Fetched(
            by_ask=by_ask,
            found={n["id"]: {**n, "floor": floor} for n in row["nodes"]},
            specs=index,
            computed=frozenset((c["node"], c["spec"]) for c in row["computed"]),
        )
        ahead = await self._level(wanted_pages, fetched, viewer, refused, ids, label)
        return await self._then(ahead, viewer, fetched)

    async def _read(
        self,
        wanted_pages: list[tuple[str, ClaimSpec]],
        every: dict[ClaimSpec, str | None],
        index: dict[ClaimSpec, int],
        nested: dict[ClaimSpec, str | None],
        ids: list[str],
        viewer: Viewer,
    ) -> dict[str, Any]:
        def then_of(spec: ClaimSpec) -> list[dict[str, Any]]:
            return [
                {"labels": sorted(x.value for x in labels) if labels is not None else None,
                 "spec": index[then]}
                for labels, then in spec.then
                if then in nested
            ]  # fmt: skip

        specs = [
            {
                "types": [t.value for t in spec.types] if spec.types else ALL_TYPES,
                "direction": spec.direction,
                "include_retracted": spec.include_retracted,
                "after": after_id,
                "ends": spec.ends,
                "evidence": spec.evidence,
                "then": then_of(spec),
            }
            for spec, after_id in every.items()
        ]
        # One level is cheaper alone (0.1 ms a statement on the embedded engine).
        two = any(s["then"] for s in specs)
        rows = await self.db.read(
            Q.CLAIMS_AHEAD_NESTED if two else Q.CLAIMS_AHEAD,
            asks=[{"id": n, "spec": index[s]} for n, s in wanted_pages],
            specs=specs,
            limit=max((spec.first for _, spec in wanted_pages), default=0) + 1,
            limit_next=max((spec.first for spec in nested), default=0) + 1,
            ids=ids,
            cleared=viewer.cleared,
            public_only=viewer.public_only,
        )
        row: dict[str, Any] = rows[0] if rows else {"claims": [], "nodes": [], "floor": 0}
        return {"computed": [], **row}

    async def _level(
        self,
        wanted_pages: list[tuple[str, ClaimSpec]],
        fetched: _Fetched,
        viewer: Viewer,
        refused: dict[ClaimSpec, AccountabilityError],
        ids: Sequence[str] = (),
        label: NodeLabel | None = None,
    ) -> Ahead:
        """The pages of one level, and the nodes they read, from what was fetched."""
        found = fetched.found
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
            rows = fetched.by_ask[(node_id, fetched.specs[spec])]
            page = self.claims._pages([node_id], rows, spec.first, viewer)[node_id]
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
        return Ahead(pages=pages, nodes=nodes, refused=refused)

    async def _then(self, ahead: Ahead, viewer: Viewer, fetched: _Fetched | None) -> Ahead:
        """The next level: for each page whose spec selects claims on the nodes at its
        other ends, those nodes' pages (of the labels selected) — read already by the
        statement of this level, or in one more statement for every page of this level
        together; and so on down."""
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
        asks = list(dict.fromkeys(asks))
        if fetched is not None and all(
            spec in fetched.specs and (node, fetched.specs[spec]) in fetched.computed
            for node, spec in asks
        ):
            # Read with this level: served from it, as a statement of their own would
            # (and the level below from it too, when the statement read that one).
            deeper = await self._level(asks, fetched, viewer, {})
            deeper = await self._then(deeper, viewer, fetched)
        else:
            deeper = await self.claims_ahead(asks, viewer)
        return Ahead(
            pages={**deeper.pages, **ahead.pages},
            nodes={**deeper.nodes, **ahead.nodes},
            refused={**deeper.refused, **ahead.refused},
        )
