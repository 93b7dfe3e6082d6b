"""Two instances behave as one service: a second ``serve --attach`` on the same data
folder sees every write of the first at once, reports and serves the exports the first
started (and keeps them across its own restart), and refuses a token revoked by a third
process within a poll; an export whose process died is reported failed, not running.
``serve --workers 2`` serves from two processes on one port and one engine."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import Role, Viewer
from accountability.errors import NotFound
from accountability.graph.catalog import Q
from accountability.graph.database import now_iso
from accountability.services.container import Services
from accountability.services.exports.jobs import INTERRUPTED
from accountability.services.ingest.process import this_process
from tests.builders import REPO
from tests.serving import Served, serve, service_env

embedded_only = pytest.mark.skipif(
    bool(os.environ.get("ACCOUNTABILITY_TEST_DB_URI")), reason="the embedded engine only"
)

CREATE = """mutation($id: ID!) {
  createNode(label: UNIT, id: $id, properties: {name: "Fictional 9th Brigade"}) { id } }"""
NODE = "query($id: ID!) { node(id: $id) { id } }"
CASE = """mutation($c: ID!, $u: ID!) {
  createCase(id: $c, title: "Fictional case") { id }
  addToCase(caseId: $c, ids: [$u]) { changed } }"""
START = "mutation($c: ID!) { startExport(caseId: $c, profile: COURT) { id status } }"
JOB = """query($id: ID!) { exportJob(id: $id) {
  status error errorCode manifestSha256 downloadUrl nodeCount } }"""


def _post(base: str, token: str, query: str, **variables: Any) -> httpx.Response:
    return httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def _gql(base: str, token: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = _post(base, token, query, **variables)
    body: dict[str, Any] = answer.json()
    assert answer.status_code == 200 and "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def _cli(data_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accountability", *args],
        env=service_env(data_dir, 0),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Served, Served, Path]]:
    data = tmp_path / "data"
    first = serve(data, tmp_path / "first.log")
    try:
        second = serve(data, tmp_path / "second.log", "--attach")
        try:
            yield first, second, data
        finally:
            second.stop()
    finally:
        first.stop()


@pytest.mark.slow
@embedded_only
def test_two_instances_on_one_data_folder_behave_as_one_service(
    pair: tuple[Served, Served, Path], tmp_path: Path
) -> None:
    first, second, data = pair
    admin = first.first_token()
    assert "attached" in second.log.read_text()

    # A write acknowledged by one instance is read by the other at once.
    _gql(first.base, admin, CREATE, id="inst-unit")
    assert _gql(second.base, admin, NODE, id="inst-unit")["node"] == {"id": "inst-unit"}
    _gql(second.base, admin, CASE, c="inst-case", u="inst-unit")

    # An export started on one is followed and downloaded on the other.
    job_id = _gql(first.base, admin, START, c="inst-case")["startExport"]["id"]
    deadline = time.monotonic() + 60
    while (job := _gql(second.base, admin, JOB, id=job_id)["exportJob"])["status"] == "RUNNING":
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["status"] == "DONE" and job["nodeCount"] >= 2, job
    assert _gql(first.base, admin, JOB, id=job_id)["exportJob"] == job
    got = httpx.get(
        f"{second.base}{job['downloadUrl']}",
        headers={"Authorization": f"Bearer {admin}"},
        timeout=30,
    )
    assert got.status_code == 200
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(got.content)).namelist()

    # A restart of an instance forgets no export.
    second.stop()
    second = serve(data, tmp_path / "again.log", "--attach")
    try:
        assert _gql(second.base, admin, JOB, id=job_id)["exportJob"] == job
        again = httpx.get(
            f"{second.base}{job['downloadUrl']}",
            headers={"Authorization": f"Bearer {admin}"},
            timeout=30,
        )
        assert again.content == got.content

        # A token revoked by a third process (the command line) is refused by both
        # instances within a poll, though each had just verified (and cached) it.
        made = _cli(data, "token", "create", "--role", "viewer", "--name", "inst viewer")
        viewer = next(w for w in made.split() if w.startswith("acc_"))
        token_id = viewer.split("_")[1]
        for base in (first.base, second.base):
            assert _post(base, viewer, NODE, id="inst-unit").status_code == 200
        _cli(data, "token", "revoke", token_id)
        revoked = time.monotonic()
        refused: dict[str, float] = {}
        while len(refused) < 2:
            for base in (first.base, second.base):
                if base not in refused and _post(base, viewer, NODE, id="x").status_code == 401:
                    refused[base] = time.monotonic() - revoked
            assert time.monotonic() - revoked < 5, refused
            time.sleep(0.05)
    finally:
        second.stop()


async def test_an_export_whose_process_is_gone_is_reported_failed(
    services: Services, uid: Callable[[str], str]
) -> None:
    """Kept in the graph as running by a process that no longer exists (killed -9
    mid-export): any instance reports it failed, and it is never served."""
    gone = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    me = this_process()
    job_id = f"export-{uid('dead')}"
    owner = Viewer(name="fictional admin", role=Role.ADMIN, principal="token:test")
    props = {
        "owner_key": owner.key,
        "owner_role": owner.role.value,
        "scope": "case",
        "subject": "some-case",
        "max_depth": 6,
        "include_leads": False,
        "with_originals": False,
        "requested": ExportProfile.COURT.value,
        "effective": ExportProfile.COURT.value,
        "started_at": now_iso(),
        "heartbeat_at": now_iso(),
        "status": "running",
        "done": 10,
        "total": 100,
        "host": me.host,
        "pid": int(gone.stdout),
        "token": "a process that ended",
    }
    await services.db.write(lambda tx: tx.run(Q.EXPORT_JOB_CREATE, id=job_id, props=props))
    # Its partial file, left behind by the kill.
    jobs = services.export_jobs
    jobs.folder.mkdir(parents=True, exist_ok=True)
    jobs.path(job_id).write_bytes(b"PK partial")
    job = await jobs.get(owner, job_id)
    assert (job.status, job.error_code, job.done, job.total) == ("failed", INTERRUPTED, 10, 100)
    assert job.error and "stopped before it finished" in job.error
    assert job.finished_at is not None
    await jobs.sweep()
    assert not jobs.path(job_id).exists()
    # Only its owner (or an admin) sees it; for anyone else it does not exist.
    with pytest.raises(NotFound):
        await jobs.get(Viewer(name="someone", role=Role.PROSECUTOR, principal="token:x"), job_id)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _worker_of(main: Served) -> int:
    """The pid of the extra worker ``serve --workers 2`` started (not its engine)."""
    deadline = time.monotonic() + 60
    while True:
        for child in _children(main.process.pid):
            with contextlib.suppress(OSError):
                if b"--fd" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return child
        assert time.monotonic() < deadline, main.log.read_text()
        time.sleep(0.2)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


@pytest.mark.slow
@embedded_only
def test_workers_share_one_port_and_one_engine(tmp_path: Path) -> None:
    """``serve --workers 2``: two processes answer on one port from one engine; a worker
    that dies is started again; the workers stop with the service."""
    data = tmp_path / "data"
    main = serve(data, tmp_path / "main.log", "--workers", "2")
    try:
        admin = main.first_token()
        worker = _worker_of(main)
        deadline = time.monotonic() + 60
        while main.log.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, main.log.read_text()
            time.sleep(0.2)
        assert "attached" in main.log.read_text()
        _gql(main.base, admin, CREATE, id="workers-unit")
        idle = _cpu_ticks(worker)
        time.sleep(2)
        idle = _cpu_ticks(worker) - idle
        before = {pid: _cpu_ticks(pid) for pid in (main.process.pid, worker)}

        # Many connections at once: each process accepts some, and every answer is right.
        async def burst() -> list[httpx.Response]:
            async def one(n: int) -> httpx.Response:
                async with httpx.AsyncClient(base_url=main.base, timeout=60) as client:
                    return await client.post(
                        "/graphql",
                        json={"query": NODE, "variables": {"id": "workers-unit"}},
                        headers={"Authorization": f"Bearer {admin}"},
                    )

            answers: list[httpx.Response] = []
            for _ in range(8):
                answers += await asyncio.gather(*(one(n) for n in range(40)))
            return answers

        answers = asyncio.run(burst())
        assert all(a.json() == {"data": {"node": {"id": "workers-unit"}}} for a in answers)
        used = {pid: _cpu_ticks(pid) - ticks for pid, ticks in before.items()}
        # Busy, not idle (a token poll a second): it served its share.
        assert used[worker] > idle + 5, (idle, used)

        # A worker killed is started again, and the service answers meanwhile.
        os.kill(worker, signal.SIGKILL)
        assert _gql(main.base, admin, NODE, id="workers-unit")["node"]
        deadline = time.monotonic() + 30
        while (again := _worker_of(main)) == worker:
            assert time.monotonic() < deadline, main.log.read_text()
            time.sleep(0.2)
        assert "exited" in main.log.read_text()
    finally:
        main.stop()
    deadline = time.monotonic() + 30
    while not _gone(again):
        assert time.monotonic() < deadline, "the worker outlived the service"
        time.sleep(0.2)
