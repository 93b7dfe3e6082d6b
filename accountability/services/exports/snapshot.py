"""The records an export carries, with its profile applied: what is left out, what is
pseudonymized, what is withheld. Every writer receives only these."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import AsyncIterator, Iterable
from typing import Any

from accountability.domain.export_profiles import ExportPolicy
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.records import ClaimRecord, NodeRecord, RetractionRecord, found_nodes
from accountability.services.spool import Row, by_id, sorted_rows

#: Claim types a subgraph export follows from its nodes; INCLUDES only from the case.
FOLLOWED = [t.value for t in ClaimType if t is not ClaimType.INCLUDES]
BATCH = 2000


class Redactor:
    """Applies a policy record by record, remembering what it let through, so that
    claims only join exported nodes and cite exported evidence."""

    def __init__(self, policy: ExportPolicy, floor: int = 0) -> None:
        self.policy = policy
        self.floor = floor
        self.kept: dict[str, NodeLabel] = {}
        self.protected_shown: list[str] = []

    def node(self, row: dict[str, Any]) -> NodeRecord | None:
        # Below court, the record is the rendition stored with the node (never the
        # originals), then cut down by the policy.
        record: NodeRecord | None
        if self.policy.full:
            record = NodeRecord.from_row(row)
        else:
            stored = row["props"]
            record = NodeRecord.served(
                {
                    "id": row["id"],
                    "label": row["label"],
                    "masked": stored.get("m_props"),
                    "gen": stored.get("m_gen"),
                    "floor": self.floor,
                    "created_at": stored.get("created_at"),
                    "updated_at": stored.get("updated_at"),
                },
                self.policy.reader,
            )
        if record is None:
            return None
        props: dict[str, Any] | None
        if record.label is NodeLabel.PERSON:
            props = self.policy.person(record.properties)
            if props is not None and self.policy.full and props.get("protected"):
                self.protected_shown.append(record.id)
        elif record.label is NodeLabel.EVIDENCE:
            props = self.policy.evidence(record.properties)
        else:
            props = self.policy.text(record.properties)
        if props is None:
            return None
        self.kept[record.id] = record.label
        return dataclasses.replace(record, properties=props)

    def claim(self, row: dict[str, Any]) -> ClaimRecord | None:
        claim = ClaimRecord.from_row(row, self.policy.reader, self.floor)
        if claim.from_id not in self.kept or claim.to_id not in self.kept:
            return None
        if claim.retraction is not None and not self.policy.keeps_retracted:
            return None
        retraction = claim.retraction
        if retraction is not None:
            retraction = RetractionRecord(
                retraction.by, self.policy.words(retraction.reason), retraction.at
            )
        return dataclasses.replace(
            claim,
            evidence=[e for e in claim.evidence if self.kept.get(e) is NodeLabel.EVIDENCE],
            properties=self.policy.text(claim.properties),
            retraction=retraction,
        )


async def subgraph_rows(
    db: Database, ids: Iterable[str], case_id: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and claim rows of a subgraph: the given nodes, every claim between them,
    and the evidence those claims cite (with what that evidence documents among them)."""
    wanted = list(dict.fromkeys(ids))
    inside = set(wanted)
    claims: dict[str, dict[str, Any]] = {}
    frontier = wanted
    while frontier:
        for start in range(0, len(frontier), BATCH):
            rows = await db.read(
                Q.CLAIMS_FROM_NODES, ids=frontier[start : start + BATCH], types=FOLLOWED
            )
            for row in rows:
                claims[row["id"]] = row
        if case_id is not None and case_id in frontier:
            for row in await db.read(
                Q.CLAIMS_FROM_NODES, ids=[case_id], types=[ClaimType.INCLUDES.value]
            ):
                if not row["props"].get("retracted_at"):
                    claims[row["id"]] = row
        cited = {
            e
            for row in claims.values()
            if row["to"] in inside
            for e in (row["props"].get("evidence") or [])
        }
        frontier = sorted(cited - inside)
        inside |= cited
    nodes: list[dict[str, Any]] = []
    ordered = sorted(inside)
    for start in range(0, len(ordered), BATCH * 2):
        nodes += found_nodes(
            await db.read(
                Q.GET_NODES, ids=ordered[start : start + BATCH * 2], cleared=True, public_only=False
            )
        )
    nodes.sort(key=lambda r: r["id"])
    kept_claims = sorted(
        (r for r in claims.values() if r["from"] in inside and r["to"] in inside),
        key=lambda r: r["id"],
    )
    return nodes, kept_claims


