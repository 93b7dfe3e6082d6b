"""Import rate, lookup latency and throughput: the service against the raw driver."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from accountability.domain.redaction import SYSTEM
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.graph.catalog import CREATE_BY_LABEL, Q
from accountability.graph.database import Database, now_iso
from accountability.services.container import Services
from accountability.services.records import found_nodes
from accountability.settings import Settings
from benchmarks.generate import generate
from benchmarks.http import LeanClient
from benchmarks.procs import CpuMeter, CpuUse, engine_pid
from benchmarks.service import bench_token, served

LOOKUP = "query($id: ID!) { node(id: $id) { id label ... on Person { name birthYear } } }"


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile of durations in seconds, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def raw_steps(
    db: Database, doc: dict[str, Any], batch: int
) -> list[tuple[str, list[dict[str, Any]]]]:
    """The baseline's statements with their rows, in batches: nodes first, then claims.
    The same nodes and relationships the import writes, by plain ``UNWIND … CREATE``
    statements (``cypher/bench/raw_*`` for claims, the plain node creates the import uses
    too), with none of the import's own structures (claim keys, evidence edges,
    renditions, the journal) and no checks."""
    steps: list[tuple[str, list[dict[str, Any]]]] = []
    by_label: dict[NodeLabel, list[dict[str, Any]]] = {}
    for n in doc["nodes"]:
        row = {"id": n["id"], "props": n["properties"]}
        by_label.setdefault(NodeLabel(n["label"]), []).append(row)
    for label, rows in by_label.items():
        steps += [
            (db.catalog[CREATE_BY_LABEL[label]], rows[i : i + batch])
            for i in range(0, len(rows), batch)
        ]
    by_type: dict[ClaimType, list[dict[str, Any]]] = {}
    for c in doc["claims"]:
        props = {k: v for k, v in c.items() if k not in ("type", "from", "to")}
        row = {"from": c["from"], "to": c["to"], "props": props}
        by_type.setdefault(ClaimType(c["type"]), []).append(row)
    for claim_type, rows in by_type.items():
        steps += [
            (db.catalog[Q[f"BENCH_RAW_{claim_type.value}"]], rows[i : i + batch])
            for i in range(0, len(rows), batch)
        ]
    return steps


async def _raw_import(db: Database, doc: dict[str, Any], batch: int, tx_records: int) -> float:
    """The baseline the import is measured against (issue 11), ``raw_steps``, in
    transactions of the import's size; returns the seconds the writes took."""
    chunks: list[list[tuple[str, list[dict[str, Any]]]]] = [[]]
    size = 0
    for text, rows in raw_steps(db, doc, batch):
        if chunks[-1] and size + len(rows) > tx_records:
            chunks.append([])
            size = 0
        chunks[-1].append((text, rows))
        size += len(rows)
    now = now_iso()
    # Row preparation above is outside the timed part: the raw rate is the database's.
    start = time.perf_counter()
    async with db.driver.session(database=db.database_name) as session:
        for chunk in chunks:

            async def work(tx: Any, chunk: list[tuple[str, list[dict[str, Any]]]] = chunk) -> None:
                for text, rows in chunk:
                    await (await tx.run(text, rows=rows, now=now)).consume()

            await session.execute_write(work)
    return time.perf_counter() - start


async def timed(calls: int, fn: Callable[[], Awaitable[Any]]) -> list[float]:
    samples = []
    for _ in range(calls):
        t = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - t)
    return samples


