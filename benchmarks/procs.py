"""What the benchmarks' processes use, read from /proc (Linux): resident memory of a
process tree, and the CPU seconds a run cost each process that took part in it, so that
a figure can say whether the machine's cores, not waiting, bound it."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from accountability.graph.database import Database

#: Clock ticks a second, the unit of /proc/<pid>/stat's CPU times.
_TICKS = os.sysconf("SC_CLK_TCK")


def _kind(pid: int) -> str:
    """The engine (a Java process) or one of the service's own processes."""
    return "engine" if "java" in Path(f"/proc/{pid}/comm").read_text() else "service"


def _tree(pid: int) -> list[int]:
    """A process and its descendants, those still running."""
    found, pids = [], [pid]
    while pids:
        current = pids.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        found.append(current)
    return found


def rss_kb(pid: int) -> dict[str, int]:
    """Resident memory of a process and its descendants, the engine (Java) apart from the
    service's processes (the first one and its workers)."""
    total = {"service": 0, "engine": 0}
    for current in _tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total[_kind(current)] += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
        except (OSError, StopIteration):
            continue
    return total


def cpu_s(pid: int) -> float:
    """CPU seconds (user and system, every thread) a running process has used so far."""
    # The command name is in parentheses and may hold spaces: the fields follow it.
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def engine_pid(db: Database) -> int | None:
    """The process of the embedded engine this database started, if it started one."""
    process = db.engine.process if db.engine is not None else None
    return process.pid if process is not None else None


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than
    the machine has)."""
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds of one run: this process, a running engine, the children of this
    process that ended during the run (the export's writers), and the wall time."""

    here: float
    engine: float
    ended_children: float
    wall: float

    @property
    def total(self) -> float:
        return self.here + self.engine + self.ended_children

    def line(self) -> str:
        cores = usable_cores()
        return (
            f"CPU {self.total:.1f} s in {self.wall:.1f} s: this process {self.here:.1f} s, "
            f"engine {self.engine:.1f} s, processes that ended {self.ended_children:.1f} s; "
            f"on {cores} cores no run of this work is shorter than {self.total / cores:.1f} s"
        )


class CpuMeter:
    """Counts the CPU a run costs; ``engine_pid`` is the engine's process, if it runs here."""

    def __init__(self, engine_pid: int | None) -> None:
        self.engine_pid = engine_pid
        self._start = self._now()

    def _now(self) -> tuple[float, float, float, float]:
        ended = resource.getrusage(resource.RUSAGE_CHILDREN)
        engine = 0.0
        if self.engine_pid is not None:
            try:
                engine = cpu_s(self.engine_pid)
            except OSError:
                # The engine exited (a restart gives it another process): its share is
                # unknown, and says so, rather than failing the bench at its end.
                engine = float("nan")
        return (
            time.process_time(),
            engine,
            ended.ru_utime + ended.ru_stime,
            time.perf_counter(),
        )

    def used(self) -> CpuUse:
        now = self._now()
        here, engine, ended, wall = (b - a for a, b in zip(self._start, now, strict=True))
        return CpuUse(here, engine, ended, wall)
