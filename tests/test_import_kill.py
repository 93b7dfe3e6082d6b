"""An import of ~12,000 claims (in parts of 6,000 records) killed (kill -9 of the
command and its engine) at three moments, found interrupted by the next start each
time, completed by running it again, and undone back to the state before it, with the
audit chain intact. On its own data folder: each import owns its engine, as on an
operator's machine."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from accountability.domain.imports import RunStatus
from accountability.domain.redaction import OPERATOR
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from benchmarks.generate import generate
from tests.exporting import whole_graph

pytestmark = pytest.mark.slow

CLAIMS = 8_000
#: Records a transaction: the file is written in three parts, as a big one is in many.
TX_RECORDS = 4_000
#: Longest any one command may take before the test gives up on it.
STEP_TIMEOUT_S = 240.0
STARTED = re.compile(r"import (import-[0-9a-f]+): checking (\d+) records")
WRITTEN = re.compile(r"(\d+) of (\d+) records written")


def big_file() -> dict[str, Any]:
    """The benchmark's fictional graph. Nobody in it is protected: undoing the removal
    of protected persons needs clearance, which another test covers."""
    doc = generate(CLAIMS, seed=11, prefix="k")
    for node in doc["nodes"]:
        node["properties"].pop("protected", None)
        node["properties"].pop("pseudonym", None)
    for claim in doc["claims"]:
        claim["evidence"] = claim["evidence"][:1]  # an index edge each: the test's time
    return doc


def before_file(big: dict[str, Any]) -> dict[str, Any]:
    """What the folder holds before the import: some of the file's persons under other
    names, some of its claims citing less evidence (the import changes both), and
    records of its own (the import leaves them alone)."""
    claims = [{**c, "evidence": []} for c in big["claims"] if c["type"] == "MEMBER_OF"][:100]
    needed = {e for c in claims for e in (c["from"], c["to"], *c["evidence"])}
    nodes = [
        {**n, "properties": {**n["properties"], "name": f"Earlier Name {i}"}}
        if n["label"] == "Person"
        else n
        for i, n in enumerate(n for n in big["nodes"] if n["id"] in needed)
    ]
    nodes += [
        {"id": f"own-person-{i}", "label": "Person", "properties": {"name": f"Own Person {i}"}}
        for i in range(5)
    ]
    nodes.append({"id": "own-unit", "label": "Unit", "properties": {"name": "Own Unit"}})
    claims += [
        {"id": f"own-claim-{i}", "type": "MEMBER_OF", "from": f"own-person-{i}", "to": "own-unit"}
        for i in range(5)
    ]
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": claims}


def by_id(doc: dict[str, Any]) -> dict[str, Any]:
    return {section: {r["id"]: r for r in doc[section]} for section in ("nodes", "claims")}


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCOUNTABILITY_")}
    return {
        **env,
        "ACCOUNTABILITY_DATA_DIR": str(data),
        "ACCOUNTABILITY_IMPORT_TX_RECORDS": str(TX_RECORDS),
        "COLUMNS": "250",
    }


class Command:
    """``accountability ARGS`` in a process group of its own (it and its engine)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []

    @classmethod
    async def start(cls, data: Path, *args: str) -> Command:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "accountability",
            *args,
            env=_env(data),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        return cls(proc)

    async def wait_for(self, pattern: re.Pattern[str]) -> re.Match[str]:
        """Read stderr until a line matches."""
        assert self.proc.stderr is not None
        async with asyncio.timeout(STEP_TIMEOUT_S):
            while line := (await self.proc.stderr.readline()).decode():
                self.lines.append(line)
                if found := pattern.search(line):
                    return found
        raise AssertionError(f"no {pattern.pattern!r} in:\n{''.join(self.lines)}")

    async def finish(self) -> str:
        """Wait for the command to end well; all it wrote on stderr."""
        assert self.proc.stderr is not None
        async with asyncio.timeout(STEP_TIMEOUT_S):
            rest = (await self.proc.stderr.read()).decode()
            code = await self.proc.wait()
        text = "".join(self.lines) + rest
        assert code == 0, text
        return text

    async def kill(self) -> None:
        """kill -9 of the command and its engine at once; back when both are gone."""
        members = _group(self.proc.pid)
        assert len(members) >= 2, "the command should have started its engine"
        os.killpg(self.proc.pid, signal.SIGKILL)
        await self.proc.wait()
        for _ in range(600):  # 30 s
            if not any(_alive(pid) for pid in members):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"processes {members} outlived kill -9")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _group(pgid: int) -> list[int]:
    """The processes of a process group (the command and its engine)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) and int(fields[2]) == pgid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _interrupted(text: str, run_id: str, written: int, total: int) -> bool:
    return bool(
        re.search(
            rf"WARNING: import {run_id} of big\.json by operator was interrupted after "
            rf"{written} of {total} records",
            text,
        )
    )


async def _open(data: Path) -> tuple[Database, Services]:
    settings = Settings(data_dir=data, embedded_heap_mb=512)
    db = Database(settings)
    await db.open()
    return db, Services.over(db, settings)


async def test_an_import_killed_three_times_is_completed_then_undone_exactly(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    laps: list[str] = []
    clock = time.monotonic()

    def lap(what: str) -> None:
        nonlocal clock
        laps.append(f"{what} {time.monotonic() - clock:.1f} s")
        clock = time.monotonic()

    big = big_file()
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    total = len(big["nodes"]) + len(big["claims"])

    db, services = await _open(folder)
    try:
        await services.interchange.import_document(OPERATOR, before_file(big))
        before = by_id(await whole_graph(services))
    finally:
        await db.close()
    lap("before")

    # 1. Killed while it validates: the run is in the journal, nothing is written.
    first = await Command.start(folder, "import", str(path))
    found = await first.wait_for(STARTED)
    run1 = found[1]
    assert int(found[2]) == total
    await asyncio.sleep(0.2)  # validating 10,900 records takes longer
    await first.kill()
    lap("kill 1")

    # 2. Killed between two parts: right after the first committed.
    second = await Command.start(folder, "import", str(path))
    run2 = (await second.wait_for(STARTED))[1]
    checked = time.monotonic()
    assert _interrupted("".join(second.lines), run1, 0, total), second.lines
    part = int((await second.wait_for(WRITTEN))[1])
    validated_and_written = time.monotonic() - checked
    await second.kill()
    assert 0 < part < total
    lap("kill 2")

    # 3. Killed inside the second part's transaction: a part takes about what the first
    # took (the time from validation to its commit, less validation), whatever the
    # machine; the kill comes at 40 % of it. The next start says whether it landed.
    third = await Command.start(folder, "import", str(path))
    run3 = (await third.wait_for(STARTED))[1]
    checked = time.monotonic()
    assert _interrupted("".join(third.lines), run2, part, total), third.lines
    assert int((await third.wait_for(WRITTEN))[1]) == part  # skipped, not written again
    validated = time.monotonic() - checked
    await asyncio.sleep(max(0.5, 0.4 * (validated_and_written - validated)))
    await third.kill()
    lap("kill 3")

    # 4. Run again: it completes the file.
    fourth = await Command.start(folder, "import", str(path))
    run4 = (await fourth.wait_for(STARTED))[1]
    text = await fourth.finish()
    assert _interrupted(text, run3, part, total), text  # skipped parts count
    assert f"imported {len(big['nodes'])} nodes and {len(big['claims'])} claims" in text
    assert f"{part} of them had been written by the interrupted run" in text
    lap("complete")

    db, services = await _open(folder)
    try:
        imported = by_id(await whole_graph(services))
        for section in ("nodes", "claims"):
            own = {i for i in before[section] if i.startswith("own-")}
            assert set(imported[section]) == {r["id"] for r in big[section]} | own
        person = next(n for n in big["nodes"] if n["label"] == "Person")
        assert imported["nodes"][person["id"]]["properties"]["name"] == person["properties"]["name"]
        runs = await services.imports.get_many([run1, run2, run3, run4])
        assert runs[run4].status is RunStatus.COMPLETE
        assert set(runs[run4].resumes) == {run1, run2, run3}
        assert runs[run4].written + runs[run4].skipped == total
        assert {runs[r].status for r in (run1, run2, run3)} == {RunStatus.RESUMED}

        lap("checked")
        # 5. Undone (by the command line, attached to this engine): as before, exactly.
        undo = await Command.start(folder, "import", "--undo", run4)
        text = await undo.finish()
        lap("undo")
        assert f"undid import {run4}" in text, text
        after = by_id(await whole_graph(services))
        assert after == before
        runs = await services.imports.get_many([run1, run2, run3, run4])
        assert {r.status for r in runs.values()} == {RunStatus.UNDONE}
        count, broken = await services.audit.verify()
        assert broken is None and count > 0
    finally:
        await db.close()
        lap("verified")
        print("kill test:", ", ".join(laps))
