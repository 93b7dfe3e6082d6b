"""Mixed load: many clients at once on the demo case, as a legal team's front-end makes
them — plain lookups and searches while traces, command charts and profiles run —
against ``accountability serve`` in its own process, for a fixed time. Prints per kind
of request p50/p95/p99 and errors, the total throughput, and the service's memory
(its processes' resident size at the start, highest, and end).

    .venv/bin/python -m benchmarks.mixed_load [--clients 50] [--seconds 60] [--workers N]

The demo case (fictional) is loaded into a scratch data folder; requests are an
analyst's (uncleared: renditions, the alarm and auditing all on)."""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accountability.demo import demo_document
from accountability.domain.redaction import SYSTEM
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from benchmarks.http import LeanClient
from benchmarks.procs import rss_kb
from benchmarks.runner import percentile
from benchmarks.service import bench_token, serving


@dataclass(frozen=True)
class Kind:
    name: str
    weight: int
    query: str
    variables: Callable[[random.Random, dict[str, list[str]]], dict[str, Any]]


def _pick(key: str, name: str) -> Callable[[random.Random, dict[str, list[str]]], dict[str, Any]]:
    return lambda rng, ids: {name: rng.choice(ids[key])}


KINDS = (
    Kind("lookup", 40, "query($id: ID!) { person(id: $id) { id name } }", _pick("persons", "id")),
    Kind(
        "search",
        20,
        "query($s: String!) { persons(filter: {search: $s}, first: 20) { totalCount "
        "edges { node { id name } } } }",
        _pick("words", "s"),
    ),
    Kind(
        "trace",
        15,
        "query($i: ID!) { trace(incidentId: $i) { truncated links { mode certainty "
        "weakestConfidence person { id name } path { __typename } } } }",
        _pick("incidents", "i"),
    ),
    Kind(
        "chart",
        15,
        'query($u: ID!) { commandChart(unitId: $u, at: "2013-06-01") { at '
        "commanders { certainty node { id } } parents { certainty node { id } } "
        "children { certainty node { id } } facilities { certainty node { id } } } }",
        _pick("units", "u"),
    ),
    Kind(
        "profile",
        10,
        "query($p: ID!) { personProfile(personId: $p) { roles { claim { type validFrom } } "
        "incidents { mode certainty incident { id title } } } }",
        _pick("persons", "p"),
    ),
)


async def _prepare(folder: Path) -> str:
    """The demo case in ``folder``, and an analyst's token."""
    settings = Settings(data_dir=folder, db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        await Services.over(db, settings).interchange.import_document(SYSTEM, demo_document())
        return await bench_token(db)
    finally:
        await db.close()


async def _ids(port: int, token: str) -> dict[str, list[str]]:
    lists = {"persons": "persons", "incidents": "incidents", "units": "units"}
    shown_as = {"persons": "name", "incidents": "title", "units": "name"}
    found: dict[str, list[str]] = {}
    async with LeanClient("127.0.0.1", port, token) as client:
        for key, field in lists.items():
            shown = shown_as[key]
            _, body = await client.post_json(
                "/graphql",
                {"query": f"{{ {field}(first: 200) {{ edges {{ node {{ id {shown} }} }} }} }}"},
            )
            if not body.get("data"):
                raise RuntimeError(f"listing {field} failed: {body}")
            nodes = [e["node"] for e in body["data"][field]["edges"]]
            found[key] = [n["id"] for n in nodes]
            if key == "persons":
                found["words"] = sorted(
                    {w for n in nodes for w in str(n["name"]).split() if len(w) > 3}
                )
    return found


async def run(
    clients: int, seconds: float, workers: int, seed: int, only: list[str] | None = None
) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-mixed-") as tmp:
        folder = Path(tmp) / "data"
        token = await _prepare(folder)
        args = ("--workers", str(workers)) if workers > 1 else ()
        async with serving(folder, args=args) as (port, pid):
            ids = await _ids(port, token)
            latencies: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, int] = defaultdict(int)
            memory = [(0.0, rss_kb(pid))]
            kinds = [k for k in KINDS if not only or k.name in only]
            weights = [k.weight for k in kinds]
            deadline = time.perf_counter() + seconds

            async def client(n: int) -> None:
                rng = random.Random(seed + n)
                async with LeanClient("127.0.0.1", port, token) as http:
                    while time.perf_counter() < deadline:
                        kind = rng.choices(kinds, weights)[0]
                        payload = {"query": kind.query, "variables": kind.variables(rng, ids)}
                        started = time.perf_counter()
                        try:
                            status, body = await http.post_json("/graphql", payload)
                        except OSError:
                            status, body = 0, None
                        latencies[kind.name].append(time.perf_counter() - started)
                        if status != 200 or not isinstance(body, dict) or body.get("errors"):
                            errors[kind.name] += 1

            began = time.perf_counter()

            async def sample() -> None:
                while time.perf_counter() < deadline:
                    await asyncio.sleep(1)
                    memory.append((time.perf_counter() - began, rss_kb(pid)))

            await asyncio.gather(sample(), *(client(n) for n in range(clients)))
            elapsed = time.perf_counter() - began
            memory.append((elapsed, rss_kb(pid)))
    total = sum(len(v) for v in latencies.values())
    print(
        f"mixed load: {clients} clients for {elapsed:.0f} s on the demo case, "
        f"{workers} worker process(es), as an analyst"
    )
    print(f"{'kind':<8} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in KINDS:
        got = latencies[kind.name]
        if not got:
            continue
        print(
            f"{kind.name:<8} {len(got):>9,} {percentile(got, 0.5):>8.1f} "
            f"{percentile(got, 0.95):>8.1f} {percentile(got, 0.99):>8.1f} {errors[kind.name]:>7}"
        )
    print(f"total: {total:,} requests, {total / elapsed:,.0f} req/s, {sum(errors.values())} errors")
    # Flat means: after the first quarter (caches filled, the engine's heap grown to its
    # working set), the second half adds nothing.
    quarter = next(m for t, m in memory if t >= elapsed / 4)
    half = next(m for t, m in memory if t >= elapsed / 2)
    for part in ("service", "engine"):
        print(
            f"memory, {part} (resident MB): start {memory[0][1][part] / 1024:,.0f}, "
            f"at {elapsed / 4:.0f} s {quarter[part] / 1024:,.0f}, "
            f"at {elapsed / 2:.0f} s {half[part] / 1024:,.0f}, "
            f"end {memory[-1][1][part] / 1024:,.0f}, "
            f"highest {max(m[part] for _, m in memory) / 1024:,.0f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only", action="append", choices=[k.name for k in KINDS], help="only this kind"
    )
    options = parser.parse_args(argv)
    asyncio.run(run(options.clients, options.seconds, options.workers, options.seed, options.only))


if __name__ == "__main__":
    main()