async def run(claims: int, lookups: int, data_dir: Path, report: Callable[[str], None]) -> None:
    """Run every measurement at one size and report each figure."""
    settings = Settings(data_dir=data_dir, db_uri=None)
    service_doc = generate(claims, seed=1, prefix="s")
    raw_doc = generate(claims, seed=2, prefix="r")
    n_nodes = len(service_doc["nodes"])
    report(
        f"graph: {n_nodes} nodes + {len(service_doc['claims'])} claims, imported through the "
        "service and through the raw driver, each into a fresh engine"
    )

    # Each path gets its own fresh engine and the same warm-up, so neither pays for the
    # other's data or for the engine's JIT.
    async def fresh(
        folder: Path, work: Callable[[Database, Services], Awaitable[float]]
    ) -> tuple[float, CpuUse]:
        db = Database(settings.model_copy(update={"data_dir": folder}))
        await db.open()
        try:
            services = Services.over(db, settings)
            await services.interchange.import_document(SYSTEM, generate(2000, seed=9, prefix="w"))
            meter = CpuMeter(engine_pid(db))
            return await work(db, services), meter.used()
        finally:
            await db.close()

    async def service_path(db: Database, services: Services) -> float:
        t = time.perf_counter()
        await services.interchange.import_document(SYSTEM, service_doc)
        return time.perf_counter() - t

    raw_s, raw_cpu = await fresh(
        data_dir.parent / "raw",
        lambda db, _s: _raw_import(
            db, raw_doc, settings.import_batch_size, settings.import_tx_records
        ),
    )
    service_s, service_cpu = await fresh(data_dir, service_path)
    service_rate = len(service_doc["claims"]) / service_s
    raw_rate = len(raw_doc["claims"]) / raw_s
    report(
        f"import, service path (validate + write): {service_s:.2f} s, "
        f"{service_rate:,.0f} claims/s (+ nodes)"
    )
    report(
        f"import, raw driver (plain unwind and create, no derived structures): {raw_s:.2f} s, "
        f"{raw_rate:,.0f} claims/s (+ nodes)"
    )
    report(f"import ratio service/raw: {service_rate / raw_rate:.2f}x (issue 11: >= 0.6x)")
    # The engine's own work, beside the wall time: both paths keep the machine's cores
    # busy, so the ratio follows what each asks of the engine.
    report(
        f"import CPU: engine {service_cpu.engine:.1f} s for the service path against "
        f"{raw_cpu.engine:.1f} s for the raw one; this process {service_cpu.here:.1f} s "
        f"against {raw_cpu.here:.1f} s"
    )

    async with served(data_dir) as port:
        attached = Database(settings)
        await attached.open(attach=True)
        token = await bench_token(attached)
        try:
            rng = random.Random(3)
            ids = [n["id"] for n in service_doc["nodes"]]
            picks = [rng.choice(ids) for _ in range(lookups)]

            lean = await LeanClient("127.0.0.1", port, token).__aenter__()

            async def gql_lookup(conn: LeanClient = lean) -> None:
                status, body = await conn.post_json(
                    "/graphql", {"query": LOOKUP, "variables": {"id": rng.choice(picks)}}
                )
                assert status == 200 and body["data"]["node"], body

            async def raw_lookup() -> None:
                rows = await attached.read(
                    Q.GET_NODES, ids=[rng.choice(picks)], cleared=False, public_only=False
                )
                assert found_nodes(rows)

            await timed(50, gql_lookup)  # warm both paths
            await timed(50, raw_lookup)
            gql = await timed(lookups, gql_lookup)
            raw = await timed(lookups, raw_lookup)
            report(
                f"lookup over HTTP GraphQL: p50 {percentile(gql, 0.5):.2f} ms, "
                f"p95 {percentile(gql, 0.95):.2f} ms ({lookups} requests)"
            )
            report(
                f"lookup, raw driver: p50 {percentile(raw, 0.5):.2f} ms, "
                f"p95 {percentile(raw, 0.95):.2f} ms"
            )
            report(
                f"lookup ratio GraphQL/raw p50: "
                f"{statistics.median(gql) / statistics.median(raw):.2f}x (target <= 2x)"
            )

            per_client = max(20, lookups // 10)
            clients = [await LeanClient("127.0.0.1", port, token).__aenter__() for _ in range(10)]
            t = time.perf_counter()

            async def client_loop(conn: LeanClient) -> None:
                for _ in range(per_client):
                    await gql_lookup(conn)

            await asyncio.gather(*(client_loop(c) for c in clients))
            elapsed = time.perf_counter() - t
            for c in [lean, *clients]:
                await c.__aexit__()
            report(
                f"throughput, 10 concurrent clients: {10 * per_client / elapsed:,.0f} requests/s"
            )
        finally:
            await attached.close()


def main(claims: list[int], lookups: int, data_dir: Path | None) -> None:
    """Run the benchmark at each size, each on a fresh data folder."""
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
    for size in claims:
        print(f"\n== {size:,} claims ==", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-", dir=data_dir) as tmp:
            asyncio.run(run(size, lookups, Path(tmp) / "data", lambda s: print(s, flush=True)))