#: Nodes in a range of the whole-graph export, about; and ids sampled for each range
#: (the more, the less the ranges vary in size).
RANGE_NODES = 5000
SAMPLES_PER_RANGE = 50


async def node_ranges(db: Database, size: int = RANGE_NODES) -> list[tuple[str, str]]:
    """[lo, hi) ranges of node ids, in order, that cover every node, each of about
    ``size`` nodes, cut at randomly sampled ids (docs/design.md, "Whole-graph
    reads"). A cut holds only characters below U+D800, where the engines' string order
    (UTF-16 units or code points) and Python's agree, so the ranges are the same ranges
    for both and rows sorted within each come out in one order overall."""
    every = max(1, min(SAMPLES_PER_RANGE, size))
    row = (await db.read(Q.SAMPLE_NODE_IDS, rate=every / max(size, 1)))[0]
    last = row["last"]
    if last is None:
        return []
    sample = sorted({i for i in row["sample"] if i is not None and max(i) < "\ud800"})
    cuts = sample[every::every]
    # "" is below every id; an id extended by anything is above it, so the last range
    # ends above the greatest id.
    bounds = ["", *cuts, f"{last} "]
    return list(itertools.pairwise(bounds))


class _Ranges:
    """The ranges of one export, cut once when first needed."""

    def __init__(self, db: Database, size: int) -> None:
        self.db = db
        self.size = size
        self._ranges: list[tuple[str, str]] | None = None

    async def get(self) -> list[tuple[str, str]]:
        if self._ranges is None:
            self._ranges = await node_ranges(self.db, self.size)
        return self._ranges


async def _by_range(
    db: Database, ranges: _Ranges, query: Q, **params: Any
) -> AsyncIterator[list[Row]]:
    """Each range's rows, the next range read while the caller works on these: the
    engine expands one range while this process decodes and writes the one before."""
    bounds = await ranges.get()
    if not bounds:
        return
    ahead = asyncio.ensure_future(db.read(query, lo=bounds[0][0], hi=bounds[0][1], **params))
    try:
        for lo, hi in bounds[1:]:
            rows = await ahead
            ahead = asyncio.ensure_future(db.read(query, lo=lo, hi=hi, **params))
            yield rows
        yield await ahead
    finally:
        ahead.cancel()  # the reader stopped early: the range read ahead is not wanted


async def _nodes_in_order(db: Database, ranges: _Ranges) -> AsyncIterator[Row]:
    async for rows in _by_range(db, ranges, Q.GRAPH_NODES):
        rows.sort(key=by_id)
        for row in rows:
            yield row


async def _claims_by_start(db: Database, ranges: _Ranges, types: list[str]) -> AsyncIterator[Row]:
    async for rows in _by_range(db, ranges, Q.GRAPH_CLAIMS, types=types):
        for row in rows:
            yield row


def graph_rows(
    db: Database, range_nodes: int = RANGE_NODES
) -> tuple[AsyncIterator[Row], AsyncIterator[Row]]:
    """The whole graph in id order, at any size: nodes, then claims. Every statement
    reads one range of node ids through the index (an ORDER BY over every record does
    not fit the engine's heap, one statement over all of them outlasts its time-out);
    nodes are sorted range by range, claims, read by the range of their start node, are
    sorted on disk (``services/spool.py``)."""
    ranges = _Ranges(db, range_nodes)
    types = [t.value for t in ClaimType]
    return (
        _nodes_in_order(db, ranges),
        sorted_rows(_claims_by_start(db, ranges, types)),
    )
