"""Whole-graph reads at any size: the export read range by range and sorted on disk, the
audit log read by ranges of entry numbers, evidence hashes sorted here, never by an
ORDER BY over everything in the engine's heap."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import networkx as nx

from accountability.domain.redaction import SYSTEM
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, NodeLabel
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.exports.base import ExportMeta
from accountability.services.exports.graphs import GraphWriter, edge_attributes, node_attributes
from accountability.services.exports.snapshot import graph_rows, node_ranges
from accountability.services.records import ClaimRecord, NodeRecord
from accountability.services.spool import sorted_rows
from tests.builders import document, make_claim, make_node
from tests.exporting import export_file, whole_graph


async def _rows(items: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    for item in items:
        yield item


async def test_spool_sorts_more_rows_than_a_run_on_disk(tmp_path: Path) -> None:
    rng = random.Random(4)
    ids = [f"id-{rng.randrange(10**6):06d}-{n}" for n in range(500)]
    rows = [{"id": i, "props": {"n": n}} for n, i in enumerate(ids)]
    rng.shuffle(rows)
    out = [r async for r in sorted_rows(_rows(rows), run_rows=37, scratch=tmp_path)]
    assert [r["id"] for r in out] == sorted(ids)
    assert out[0] == next(r for r in rows if r["id"] == out[0]["id"])  # whole rows back
    assert os.listdir(tmp_path) == []  # the runs are removed
    assert [r async for r in sorted_rows(_rows([]), run_rows=37)] == []


async def test_ranges_cover_every_node_once_in_one_order(
    services: Services, db: Database, uid: Callable[[str], str]
) -> None:
    # Ids whose order differs between UTF-16 units and code points, and plain ones.
    odd = [uid("\U0001f600-a"), uid("\ue000-b"), uid("\uffff-c"), uid("é-d")]
    plain = [uid(f"n-{i:03d}") for i in range(60)]
    nodes = [make_node(i, "Unit", name=f"Fictional unit {n}") for n, i in enumerate(odd + plain)]
    claims = [
        make_claim(uid(f"c-{i:03d}"), "SUBORDINATE_TO", plain[i], plain[i + 1]) for i in range(59)
    ]
    await services.interchange.import_document(SYSTEM, document(nodes, claims))

    ranges = await node_ranges(db, size=7)
    assert len(ranges) > 5
    assert all(lo < hi for lo, hi in ranges)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))  # contiguous
    records, _, _ = await db.driver.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id", database_=db.database_name
    )
    everything = sorted(r["id"] for r in records)
    nodes_in, claims_in = graph_rows(db, range_nodes=7)
    node_ids = [r["id"] async for r in nodes_in]
    claim_ids = [r["id"] async for r in claims_in]
    assert node_ids == sorted(node_ids) == everything
    assert set(odd + plain) <= set(node_ids)
    assert claim_ids == sorted(set(claim_ids))
    assert {uid(f"c-{i:03d}") for i in range(59)} <= set(claim_ids)
    default_nodes, default_claims = graph_rows(db)
    assert [r["id"] async for r in default_nodes] == node_ids
    assert [r["id"] async for r in default_claims] == claim_ids


async def test_the_whole_graph_export_is_sorted_and_the_same_bytes_twice(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.nodes.create(NodeLabel.UNIT, {"name": "Fictional twice"}, SYSTEM, uid("u"))
    with tempfile.TemporaryDirectory() as folder:
        first = await export_file(services, Path(folder) / "a.json")
        second = await export_file(services, Path(folder) / "b.json")
        assert first.read_bytes() == second.read_bytes()
    doc = await whole_graph(services)
    ids = [n["id"] for n in doc["nodes"]]
    assert ids == sorted(ids) and uid("u") in ids
    claim_ids = [c["id"] for c in doc["claims"]]
    assert claim_ids == sorted(claim_ids)


async def test_the_audit_log_streams_by_ranges_of_entry_numbers(services: Services) -> None:
    await services.nodes.create(NodeLabel.UNIT, {"name": "Fictional audited"}, SYSTEM)
    last, _ = await services.audit.head()
    seqs = [int(e["seq"]) async for e in services.audit.entries(size=3)]
    assert seqs[:last] == list(range(1, last + 1))
    assert await services.audit.verify() == (len(seqs), None)


def test_graph_files_stream_what_networkx_reads_back(tmp_path: Path) -> None:
    meta = ExportMeta(
        "graph",
        None,
        'The "whole" graph & more',
        "court",
        "a",
        "admin",
        dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        "0.1",
    )
    nodes = [
        NodeRecord(
            "p-1",
            NodeLabel.PERSON,
            {
                "name": 'Fictional <Officer> & "co"',
                "aliases": ["ضابط", "x"],
                "birth_year": 1960,
                "protected": True,
            },
            None,
            None,
        ),
        NodeRecord(
            "f-1",
            NodeLabel.FACILITY,
            {"name": "Fictional\nfacility", "lat": 33.5, "lon": 36.25},
            None,
            None,
        ),
        NodeRecord("u-1", NodeLabel.UNIT, {"name": "Fictional unit"}, None, None),
    ]
    claims = [
        ClaimRecord(
            "c-1",
            ClaimType.POSTED_AT,
            "p-1",
            "f-1",
            dt.date(2012, 1, 1),
            None,
            DatePrecision.EXACT,
            Confidence.HIGH,
            ["e-1", "e-2"],
            None,
            None,
            None,
            {"role": "guard", "command": True},
        ),
        ClaimRecord(
            "c-2",
            ClaimType.POSTED_AT,
            "p-1",
            "f-1",
            None,
            dt.date(2013, 5, 1),
            DatePrecision.APPROXIMATE,
            Confidence.LOW,
            [],
            None,
            None,
            None,
            {"role": "O'Brien's deputy"},
        ),
        ClaimRecord(
            "c-3",
            ClaimType.MEMBER_OF,
            "p-1",
            "u-1",
            None,
            None,
            DatePrecision.APPROXIMATE,
            Confidence.MEDIUM,
            [],
            None,
            None,
            None,
            {},
        ),
    ]
    writer = GraphWriter(tmp_path, meta)
    expected: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in nodes:
        writer.node(node)
        expected.add_node(node.id, **node_attributes(node))
    for claim in claims:
        writer.claim(claim)
        expected.add_edge(claim.from_id, claim.to_id, key=claim.id, **edge_attributes(claim))
    writer.close()
    assert sorted(os.listdir(tmp_path)) == ["graph.gexf", "graph.graphml"]
    graphml = nx.read_graphml(tmp_path / "graph.graphml")
    gexf = nx.read_gexf(tmp_path / "graph.gexf")
    for graph in (graphml, gexf):
        assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
        edges = {k: d for _, _, k, d in graph.edges(keys=True, data=True)}
        for _, _, key, data in expected.edges(keys=True, data=True):
            assert {k: v for k, v in edges[key].items() if k not in ("id", "networkx_key")} == data
    assert graphml.graph["name"] == meta.title
