"""The trace where several sources record the same reporting lines: K parallel
SUBORDINATE_TO claims at each of L levels give the top commander K^L paths. Times the
trace (and a page of other paths) over HTTP GraphQL, as a client calls it."""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accountability.domain.redaction import SYSTEM
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from benchmarks.http import LeanClient
from benchmarks.runner import percentile
from benchmarks.service import bench_token, served

TRACE = """query($id: ID!, $d: Int!) { trace(incidentId: $id, maxDepth: $d) { truncated partial
  links { mode certainty weakestConfidence corroborated person { id }
    path { node { id } claim { id } } evidence { id } otherPaths(first: 1) { totalCount } } } }"""
PAGE = """query($id: ID!, $d: Int!) { trace(incidentId: $id, maxDepth: $d) { links {
  person { id } otherPaths(first: 50) { totalCount edges { node { certainty
    path { claim { id } } } } } } } }"""

#: Each case: parallel lines per level, levels, maxDepth.
CASES = ((4, 6, 6), (5, 6, 6), (3, 10, 10), (5, 10, 10))


def parallel_graph(tag: str, k: int, levels: int, seed: int = 7) -> dict[str, Any]:
    """Units L0..L{levels} (fictional), L0 running the facility where the incident
    occurred, each level reporting to the next through ``k`` parallel claims of varied
    confidence and sources; a fictional commander on every level."""
    rnd = random.Random(seed)

    def node(nid: str, label: str, **props: Any) -> dict[str, Any]:
        return {"id": f"{tag}-{nid}", "label": label, "properties": props}

    def claim(cid: str, kind: str, frm: str, to: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": f"{tag}-{cid}",
            "type": kind,
            "from": f"{tag}-{frm}",
            "to": f"{tag}-{to}",
            "valid_from": "2010-01-01",
            "date_precision": "exact",
            **extra,
        }

    both = {"evidence": [f"{tag}-ea", f"{tag}-eb"], "confidence": "high"}
    nodes = [
        node("f", "Facility", name="Fictional facility"),
        node("i", "Incident", kind="torture", start_date="2013-06-10"),
        node("ea", "Evidence", kind="report", title="Fictional report", source="Archive A"),
        node("eb", "Evidence", kind="report", title="Fictional report", source="Archive B"),
    ]
    claims = [
        {"id": f"{tag}-occ", "type": "OCCURRED_AT", "from": f"{tag}-i", "to": f"{tag}-f", **both},
        claim("op", "OPERATED", "L0", "f", **both),
    ]
    for level in range(levels + 1):
        nodes.append(node(f"L{level}", "Unit", name=f"Fictional level {level}"))
        nodes.append(node(f"boss{level}", "Person", name=f"Fictional commander {level}"))
        claims.append(claim(f"cmd{level}", "COMMANDED", f"boss{level}", f"L{level}", **both))
        for j in range(k if level < levels else 0):
            strong = rnd.random() < 0.5
            claims.append(
                claim(
                    f"s{level}-{j}",
                    "SUBORDINATE_TO",
                    f"L{level}",
                    f"L{level + 1}",
                    confidence="high" if strong else rnd.choice(["medium", "low"]),
                    evidence=both["evidence"] if strong else [f"{tag}-ea"],
                )
            )
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": claims}


async def run(data_dir: Path, runs: int, report: Callable[[str], None]) -> None:
    settings = Settings(data_dir=data_dir, db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        for k, levels, _ in CASES:
            doc = parallel_graph(f"k{k}l{levels}", k, levels)
            await services.interchange.import_document(SYSTEM, doc)
    finally:
        await db.close()
    async with served(data_dir) as port:
        raw = Database(settings)
        await raw.open(attach=True)
        token = await bench_token(raw)
        await raw.close()
        async with LeanClient("127.0.0.1", port, token) as client:
            for k, levels, depth in CASES:
                incident = f"k{k}l{levels}-i"
                variables = {"id": incident, "d": depth}
                samples = []
                body: dict[str, Any] = {}
                for _ in range(runs + 2):  # the first two warm up
                    t = time.perf_counter()
                    status, body = await client.post_json(
                        "/graphql", {"query": TRACE, "variables": variables}
                    )
                    samples.append(time.perf_counter() - t)
                    assert status == 200 and "errors" not in body, body
                samples = samples[2:]
                trace = body["data"]["trace"]
                paths = max(link["otherPaths"]["totalCount"] + 1 for link in trace["links"])
                t = time.perf_counter()
                status, page = await client.post_json(
                    "/graphql", {"query": PAGE, "variables": variables}
                )
                assert status == 200 and "errors" not in page, page
                paged = time.perf_counter() - t
                report(
                    f"trace, {k} parallel lines x {levels} levels, maxDepth {depth}: "
                    f"p50 {percentile(samples, 0.5):.0f} ms, max {max(samples) * 1000:.0f} ms "
                    f"over {runs} runs (target < 1000 ms); {len(trace['links'])} links, "
                    f"{paths:,} paths for the top commander, truncated "
                    f"{str(trace['truncated']).lower()}, partial "
                    f"{str(trace['partial']).lower()}; first 50 other paths of every link "
                    f"in {paged * 1000:.0f} ms"
                )


def main(runs: int) -> None:
    def report(line: str) -> None:
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-parallel-") as tmp:
        asyncio.run(run(Path(tmp) / "data", runs, report))
