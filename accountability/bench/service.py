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

from accountability.bench.http import LeanClient
from accountability.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def served(data_dir: Path, heap_mb: int | None = None) -> AsyncIterator[int]:
    """Start the service on ``data_dir``; yield its port once it answers GraphQL."""
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
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            if server.returncode is not None:
                raise RuntimeError(f"the service exited with code {server.returncode}")
            with contextlib.suppress(OSError):
                async with LeanClient("127.0.0.1", port) as client:
                    status, _ = await client.post_json("/graphql", {"query": "{ __typename }"})
                    if status == 200:
                        break
            await asyncio.sleep(0.5)
        else:
            raise RuntimeError("the service did not start")
        yield port
    finally:
        if server.returncode is None:
            server.terminate()
        await server.wait()
