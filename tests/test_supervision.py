"""The service supervises its embedded engine: killed with -9 under a stream of writes,
the engine is restarted by the service itself, requests meanwhile fail fast with
DATABASE_UNAVAILABLE, /readyz says so, and every acknowledged write is there after."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serving import Served, serve

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("ACCOUNTABILITY_TEST_DB_URI")), reason="the embedded engine only"
    ),
]

CREATE = """mutation($id: ID!, $p: JSON!) {
  createNode(label: UNIT, id: $id, properties: $p) { id } }"""
FOUND = """query($s: String!) {
  units(filter: {search: $s}, first: 500) { totalCount edges { node { id } } } }"""


def _engine_pid(service_pid: int) -> int:
    """The service's child that runs the engine (its only Java child)."""
    for task in Path(f"/proc/{service_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"ArcadeDBServer" in cmdline:
                return int(child)
    raise AssertionError("the service runs no engine")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """``accountability serve`` on its own data folder, ready."""
    service = serve(tmp_path / "data", tmp_path / "serve.log")
    try:
        yield service
    finally:
        service.stop()


async def test_a_killed_engine_is_restarted_and_no_acknowledged_write_is_lost(
    served: Served,
) -> None:
    service, log_path = served.process, served.log
    port = served.base.rsplit(":", 1)[1]
    async with httpx.AsyncClient(base_url=served.base, timeout=15) as http:
        headers = {"Authorization": f"Bearer {served.first_token()}"}
        tag = f"kill{os.getpid()}x{port}"
        acked: list[str] = []
        failures: list[tuple[float, int, dict[str, Any]]] = []
        n = 0

        async def create() -> bool:
            nonlocal n
            n += 1
            node = f"{tag}-{n}"
            started = time.monotonic()
            answer = await http.post(
                "/graphql",
                json={"query": CREATE, "variables": {"id": node, "p": {"name": f"U {tag}"}}},
                headers=headers,
            )
            body = answer.json()
            if answer.status_code == 200 and "errors" not in body:
                assert body["data"]["createNode"]["id"] == node
                acked.append(node)
                return True
            failures.append((time.monotonic() - started, answer.status_code, body))
            return False

        while len(acked) < 15:
            assert await create(), failures
        engine = _engine_pid(service.pid)
        killed = time.monotonic()
        os.kill(engine, signal.SIGKILL)

        # Writes go on through the gap; each fails fast, and /readyz says why.
        reasons = set()
        recovered = None
        while recovered is None:
            assert time.monotonic() - killed < 40, log_path.read_text()
            await create()
            ready = await http.get("/readyz")
            if ready.status_code == 200:
                recovered = time.monotonic() - killed
            else:
                reasons.add(ready.json()["reason"])
                await asyncio.sleep(0.05)  # a client's pace, not a busy loop
        after = len(acked)
        while len(acked) < after + 15:
            assert await create(), failures[-1]
        assert _engine_pid(service.pid) != engine

        assert failures, "writes during the gap were refused"
        for took, status, body in failures:
            assert status in (200, 503), body
            assert body["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE", body
            assert took < 5, (took, body)
        assert any("restarting" in r for r in reasons), reasons

        listed = await http.post(
            "/graphql", json={"query": FOUND, "variables": {"s": tag}}, headers=headers
        )
        units = listed.json()["data"]["units"]
        stored = {edge["node"]["id"] for edge in units["edges"]}
        assert set(acked) <= stored, set(acked) - stored
        assert units["totalCount"] == len(stored) <= n
    text = log_path.read_text()
    assert "restart attempt 1 of 5" in text and "last log lines" in text
    back = re.search(r"the embedded engine is back after ([0-9.]+) s", text)
    assert back, text
    print(f"engine back after {back.group(1)} s; /readyz after {recovered:.1f} s")
    assert service.poll() is None
