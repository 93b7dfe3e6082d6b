"""What a request costs before the service does any work of its own: a bare ASGI app on
uvicorn (the server ``accountability serve`` runs on, with the same defaults) answering
a small JSON body, against the service answering ``{ __typename }`` as an analyst
(authentication, routing, strawberry, the protection alarm), timed by the same client
in alternating rounds. The difference is the service's fixed cost a request; what is
left of a nested read's time is the statement and the work a value. Loopback only;
bounded time (rounds x requests x 2).

    .venv/bin/python -m benchmarks.http_floor [--rounds 5] [--requests 4000] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import orjson

from accountability.graph.database import Database
from accountability.settings import PROJECT_ROOT, Settings
from benchmarks.peer_bench import Client
from benchmarks.runner import percentile
from benchmarks.service import answering, bench_token, free_port, served

#: What the bare app answers: about the size of the service's answer to the query.
_BODY = orjson.dumps({"data": {"__typename": "Query"}})

Receive = Callable[[], Awaitable[dict[str, object]]]
Send = Callable[[dict[str, object]], Awaitable[None]]


async def bare(scope: dict[str, object], receive: Receive, send: Send) -> None:
    """The whole app: read the request, answer the same body every time."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(_BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": _BODY})


@contextlib.asynccontextmanager
async def bare_served() -> AsyncIterator[int]:
    """The bare app on uvicorn in a process of its own; yield its port once it answers."""
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.http_floor:bare",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await answering(server, port, "/", "the bare app", seconds=10)
        yield port
    finally:
        server.terminate()
        await server.wait()


async def _round(client: Client, requests: int) -> list[float]:
    payload = orjson.dumps({"query": "{ __typename }"})
    took = []
    for _ in range(requests):
        start = time.perf_counter()
        body = await client.post(payload)
        took.append(time.perf_counter() - start)
        if body.get("data") != {"__typename": "Query"}:
            raise RuntimeError(f"unexpected answer: {body!r}")
    return took


async def run(rounds: int, requests: int, data_dir: Path) -> None:
    async with served(data_dir) as port:
        attached = Database(Settings(data_dir=data_dir, db_uri=None))
        await attached.open(attach=True)
        try:
            token = await bench_token(attached)
        finally:
            await attached.close()
        async with bare_served() as bare_port:
            clients = {
                "bare ASGI app on uvicorn": Client(bare_port, "/", None),
                "service, { __typename }": Client(port, "/graphql", token),
            }
            times: dict[str, list[float]] = {name: [] for name in clients}
            try:
                for client in clients.values():  # warm-up: connections, caches
                    await _round(client, max(200, requests // 10))
                for _ in range(rounds):
                    for name, client in clients.items():
                        times[name] += await _round(client, requests)
            finally:
                for client in clients.values():
                    await client.close()
    print(f"{rounds} alternating rounds of {requests} sequential requests each")
    print(f"{'':28s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for name, took in times.items():
        print(f"{name:28s} {percentile(took, 0.5):8.3f} {percentile(took, 0.95):8.3f}")
    floor, ours = (percentile(t, 0.5) for t in times.values())
    print(f"the service's fixed cost a request (p50 difference): {ours - floor:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--data-dir", type=Path, help="a data folder to serve (else a fresh one)")
    args = parser.parse_args()
    if args.data_dir is not None:
        asyncio.run(run(args.rounds, args.requests, args.data_dir))
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.rounds, args.requests, Path(tmp)))


if __name__ == "__main__":
    main()
