"""The import journal: every import is a run; runs cut short are found interrupted at
the next start and completed by importing the same file again; an import can be undone,
exactly, unless what it wrote was written again since."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from accountability.app import create_app
from accountability.cli import app
from accountability.domain.imports import ImportSource, RunKind, RunStatus
from accountability.domain.redaction import OPERATOR, SYSTEM, Role, Viewer
from accountability.errors import Conflict, Forbidden, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services.container import Services
from accountability.services.ingest.interchange import InterchangeService
from accountability.services.ingest.process import this_process
from accountability.services.records import NodeRecord
from accountability.settings import Settings
from tests.builders import document, make_claim, make_evidence, make_node, make_person
from tests.conftest import GQL
from tests.exporting import whole_graph

ANALYST = Viewer("Fictional Analyst", Role.ANALYST)


def only(doc: dict[str, Any], uid: Callable[[str], str]) -> dict[str, Any]:
    prefix = uid("")
    return {
        "nodes": sorted(
            (n for n in doc["nodes"] if n["id"].startswith(prefix)), key=lambda n: n["id"]
        ),
        "claims": sorted(
            (c for c in doc["claims"] if c["id"].startswith(prefix)), key=lambda c: c["id"]
        ),
    }


async def snapshot(services: Services, uid: Callable[[str], str]) -> dict[str, Any]:
    return only(await whole_graph(services), uid)


def served(records: dict[str, NodeRecord]) -> dict[str, Any]:
    """Nodes as a reader without clearance is served them. A rendition made at write
    time lists unset fields as None, one made again by the re-masking job leaves them
    out: the same to a reader."""
    return {
        i: (r.label, {k: v for k, v in r.properties.items() if v is not None}, r.updated_at)
        for i, r in records.items()
    }


def base(uid: Callable[[str], str]) -> dict[str, Any]:
    """What is stored before the import that will be undone."""
    return document(
        [
            make_person(uid("p1"), name="Fictional Officer", birth_year=1961),
            make_person(uid("p2"), name="Salma Qudsi"),
            make_node(uid("u1"), "Unit", name="Fictional Brigade", kind="brigade"),
            make_node(
                uid("i1"),
                "Incident",
                kind="torture",
                start_date="2013-06-10",
                description="Salma Qudsi saw the beating in the yard.",
            ),
            make_evidence(uid("e1"), classification="public"),
        ],
        [
            make_claim(uid("c1"), "COMMANDED", uid("p1"), uid("u1"), evidence=[uid("e1")]),
            make_claim(
                uid("c2"),
                "MEMBER_OF",
                uid("p2"),
                uid("u1"),
                properties={"rank": "captain"},
                evidence=[uid("e1")],
            ),
        ],
    )


def change(uid: Callable[[str], str]) -> dict[str, Any]:
    """Changes stored records (properties added and changed, evidence added to a claim,
    a retraction) and creates others."""
    return document(
        [
            make_person(uid("p1"), name="Fictional Officer", aliases=["F. Officer"]),
            make_node(
                uid("i1"),
                "Incident",
                kind="torture",
                start_date="2013-06-10",
                end_date="2013-06-12",
                title="Beating in the yard",
            ),
            make_person(uid("p3"), name="Fictional Guard"),
            make_evidence(uid("e2")),
        ],
        [
            make_claim(
                uid("c1"), "COMMANDED", uid("p1"), uid("u1"), evidence=[uid("e1"), uid("e2")]
            ),
            make_claim(
                uid("c2"),
                "MEMBER_OF",
                uid("p2"),
                uid("u1"),
                properties={"rank": "major"},
                evidence=[uid("e1")],
                retraction={"by": "editor", "reason": "wrong unit", "at": "2024-01-10T09:00:00Z"},
            ),
            make_claim(uid("c3"), "MEMBER_OF", uid("p3"), uid("u1"), evidence=[uid("e2")]),
            make_claim(uid("c4"), "DOCUMENTS", uid("e2"), uid("i1")),
        ],
    )


async def test_an_import_is_a_run_of_the_journal(
    services: Services, uid: Callable[[str], str]
) -> None:
    source = ImportSource(f"{uid('file')}.json", "ab" * 32)
    report = await services.interchange.import_document(OPERATOR, base(uid), source=source)
    assert report.run_id is not None
    run = (await services.imports.get_many([report.run_id]))[report.run_id]
    assert (run.kind, run.status, run.file, run.sha256) == (
        RunKind.IMPORT,
        RunStatus.COMPLETE,
        source.name,
        source.sha256,
    )
    assert (run.planned, run.written, run.skipped) == (7, 7, 0)
    assert (run.actor, run.role) == ("operator", "admin")
    assert run.process == this_process()
    assert run.started_at <= (run.finished_at or "")


async def test_a_rejected_file_is_journaled_with_its_problem_count(
    services: Services, uid: Callable[[str], str]
) -> None:
    doc = base(uid)
    doc["claims"].append(make_claim(uid("bad"), "COMMANDED", uid("p1"), uid("nowhere")))
    doc["nodes"].append(make_node(uid("bad-node"), "Nowhere"))
    source = ImportSource("bad.json", uuid.uuid4().hex * 2)
    with pytest.raises(ValidationFailed) as caught:
        await services.interchange.import_document(OPERATOR, doc, source=source)
    runs, _, _ = await services.imports.page(SYSTEM, 20, None)
    run = next(r for r in runs if r.sha256 == source.sha256)
    assert run.status is RunStatus.REJECTED
    assert run.problems == len(caught.value.problems) == 2
    assert run.written == 0


async def test_a_run_whose_process_is_gone_is_found_interrupted(
    services: Services, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    here = this_process()
    dead = await asyncio.create_subprocess_exec("true")  # a pid, of a process that ended
    await dead.wait()
    runs = {
        "gone": {"host": here.host, "pid": dead.pid, "token": "no such start"},
        "reused": {"host": here.host, "pid": here.pid, "token": "another start"},
        "alive": {"host": here.host, "pid": here.pid, "token": here.token},
        "elsewhere": {"host": "another-host", "pid": 1, "token": "?"},
    }
    ids = {name: f"import-test-{uuid.uuid4().hex[:8]}-{name}" for name in runs}
    for name, process in runs.items():
        props = {
            "kind": "import",
            "file": f"{name}.json",
            "sha256": "0" * 64,
            "actor": "operator",
            "role": "admin",
            "started_at": now_iso(),
            "status": "running",
            "planned": 10,
            "written": 4,
            "skipped": 0,
            "chunks_done": [],
            "chunking": "2000/20000",
            "resumes": [],
            **process,
        }
        await db.write(partial(_run, Q.IMPORT_START_RUN, id=ids[name], props=props))
    try:
        with caplog.at_level(logging.WARNING, logger="accountability.imports"):
            marked = await services.imports.sweep()
        assert {r.id for r in marked} >= {ids["gone"], ids["reused"]}
        assert not {ids["alive"], ids["elsewhere"]} & {r.id for r in marked}
        warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any(ids["gone"] in m and "interrupted after 4 of 10" in m for m in warned)
        stored = await services.imports.get_many(list(ids.values()))
        assert stored[ids["gone"]].status is RunStatus.INTERRUPTED
        assert stored[ids["alive"]].status is RunStatus.RUNNING
        assert stored[ids["elsewhere"]].status is RunStatus.RUNNING
        assert await services.imports.interrupted_count() >= 2
        assert await services.imports.sweep() == []  # reported once
    finally:
        for run_id in ids.values():
            await db.write(
                partial(
                    _run,
                    Q.IMPORT_FINISH_RUN,
                    id=run_id,
                    status="rejected",
                    now=now_iso(),
                    problems=0,
                )
            )


async def _run(query: Q, tx: Tx, **params: Any) -> list[dict[str, Any]]:
    return await tx.run(query, **params)


class Stop(Exception):
    """Stands for a crash between two parts of an import."""


async def test_an_interrupted_import_is_completed_by_running_it_again_and_undone_whole(
    services: Services, uid: Callable[[str], str]
) -> None:
    chunked = InterchangeService(
        services.db, services.nodes, batch_size=2, tx_records=3, journal=services.imports
    )
    doc = change(uid)
    doc["nodes"] += [n for n in base(uid)["nodes"] if n["id"] in {uid("u1"), uid("p2"), uid("e1")}]
    doc["claims"] = [c for c in doc["claims"] if "retraction" not in c]
    source = ImportSource("parts.json", uuid.uuid4().hex * 2)
    written: list[int] = []

    def crash_after_two_parts(n: int) -> None:
        written.append(n)
        if len(written) == 2:
            raise Stop

    with pytest.raises(Stop):
        await chunked.import_document(SYSTEM, doc, crash_after_two_parts, source=source)
    [first] = await services.imports.interrupted_runs(RunKind.IMPORT, source.sha256)
    assert (first.status, first.written) == (RunStatus.INTERRUPTED, sum(written))

    report = await chunked.import_document(SYSTEM, doc, source=source)
    assert report.skipped == sum(written) > 0
    runs = await services.imports.get_many([first.id, report.run_id or ""])
    second = runs[report.run_id or ""]
    assert second.resumes == (first.id,)
    assert (
        second.written + second.skipped == second.planned == len(doc["nodes"]) + len(doc["claims"])
    )
    assert runs[first.id].status is RunStatus.RESUMED
    assert runs[first.id].resumed_by == second.id
    stored = await snapshot(services, uid)
    assert len(stored["nodes"]) == len(doc["nodes"])
    assert len(stored["claims"]) == len(doc["claims"])

    with pytest.raises(Conflict, match=f"completed by {second.id}"):
        await services.import_undo.undo(SYSTEM, first.id)
    undone = await services.import_undo.undo(SYSTEM, second.id)
    assert set(undone.undone) == {first.id, second.id}
    assert await snapshot(services, uid) == {"nodes": [], "claims": []}
    runs = await services.imports.get_many([first.id, second.id, undone.run_id])
    assert {runs[first.id].status, runs[second.id].status} == {RunStatus.UNDONE}
    assert runs[undone.run_id].status is RunStatus.COMPLETE
    assert runs[undone.run_id].target == second.id
    with pytest.raises(Conflict, match="already undone"):
        await services.import_undo.undo(SYSTEM, second.id)


async def test_undo_puts_back_exactly_what_was_there(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, base(uid))
    before = await snapshot(services, uid)
    masked_before = await services.nodes.get_many([uid("i1"), uid("p1")], ANALYST)
    assert masked_before
    supported_before = await services.claims.for_evidence([uid("e1")], True, 50, None, SYSTEM)
    seq_before, _ = await services.audit.head()

    report = await services.interchange.import_document(OPERATOR, change(uid))
    changed = await snapshot(services, uid)
    assert changed != before and len(changed["claims"]) == 4

    undone = await services.import_undo.undo(OPERATOR, report.run_id or "")
    assert (undone.removed_nodes, undone.removed_claims) == (2, 2)
    assert (undone.restored_nodes, undone.restored_claims) == (2, 3)  # c2 twice: write, retraction
    assert await snapshot(services, uid) == before
    # Renditions too, and the evidence index.
    masked_after = await services.nodes.get_many([uid("i1"), uid("p1")], ANALYST)
    assert served(masked_after) == served(masked_before)
    supported = await services.claims.for_evidence([uid("e1")], True, 50, None, SYSTEM)
    assert [c.id for c in supported[uid("e1")].items] == [
        c.id for c in supported_before[uid("e1")].items
    ]
    assert await services.nodes.get_many([uid("e2")], SYSTEM) == {}
    count, broken = await services.audit.verify()
    assert broken is None and count > seq_before
    # The whole log: the session's other tests may have written hundreds of entries.
    entries = [e async for e in services.audit.entries() if e["seq"] > seq_before]
    assert any(
        e["action"] == "undo_import"
        and (report.run_id or "?") in e["summary"]
        and uid("c3") in e["targets"]
        for e in entries
    )


async def test_undo_of_a_protection_remasks_and_needs_clearance(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, base(uid))
    seen_before = (await services.nodes.get(uid("i1"), ANALYST)).properties["description"]
    assert "Salma Qudsi" in seen_before
    protect = document(
        [make_person(uid("p2"), name="Salma Qudsi", protected=True, pseudonym="Witness S-1")],
        [],
    )
    report = await services.interchange.import_document(SYSTEM, protect)
    masked = (await services.nodes.get(uid("i1"), ANALYST)).properties["description"]
    assert "Salma" not in masked and "Witness S-1" in masked

    with pytest.raises(Forbidden, match="protected person"):
        await services.import_undo.undo(OPERATOR, report.run_id or "")
    run = (await services.imports.get_many([report.run_id or ""]))[report.run_id or ""]
    assert run.status is RunStatus.COMPLETE  # nothing was undone

    await services.import_undo.undo(SYSTEM, report.run_id or "")
    assert (await services.nodes.get(uid("i1"), ANALYST)).properties["description"] == seen_before
    assert not (await services.nodes.get(uid("p2"), SYSTEM)).properties.get("protected")


async def test_undo_is_refused_over_later_writes_unless_forced(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, base(uid))
    before = await snapshot(services, uid)
    report = await services.interchange.import_document(SYSTEM, change(uid))
    run_id = report.run_id or ""
    await services.nodes.update(uid("p1"), {"birth_year": 1962}, SYSTEM)
    later = await services.claims.add(
        {"type": "MEMBER_OF", "from": uid("p3"), "to": uid("u1"), "id": uid("later")}, SYSTEM
    )

    with pytest.raises(Conflict) as caught:
        await services.import_undo.undo(SYSTEM, run_id)
    named = {p.where: p.message for p in caught.value.problems}
    assert set(named) == {uid("p1"), uid("p3")}
    assert "written since" in named[uid("p1")] and uid("later") in named[uid("p3")]
    assert uid("p1") in caught.value.message
    assert await snapshot(services, uid) != before  # nothing undone

    undone = await services.import_undo.undo(SYSTEM, run_id, force=True)
    assert undone.kept == (uid("p3"),) and undone.overridden == (uid("p1"),)
    after = await snapshot(services, uid)
    # Everything as before, but the guard a later claim depends on, and that claim.
    assert [n for n in after["nodes"] if n["id"] != uid("p3")] == before["nodes"]
    assert [c["id"] for c in after["claims"]] == [*(c["id"] for c in before["claims"]), later.id]


async def test_the_journal_is_an_admins_in_graphql_and_readyz_counts_interruptions(
    services: Services,
    uid: Callable[[str], str],
    gql_as: Callable[[Role], GQL],
    client: httpx.AsyncClient,
) -> None:
    await services.interchange.import_document(SYSTEM, base(uid))
    await services.interchange.import_document(SYSTEM, base(uid))
    query = """query($after: String) { imports(first: 1, after: $after) {
        edges { cursor node { id kind status fileName sha256 actor recordsPlanned
                              recordsWritten recordsSkipped host pid resumes } }
        pageInfo { hasNextPage endCursor } } }"""
    first = await gql_as(Role.ADMIN)(query)
    assert "errors" not in first, first
    page = first["data"]["imports"]
    assert page["pageInfo"]["hasNextPage"]
    node = page["edges"][0]["node"]
    assert (node["kind"], node["status"], node["recordsPlanned"]) == ("IMPORT", "COMPLETE", 7)
    second = await gql_as(Role.ADMIN)(query, after=page["pageInfo"]["endCursor"])
    assert second["data"]["imports"]["edges"][0]["node"]["id"] != node["id"]

    refused = await gql_as(Role.ANALYST)(query)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert isinstance(ready.json()["interrupted_imports"], int)


async def test_file_names_are_masked_for_a_reader_without_clearance(
    services: Services, uid: Callable[[str], str], caplog: pytest.LogCaptureFixture
) -> None:
    await services.interchange.import_document(
        SYSTEM,
        document(
            [make_person(uid("w"), name="Rafiq Zahrawi", protected=True, pseudonym="W-9")], []
        ),
    )
    source = ImportSource("statement of Rafiq Zahrawi.json", uuid.uuid4().hex * 2)
    await services.interchange.import_document(SYSTEM, base(uid), source=source)
    masked, _, _ = await services.imports.page(OPERATOR, 5, None)
    cleared, _, _ = await services.imports.page(SYSTEM, 5, None)
    assert source.name in {r.file for r in cleared}
    shown = next(r.file for r in masked if r.sha256 == source.sha256)
    assert "Zahrawi" not in shown and "W-9" in shown

    # The warning of an interrupted run goes to operators' logs: masked too.
    dead = await asyncio.create_subprocess_exec("true")
    await dead.wait()
    here = this_process()
    run_id = f"import-test-{uuid.uuid4().hex[:8]}"
    props = {
        "kind": "import",
        "file": source.name,
        "sha256": source.sha256,
        "actor": "operator",
        "role": "admin",
        "started_at": now_iso(),
        "status": "running",
        "planned": 7,
        "written": 0,
        "skipped": 0,
        "chunks_done": [],
        "chunking": "2000/20000",
        "resumes": [],
        "host": here.host,
        "pid": dead.pid,
        "token": "gone",
    }
    await services.db.write(partial(_run, Q.IMPORT_START_RUN, id=run_id, props=props))
    with caplog.at_level(logging.WARNING, logger="accountability.imports"):
        await services.imports.sweep()
    [warned] = [r.getMessage() for r in caplog.records if run_id in r.getMessage()]
    assert "Zahrawi" not in warned and "W-9" in warned
    await services.db.write(
        partial(_run, Q.IMPORT_FINISH_RUN, id=run_id, status="rejected", now=now_iso(), problems=0)
    )


async def test_the_command_line_lists_imports_and_undoes_one(
    settings: Settings, db: Database, uid: Callable[[str], str], tmp_path: Path
) -> None:
    env = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
        "COLUMNS": "250",
    }
    runner = CliRunner()

    async def cli(*args: str) -> Any:
        return await asyncio.to_thread(lambda: runner.invoke(app, list(args), env=env))

    path = tmp_path / "fictional.json"
    path.write_text(json.dumps(base(uid)))
    imported = await cli("import", str(path))
    assert imported.exit_code == 0, imported.output
    listed = await cli("imports", "--json", "--first", "5")
    assert listed.exit_code == 0, listed.output
    run = json.loads(listed.stdout)[0]
    assert (run["file"], run["status"], run["written"]) == ("fictional.json", "complete", 7)
    assert run["id"] in imported.stderr
    table = await cli("imports")
    assert run["id"] in table.stdout and "complete" in table.stdout

    assert (await cli("import")).exit_code == 2
    undone = await cli("import", "--undo", run["id"])
    assert undone.exit_code == 0, undone.output
    assert "removed 5 nodes and 2 claims" in undone.stderr
    again = await cli("import", "--undo", run["id"])
    assert again.exit_code == 1 and "already undone" in again.stderr


async def test_an_undo_cut_short_is_finished_by_running_it_again(
    services: Services, uid: Callable[[str], str]
) -> None:
    chunked = InterchangeService(
        services.db, services.nodes, batch_size=2, tx_records=3, journal=services.imports
    )
    await services.interchange.import_document(SYSTEM, base(uid))
    before = await snapshot(services, uid)
    doc = change(uid)
    source = ImportSource("undo-parts.json", uuid.uuid4().hex * 2)
    written: list[int] = []

    def crash_after_one_part(n: int) -> None:
        written.append(n)
        if len(written) == 1:
            raise Stop

    with pytest.raises(Stop):
        await chunked.import_document(SYSTEM, doc, crash_after_one_part, source=source)
    [interrupted] = await services.imports.interrupted_runs(RunKind.IMPORT, source.sha256)
    report = await chunked.import_document(SYSTEM, doc, source=source)
    run_id = report.run_id or ""

    undone: list[int] = []

    def crash_after_two_steps(n: int) -> None:
        undone.append(n)
        if len(undone) == 2:
            raise Stop

    with pytest.raises(Stop):
        await services.import_undo.undo(SYSTEM, run_id, progress=crash_after_two_steps)
    [cut] = await services.imports.interrupted_runs(RunKind.UNDO, source.sha256, run_id)
    assert cut.target == run_id and cut.written == sum(undone)
    finished = await services.import_undo.undo(SYSTEM, run_id)
    assert await snapshot(services, uid) == before
    runs = await services.imports.get_many([cut.id, finished.run_id, run_id, interrupted.id])
    assert runs[cut.id].status is RunStatus.RESUMED and runs[cut.id].resumed_by == finished.run_id
    assert runs[finished.run_id].resumes == (cut.id,)
    assert runs[run_id].status is RunStatus.UNDONE
    assert runs[interrupted.id].status is RunStatus.UNDONE
    count, broken = await services.audit.verify()
    assert broken is None and count > 0


async def test_a_file_is_not_resumed_while_an_undo_of_it_is_unfinished(
    services: Services, uid: Callable[[str], str]
) -> None:
    chunked = InterchangeService(
        services.db, services.nodes, batch_size=2, tx_records=3, journal=services.imports
    )
    doc = base(uid)
    source = ImportSource("unfinished.json", uuid.uuid4().hex * 2)
    calls: list[int] = []

    def crash_after_two_parts(n: int) -> None:
        calls.append(n)
        if len(calls) in (2, 3):  # the import's second part, then the undo's first step
            raise Stop

    with pytest.raises(Stop):
        await chunked.import_document(SYSTEM, doc, crash_after_two_parts, source=source)
    [run] = await services.imports.interrupted_runs(RunKind.IMPORT, source.sha256)
    with pytest.raises(Stop):
        await services.import_undo.undo(SYSTEM, run.id, progress=crash_after_two_parts)
    with pytest.raises(Conflict, match=f"import --undo {run.id}"):
        await chunked.import_document(SYSTEM, doc, source=source)
    await services.import_undo.undo(SYSTEM, run.id)
    report = await chunked.import_document(SYSTEM, doc, source=source)
    assert report.skipped == 0
    assert len((await snapshot(services, uid))["nodes"]) == len(doc["nodes"])


async def test_the_service_start_marks_interrupted_runs(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    dead = await asyncio.create_subprocess_exec("true")
    await dead.wait()
    run_id = f"import-test-{uuid.uuid4().hex[:8]}"
    props = {
        "kind": "import",
        "file": "served.json",
        "sha256": "1" * 64,
        "actor": "operator",
        "role": "admin",
        "started_at": now_iso(),
        "status": "running",
        "planned": 3,
        "written": 1,
        "skipped": 0,
        "chunks_done": [],
        "chunking": "2000/20000",
        "resumes": [],
        "host": this_process().host,
        "pid": dead.pid,
        "token": "gone",
    }
    await db.write(partial(_run, Q.IMPORT_START_RUN, id=run_id, props=props))
    app_ = create_app(settings, database=db)
    with caplog.at_level(logging.WARNING, logger="accountability.imports"):
        async with app_.router.lifespan_context(app_):
            pass
    assert any(run_id in r.getMessage() for r in caplog.records)
    services = Services.over(db, settings)
    assert (await services.imports.get_many([run_id]))[run_id].status is RunStatus.INTERRUPTED
