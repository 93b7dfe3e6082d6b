"""Writers in two real processes never collide visibly: the service under GraphQL
mutations while a command-line import runs, two imports at once, and one case changed
from both sides. Each command is a subprocess of the CLI, attached to the session's
engine (``db`` is open, so it uses its engine, as next to a running service)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.services.container import Services
from accountability.settings import Settings
from tests.builders import REPO, document, make_claim, make_node
from tests.conftest import GQL

pytestmark = pytest.mark.slow

CREATE = """mutation($id: ID!, $p: JSON!) {
  createNode(label: UNIT, id: $id, properties: $p) { id } }"""
UPDATE = """mutation($id: ID!, $p: JSON!) { updateNode(id: $id, properties: $p) { id } }"""
ADD = """mutation($case: ID!, $ids: [ID!]!) { addToCase(caseId: $case, ids: $ids) { changed } }"""
REMOVE = """mutation($case: ID!, $ids: [ID!]!) {
  removeFromCase(caseId: $case, ids: $ids, reason: "Fictional reason") { changed } }"""


def _env(settings: Settings) -> dict[str, str]:
    """The CLI's environment: the session's data folder (or its Neo4j server)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ACCOUNTABILITY_DB_") and k != "ACCOUNTABILITY_TOKEN"
    }
    env["ACCOUNTABILITY_DATA_DIR"] = str(settings.data_dir)
    if settings.db_uri:
        env |= {
            "ACCOUNTABILITY_DB_URI": settings.db_uri,
            "ACCOUNTABILITY_DB_USER": settings.db_user,
            "ACCOUNTABILITY_DB_PASSWORD": settings.db_password.get_secret_value(),
            "ACCOUNTABILITY_DB_NAME": settings.db_name or "",
        }
    return env


async def _cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run ``accountability ARGS`` in its own process, without blocking this loop."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accountability",
        *args,
        env=env,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _ok(body: dict[str, object]) -> None:
    assert "errors" not in body, body


async def test_service_writes_while_a_cli_import_runs(
    gql: GQL,
    uid: Callable[[str], str],
    services: Services,
    settings: Settings,
    tmp_path: Path,
) -> None:
    imported = [uid(f"imp-{i}") for i in range(400)]
    doc = document(
        [make_node(i, "Unit", name=f"Fictional Imported Unit {n}") for n, i in enumerate(imported)],
        [
            make_claim(uid(f"sub-{n}"), "SUBORDINATE_TO", imported[n], imported[n - 1])
            for n in range(1, len(imported))
        ],
    )
    path = tmp_path / "import.json"
    path.write_text(json.dumps(doc))
    kept = uid("kept")
    _ok(await gql(CREATE, id=kept, p={"name": "Fictional Kept Unit", "kind": "k-0"}))
    head_before, _ = await services.audit.head()

    importing = asyncio.create_task(_cli(_env(settings), "import", str(path)))
    created: list[str] = []
    n = 0
    while not importing.done():
        n += 1
        node = uid(f"svc-{n}")
        _ok(await gql(CREATE, id=node, p={"name": f"Fictional Service Unit {n}"}))
        created.append(node)
        _ok(await gql(UPDATE, id=kept, p={"kind": f"k-{n}"}))
    code, _, err = await importing
    assert code == 0, err
    assert n >= 5, "the service wrote while the import ran"

    found = await services.nodes.labels_of(imported + created)
    assert set(found) == {*imported, *created}
    claims = await services.claims.get_many([uid(f"sub-{n}") for n in range(1, 400)], SYSTEM)
    assert len(claims) == 399
    record = await services.nodes.get(kept, SYSTEM)
    assert record.properties["kind"] == f"k-{n}"  # the last update, merged onto the one before
    assert record.properties["name"] == "Fictional Kept Unit"
    # One audit chain: every write of both processes appended, in one unbroken sequence.
    head_after, _ = await services.audit.head()
    assert head_after - head_before >= 2 * n + 1
    checked, broken = await services.audit.verify()
    assert broken is None and checked >= head_after


