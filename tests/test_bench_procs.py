"""The benchmarks' readings of their processes: the engine's CPU and memory are told apart
from the service's, and a run's CPU is counted for each process that took part."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from accountability.graph.database import Database
from benchmarks.procs import CpuMeter, cpu_s, engine_pid, rss_kb, usable_cores


def _burn(seconds: float) -> None:
    """Busy this process for about ``seconds`` of CPU."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        sum(range(1000))


def test_a_run_counts_this_process_and_the_children_that_ended() -> None:
    meter = CpuMeter(None)
    _burn(0.2)
    child = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", child], check=True)
    used = meter.used()
    assert used.here >= 0.15
    assert used.ended_children >= 0.2
    assert used.engine == 0.0
    assert used.total == used.here + used.engine + used.ended_children
    assert used.wall >= 0.4
    assert f"on {usable_cores()} cores" in used.line()


def test_the_engine_is_read_apart_from_the_service(db: Database) -> None:
    pid = engine_pid(db)
    if pid is None:
        pytest.skip("the tests run against an outside database: no engine process here")
    # The engine has worked since it started (the JVM alone takes seconds of CPU).
    assert cpu_s(pid) > 0.5
    memory = rss_kb(os.getpid())
    assert memory["engine"] > 100_000, "the engine (Java) is a child of the test process"
    assert memory["service"] > 10_000
    alone = rss_kb(pid)
    assert alone["service"] == 0 and alone["engine"] > 0
