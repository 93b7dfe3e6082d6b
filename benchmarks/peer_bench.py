"""Side by side: this service, the peer (the Neo4j GraphQL Library, benchmarks/peer/) and
the raw Python driver, over ONE engine and one data set, on the nested reads of
benchmarks/shapes.py, in alternating rounds so that the machine's noise falls on all three
alike. Loopback only; bounded time (about rounds x shapes x 3 x (requests + seconds)).

    .venv/bin/python -m benchmarks.peer_bench [--rounds 5] [--data-dir DIR]
    .venv/bin/accountability bench --peer

The service runs as shipped (``accountability serve``): bearer tokens, renditions for
readers without clearance and the protection alarm, audit of cleared reads. It is asked
as an analyst (uncleared) unless ``--role`` says otherwise. The data set (generated,
fictional: benchmarks/generate.py) is imported through the service's own import
once and kept in ``--data-dir`` when one is given."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j

from accountability.domain.redaction import SYSTEM, Role
from accountability.graph.catalog import Catalog
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import PROJECT_ROOT, Settings
from benchmarks.generate import generate
from benchmarks.shapes import SHAPES, Shape

PEER_DIR = Path(__file__).resolve().parent / "peer"
TARGETS = ("service", "peer", "raw")
PREPARED = "bench.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile of durations in seconds, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Client:
    """One keep-alive HTTP/1.1 connection, one request at a time; it costs little, so
    the figures are the servers'. Both servers answer with a Content-Length."""

    def __init__(self, port: int, path: str, token: str | None) -> None:
        self.port = port
        self.path = path
        self.auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
            self.writer = None

    async def post(self, payload: bytes) -> Any:
        for attempt in (0, 1):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                return await self._post(payload)
            except (ConnectionError, asyncio.IncompleteReadError, IndexError):
                # An idle keep-alive connection the server closed: reconnect, once.
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _post(self, payload: bytes) -> Any:
        assert self.reader is not None and self.writer is not None
        self.writer.write(
            (
                f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n{self.auth}"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
        )
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = json.loads(await self.reader.readexactly(length))
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {str(body)[:300]}")
        return body


@dataclass
class Prepared:
    folder: Path
    tokens: dict[str, str]
    ids: dict[str, list[str]]

    @property
    def data(self) -> Path:
        return self.folder / "data"


async def prepare(folder: Path, claims: int) -> Prepared:
    """The data folder with the generated graph imported through the service, and a
    token for every role; reused when it was prepared for the same size."""
    marker = folder / PREPARED
    if marker.is_file():
        saved = json.loads(marker.read_text())
        if saved["claims"] == claims:
            return Prepared(folder, saved["tokens"], saved["ids"])
        shutil.rmtree(folder / "data", ignore_errors=True)
    doc = generate(claims, seed=11, prefix="b")
    settings = Settings(data_dir=folder / "data", db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        started = time.perf_counter()
        await services.interchange.import_document(SYSTEM, doc)
        print(
            f"imported {len(doc['nodes']):,} nodes + {len(doc['claims']):,} claims through "
            f"the service in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        tokens = {
            role.value: (await services.tokens.create(role, f"benchmark {role.value}", SYSTEM))[1]
            for role in Role
        }
    finally:
        await db.close()
    ids: dict[str, list[str]] = {}
    for node in doc["nodes"]:
        ids.setdefault(node["label"], []).append(node["id"])
    marker.write_text(json.dumps({"claims": claims, "tokens": tokens, "ids": ids}))
    return Prepared(folder, tokens, ids)


async def _wait_ready(port: int, path: str, process: asyncio.subprocess.Process) -> None:
    for _ in range(1200):
        if process.returncode is not None:
            raise RuntimeError(f"a server exited with code {process.returncode}")
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status = (await reader.readline()).split()
            writer.close()
            if status and status[1] in (b"200", b"400"):
                return
        await asyncio.sleep(0.25)
    raise RuntimeError("a server did not start")


@contextlib.asynccontextmanager
async def running(
    argv: list[str], env: dict[str, str], port: int, ready_path: str, log: Path
) -> AsyncIterator[None]:
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *argv, env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            await _wait_ready(port, ready_path, process)
            yield
        finally:
            if process.returncode is None:
                process.terminate()
            await process.wait()


def ensure_peer_installed() -> None:
    if not (PEER_DIR / "node_modules").is_dir():
        print("installing the peer: npm ci --prefix benchmarks/peer", flush=True)
        subprocess.run(["npm", "ci", "--prefix", str(PEER_DIR)], check=True)


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)
    errors: int = 0


Call = Callable[[dict[str, Any]], Awaitable[bool]]


async def run(args: argparse.Namespace, folder: Path) -> None:
    prepared = await prepare(folder, args.claims)
    ensure_peer_installed()
    service_port, peer_port = free_port(), free_port()
    env = {
        **os.environ,
        "ACCOUNTABILITY_DATA_DIR": str(prepared.data),
        "ACCOUNTABILITY_PORT": str(service_port),
    }
    env.pop("ACCOUNTABILITY_DB_URI", None)
    if args.no_look_ahead:
        env["ACCOUNTABILITY_LOOK_AHEAD"] = "false"
    env["ACCOUNTABILITY_WORKERS"] = str(args.workers)
    service = running(
        [sys.executable, "-m", "accountability", "serve"],
        env,
        service_port,
        "/readyz",
        folder / "service.log",
    )
    async with service:
        # The peer reads the address and password of the engine the service started.
        peer = running(
            ["node", str(PEER_DIR / "server.mjs")],
            {**os.environ, "DATA": str(prepared.data), "PORT": str(peer_port)},
            peer_port,
            "/?query=%7B__typename%7D",
            folder / "peer.log",
        )
        async with peer:
            # The engine publishes its Bolt address first, then its HTTP one.
            uri = (prepared.data / "engine-address").read_text().split()[0]
            password = (prepared.data / "engine-password").read_text().strip()
            driver = neo4j.AsyncGraphDatabase.driver(uri, auth=("root", password))
            try:
                await measure(args, prepared, service_port, peer_port, driver)
            finally:
                await driver.close()


async def measure(
    args: argparse.Namespace,
    prepared: Prepared,
    service_port: int,
    peer_port: int,
    driver: neo4j.AsyncDriver,
) -> None:
    catalog = Catalog(Settings().cypher_dir)
    token = prepared.tokens[args.role]
    shapes = [s for s in SHAPES if not args.shapes or any(w in s.name for w in args.shapes)]
    pools: dict[str, list[Client]] = {
        "service": [Client(service_port, "/graphql", token) for _ in range(args.clients)],
        "peer": [Client(peer_port, "/", None) for _ in range(args.clients)],
    }

    def caller(target: str, shape: Shape, client_index: int) -> Call:
        if target == "raw":
            text = catalog[shape.raw]

            async def raw(variables: dict[str, Any]) -> bool:
                records, _, _ = await driver.execute_query(
                    text,
                    shape.raw_params(variables),
                    database_="g",
                    routing_=neo4j.RoutingControl.READ,
                )
                rows = [r.data() for r in records]
                return bool(rows)

            return raw
        client = pools[target][client_index]
        query = shape.service if target == "service" else shape.peer
        answer = shape.service_field if target == "service" else shape.peer_field

        async def http(variables: dict[str, Any]) -> bool:
            body = await client.post(json.dumps({"query": query, "variables": variables}).encode())
            return not body.get("errors") and bool((body.get("data") or {}).get(answer))

        return http

    def variables(shape: Shape, rng: random.Random) -> dict[str, Any]:
        if shape.label is None:
            return {}
        return {"id": rng.choice(prepared.ids[shape.label.value])}

    figures = {(s.name, t): Figures() for s in shapes for t in TARGETS}

    async def sequential(shape: Shape, target: str, seed: int, n: int, keep: bool) -> None:
        call, rng = caller(target, shape, 0), random.Random(seed)
        out = figures[(shape.name, target)]
        for _ in range(n):
            v = variables(shape, rng)
            t = time.perf_counter()
            ok = await call(v)
            if keep:
                out.latencies.append(time.perf_counter() - t)
                out.errors += not ok

    async def concurrent(shape: Shape, target: str, seed: int) -> None:
        deadline = time.perf_counter() + args.seconds
        done = 0
        out = figures[(shape.name, target)]

        async def loop(i: int) -> None:
            nonlocal done
            call, rng = caller(target, shape, i), random.Random(seed * 100 + i)
            while time.perf_counter() < deadline:
                ok = await call(variables(shape, rng))
                done += 1
                out.errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(loop(i) for i in range(args.clients)))
        out.rates.append(done / (time.perf_counter() - started))

    load_before = os.getloadavg()
    for shape in shapes:  # warm every path: the engine's JIT, the servers' caches
        for target in TARGETS:
            await sequential(shape, target, 0, args.warmup, keep=False)
    for rnd in range(args.rounds):
        for shape in shapes:
            # The same requests for all three, in an order that turns each round.
            order = TARGETS[rnd % 3 :] + TARGETS[: rnd % 3]
            for target in order:
                await sequential(shape, target, 1000 * rnd + 1, args.requests, keep=True)
            for target in order:
                await concurrent(shape, target, 1000 * rnd + 2)
        print(f"round {rnd + 1} of {args.rounds} done", flush=True)
    for pool in pools.values():
        for client in pool:
            await client.close()
    report(args, shapes, figures, load_before, os.getloadavg())