async def test_two_cli_imports_at_once(
    uid: Callable[[str], str], services: Services, settings: Settings, tmp_path: Path
) -> None:
    shared = [uid(f"shared-{i}") for i in range(50)]
    files = []
    for side in ("a", "b"):
        own = [uid(f"{side}-{i}") for i in range(300)]
        nodes = [make_node(i, "Unit", name=f"Fictional Unit {side} {i}") for i in own]
        nodes += [make_node(i, "Unit", name=f"Fictional Shared Unit {side}") for i in shared]
        claims = [
            make_claim(uid(f"{side}-c{n}"), "SUBORDINATE_TO", own[n], shared[n % 50])
            for n in range(300)
        ]
        path = tmp_path / f"{side}.json"
        path.write_text(json.dumps(document(nodes, claims)))
        files.append(path)

    env = _env(settings)
    started = time.monotonic()
    results = await asyncio.gather(*(_cli(env, "import", str(f)) for f in files))
    for code, _, err in results:
        assert code == 0, err
    assert time.monotonic() - started < 60

    own_ids = [uid(f"{side}-{i}") for side in "ab" for i in range(300)]
    found = await services.nodes.labels_of(own_ids + shared)
    assert len(found) == 650
    claims = await services.claims.get_many(
        [uid(f"{side}-c{n}") for side in "ab" for n in range(300)], SYSTEM
    )
    assert len(claims) == 600
    # Each import is one transaction: the shared nodes are all of one file, not a mixture.
    names = {r.properties["name"] for r in (await services.nodes.get_stored(shared)).values()}
    assert names in ({"Fictional Shared Unit a"}, {"Fictional Shared Unit b"})


async def test_one_case_changed_from_two_processes(
    gql: GQL, uid: Callable[[str], str], services: Services, settings: Settings
) -> None:
    case = uid("case")
    _ok(await gql('mutation($id: ID!) { createCase(id: $id, title: "Fictional") { id } }', id=case))
    entities = [uid(f"u{i}") for i in range(12)]
    for entity in entities:
        _ok(await gql(CREATE, id=entity, p={"name": "Fictional Unit"}))

    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()

    async def cli_side() -> None:
        env = _env(settings)
        for verb in ("add", "remove", "add"):
            extra = ["--reason", "Fictional reason"] if verb == "remove" else []
            code, out, err = await _cli(env, "case", verb, case, *entities, *extra)
            assert code == 0, err
            # The command prints each entity it changed, one a line.
            (added if verb == "add" else removed).update(out.split())

    async def service_side(cli: asyncio.Task[None]) -> int:
        rounds = 0
        while not cli.done():
            rounds += 1
            for query, counts in ((ADD, added), (REMOVE, removed)):
                body = await gql(query, case=case, ids=entities)
                _ok(body)
                field = "addToCase" if query is ADD else "removeFromCase"
                counts.update(body["data"][field]["changed"])
            # A few rounds a second still overlap every command of the other side; run
            # flat out they left some 1,300 inclusion claims (each with a text to mask)
            # that every later test changing the protected names had to mask again.
            await asyncio.sleep(0.3)
        return rounds

    cli = asyncio.create_task(cli_side())
    rounds = await service_side(cli)
    await cli
    assert rounds >= 2
    body = await gql(ADD, case=case, ids=entities)  # a last add, so all end in the case
    _ok(body)
    added.update(body["data"]["addToCase"]["changed"])

    members = await services.cases.members(case)
    assert sorted(m.id for m in members) == sorted(entities)  # each once: no double add
    pages = await services.claims.for_nodes(
        entities, "IN", [ClaimType.INCLUDES], True, 500, None, SYSTEM
    )
    for entity in entities:
        claims = [c for c in pages[entity].items if c.from_id == case]
        # Every inclusion written was reported once as added, every retraction as removed.
        assert len(claims) == added[entity], entity
        assert sum(c.retraction is not None for c in claims) == removed[entity], entity
        assert added[entity] == removed[entity] + 1
    assert (await services.nodes.labels_of([case])) == {case: NodeLabel.CASE}
