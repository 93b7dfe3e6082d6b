"""The trace benchmark: trace and commandChart over HTTP on a graph of about a million
nodes and claims, beside the raw time of the same Cypher through the driver."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

from accountability.domain.redaction import SYSTEM
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.liability.trace import TraceService
from accountability.services.nodes import NodeService
from accountability.settings import Settings
from benchmarks.http import LeanClient
from benchmarks.runner import percentile, timed
from benchmarks.service import bench_token, served
from benchmarks.trace_graph import trace_graph

T = TypeVar("T")

TRACE = """query($id: ID!) { trace(incidentId: $id) { truncated links {
  mode certainty weakestConfidence corroborated person { id name }
  path { node { id } claim { id type validFrom validTo } } evidence { id source } } } }"""
CHART = """query($u: ID!, $at: Date!) { commandChart(unitId: $u, at: $at) {
  commanders { node { id } certainty } parents { node { id } commanders { node { id } } }
  children { node { id } commanders { node { id } } } facilities { node { id } } } }"""


async def run(
    scale: float, samples: int, data_dir: Path, heap_mb: int, report: Callable[[str], None]
) -> None:
    """Build the graph, serve it, and time both queries over HTTP and through the driver."""
    settings = Settings(data_dir=data_dir, db_uri=None, embedded_heap_mb=heap_mb)
    doc = trace_graph(scale)
    report(
        f"graph: {len(doc['nodes']):,} nodes + {len(doc['claims']):,} claims = "
        f"{len(doc['nodes']) + len(doc['claims']):,} (scale {scale}; plus the service's "
        "own index records: one ClaimKey per claim, one SUPPORTS edge per evidence cite)"
    )
    marker = data_dir / f"trace-graph-{scale}.imported"
    if marker.exists():
        report(f"reusing the graph imported before in {data_dir}")
    else:
        db = Database(settings)
        await db.open()
        try:
            t = time.perf_counter()
            await Services.over(db, settings).interchange.import_document(SYSTEM, doc)
            report(f"import through the service: {time.perf_counter() - t:.0f} s")
        finally:
            await db.close()
        marker.touch()

    rng = random.Random(5)
    incidents = [n["id"] for n in doc["nodes"] if n["label"] == "Incident"]
    units = [n["id"] for n in doc["nodes"] if n["label"] == "Unit"]
    # Distinct incidents while there are enough; more samples go round them again.
    picked = rng.sample(incidents, min(samples, len(incidents)))
    charts = [
        (rng.choice(units), dt.date(rng.randint(2008, 2019), rng.randint(1, 12), 1))
        for _ in range(samples)
    ]
    # Twice as many others: traces that warm the service up, then those timed warm.
    chosen = set(picked)
    others = [i for i in incidents if i not in chosen]
    later = rng.sample(others, min(2 * samples, len(others)))
    del doc

    async with served(data_dir, heap_mb) as port:
        raw = Database(settings)
        await raw.open(attach=True)
        token = await bench_token(raw)
        try:
            async with LeanClient("127.0.0.1", port, token) as client:
                await _measure(client, raw, picked, later, charts, samples, report)
        finally:
            await raw.close()


def looping(
    fn: Callable[[T], Awaitable[None]], items: Sequence[T]
) -> Callable[[], Awaitable[None]]:
    """A call of ``fn`` on the next item, round and round: the warm-up's 20 calls and the
    timed ones need not match the number of items (fewer than 10 samples once ran out)."""
    if not items:
        raise ValueError("nothing to time")
    it = itertools.cycle(items)
    return lambda: fn(next(it))


async def _measure(
    client: LeanClient,
    raw: Database,
    picked: list[str],
    later: list[str],
    charts: list[tuple[str, dt.date]],
    n: int,
    report: Callable[[str], None],
) -> None:
    links = 0

    async def trace_http(incident: str) -> None:
        nonlocal links
        status, body = await client.post_json(
            "/graphql", {"query": TRACE, "variables": {"id": incident}}
        )
        assert status == 200 and "errors" not in body, body
        links += len(body["data"]["trace"]["links"])

    climber = TraceService(raw, cast(NodeService, None))  # its climb only reads

    async def trace_raw(incident: str) -> None:
        # The same statements the service runs, concurrently as it does.
        params = {"ids": [incident], "all": False, "person": None}
        await asyncio.gather(
            climber.periods([incident]),
            raw.read(Q.TRACE_ACTS, **params),
            raw.read(Q.TRACE_FACILITY, **params),
            climber.climb([incident], 6, False, None),
        )

    async def chart_http(item: tuple[str, dt.date]) -> None:
        status, body = await client.post_json(
            "/graphql", {"query": CHART, "variables": {"u": item[0], "at": item[1].isoformat()}}
        )
        assert status == 200 and "errors" not in body, body

    async def chart_raw(item: tuple[str, dt.date]) -> None:
        await raw.read(Q.UNIT_CHART, id=item[0], at=item[1])

    await timed(20, looping(trace_http, picked))  # warm-up
    await timed(20, looping(trace_raw, picked))
    links = 0
    http = await timed(n, looping(trace_http, picked))
    report(
        f"trace over HTTP GraphQL, {n} calls over {len(picked)} random incidents, just after "
        f"the service started (20 calls before): p50 {percentile(http, 0.5):.1f} ms, "
        f"p95 {percentile(http, 0.95):.1f} ms (issue 11: p95 <= 30 ms; {links / n:.1f} links "
        "per incident on average)"
    )
    if len(later) >= 2:
        # The same, on a service that has answered a while (the engine's compiler and
        # caches warm), over incidents neither window asked for before.
        half = len(later) // 2
        await timed(half, looping(trace_http, later[:half]))
        warm = await timed(n, looping(trace_http, later[half:]))
        report(
            f"trace over HTTP GraphQL, warm (after {half} traces of other incidents), {n} "
            f"calls over {len(later) - half} other random incidents: "
            f"p50 {percentile(warm, 0.5):.1f} ms, p95 {percentile(warm, 0.95):.1f} ms"
        )
    direct = await timed(n, looping(trace_raw, picked))
    report(
        f"trace Cypher through the raw driver (the same statements, as concurrent): "
        f"p50 {percentile(direct, 0.5):.1f} ms, p95 {percentile(direct, 0.95):.1f} ms"
    )
    await timed(20, looping(chart_http, charts))
    http = await timed(n, looping(chart_http, charts))
    direct = await timed(n, looping(chart_raw, charts))
    report(
        f"commandChart over HTTP GraphQL, {n} random units and dates: "
        f"p50 {percentile(http, 0.5):.1f} ms, p95 {percentile(http, 0.95):.1f} ms"
    )
    report(
        f"commandChart Cypher through the raw driver: p50 {percentile(direct, 0.5):.1f} ms, "
        f"p95 {percentile(direct, 0.95):.1f} ms"
    )


def main(scale: float, samples: int, data_dir: Path | None, heap_mb: int) -> None:
    """Run the trace benchmark: on a fresh scratch folder, or, with ``data_dir``, on the
    graph a previous run left there (the import takes minutes)."""
    if samples < 1:
        raise ValueError("time at least one sample")

    def report(line: str) -> None:
        print(line, flush=True)

    if data_dir is not None:
        asyncio.run(run(scale, samples, data_dir / f"trace-{scale}", heap_mb, report))
        return
    with tempfile.TemporaryDirectory(prefix="bench-trace-") as tmp:
        asyncio.run(run(scale, samples, Path(tmp) / "data", heap_mb, report))
