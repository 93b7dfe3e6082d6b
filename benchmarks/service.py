"""The service under test, run as users run it: ``accountability serve`` in its own
process, on a data folder a benchmark prepared."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from accountability.domain.redaction import SYSTEM, Role
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import PROJECT_ROOT
from benchmarks.http import LeanClient


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def served(data_dir: Path, heap_mb: int | None = None) -> AsyncIterator[int]:
    """Start the service on ``data_dir``; yield its port once its database answers."""
    async with serving(data_dir, heap_mb) as (port, _):
        yield port


@contextlib.asynccontextmanager
async def serving(
    data_dir: Path, heap_mb: int | None = None, args: tuple[str, ...] = ()
) -> AsyncIterator[tuple[int, int]]:
    """Start ``accountability serve ARGS`` on ``data_dir``; yield its port and pid once
    its database answers."""
    port = free_port()
    env = {**os.environ, "ACCOUNTABILITY_DATA_DIR": str(data_dir), "ACCOUNTABILITY_PORT": str(port)}
    if heap_mb is not None:
        env["ACCOUNTABILITY_EMBEDDED_HEAP_MB"] = str(heap_mb)
    env.pop("ACCOUNTABILITY_DB_URI", None)
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accountability",
        "serve",
        *args,
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await answering(server, port, "/readyz", "the service", seconds=300)
        yield port, server.pid
    finally:
        if server.returncode is None:
            server.terminate()
        await server.wait()


async def answering(
    process: asyncio.subprocess.Process, port: int, path: str, what: str, seconds: float
) -> None:
    """Return once GET ``path`` on ``port`` answers 200; fail if ``process`` exits first or
    it does not answer within ``seconds``."""
    for _ in range(int(seconds / 0.1)):
        if process.returncode is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        with contextlib.suppress(OSError):
            async with LeanClient("127.0.0.1", port) as client:
                if await client.get_status(path) == 200:
                    return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


async def bench_token(db: Database) -> str:
    """An analyst's token for the benchmark's requests (created through ``db``)."""
    services = Services.over(db, db.settings)
    return (await services.tokens.create(Role.ANALYST, "benchmark", SYSTEM))[1]