def report(
    args: argparse.Namespace,
    shapes: list[Shape],
    figures: dict[tuple[str, str], Figures],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> None:
    def load(avg: tuple[float, float, float]) -> str:
        return " ".join(f"{x:.2f}" for x in avg)

    print(
        f"\n{os.cpu_count()} cores; load average (1, 5, 15 min) {load(load_before)} before, "
        f"{load(load_after)} after. {args.rounds} alternating rounds; per round and path: "
        f"{args.requests} sequential requests, then {args.clients} clients for "
        f"{args.seconds:g} s. Service asked as {args.role}"
        f"{' (look-ahead off)' if args.no_look_ahead else ''}.\n"
    )
    head = f"{'shape':42} {'':10} {'p50 ms':>8} {'p95 ms':>8} {'req/s @' + str(args.clients):>11}"
    print(head)
    print("-" * len(head))
    errors = 0
    for shape in shapes:
        got: dict[str, tuple[float, float, float]] = {}
        for target in TARGETS:
            f = figures[(shape.name, target)]
            errors += f.errors
            got[target] = (
                percentile(f.latencies, 0.5),
                percentile(f.latencies, 0.95),
                statistics.median(f.rates),
            )
            name = shape.name if target == "service" else ""
            p50, p95, rate = got[target]
            print(f"{name:42} {target:10} {p50:8.2f} {p95:8.2f} {rate:11.0f}")
        for other in ("peer", "raw"):
            s, o = got["service"], got[other]
            print(
                f"{'':42} {'svc/' + other:10} {s[0] / o[0]:7.2f}x {s[1] / o[1]:7.2f}x "
                f"{s[2] / o[2]:10.2f}x"
            )
    print(
        "\nTargets (issue 11): service p50 <= 0.8x the peer's and <= 2x the raw driver's; "
        "req/s >= 1.2x the peer's."
    )
    if errors:
        print(f"\n{errors} requests failed or came back empty: the figures are suspect.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer_bench", description=__doc__)
    parser.add_argument("--claims", type=int, default=20_000, help="graph size, in claims")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=60, help="sequential, per round")
    parser.add_argument("--seconds", type=float, default=2.0, help="concurrent, per round")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=1, help="service processes (serve --workers)"
    )
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--role", default=Role.ANALYST.value, choices=[r.value for r in Role])
    parser.add_argument("--shapes", nargs="*", help="only shapes whose name holds a word")
    parser.add_argument(
        "--no-look-ahead", action="store_true", help="the service without look-ahead reads"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="keep the prepared data here and reuse it (default: temp)"
    )
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(run(args, args.data_dir.resolve()))
        return
    with tempfile.TemporaryDirectory(prefix="peer-bench-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
