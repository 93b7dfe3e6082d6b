"""The audit trail: every write, export and cleared read leaves a chained entry; an
edited, deleted or reordered entry is detected."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accountability.domain import audit as chain
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from tests.conftest import GQL
from tests.exporting import whole_graph


def make_chain(n: int) -> list[dict[str, Any]]:
    entries, prev = [], chain.GENESIS
    for seq in range(1, n + 1):
        entry = {
            "seq": seq,
            "at": f"2026-01-01T00:00:{seq:02d}Z",
            "actor": "a",
            "role": "admin",
            "action": "create_node",
            "targets": [f"n{seq}"],
            "target_count": 1,
            "summary": "created a Unit",
            "prev_hash": prev,
        }
        entry["hash"] = prev = chain.entry_hash(entry, prev)
        entries.append(entry)
    return entries


def test_chain_detects_edits_deletions_and_reordering() -> None:
    good = make_chain(6)
    assert chain.verify(good) == (6, None)
    edited = copy.deepcopy(good)
    edited[2]["summary"] = "created nothing"
    assert chain.verify(edited)[1] == chain.Break(
        3, "entry 3 was altered (its hash does not match)"
    )
    deleted = good[:3] + good[4:]
    assert chain.verify(deleted)[1] == chain.Break(4, "entry 4 is missing (next found: 5)")
    swapped = copy.deepcopy(good)
    swapped[1]["seq"], swapped[2]["seq"] = 3, 2
    swapped[1], swapped[2] = swapped[2], swapped[1]
    broken = chain.verify(swapped)[1]
    assert broken is not None and broken.seq == 2 and "does not follow" in broken.reason
    rehashed = copy.deepcopy(good)  # an edit whose hash is recomputed breaks the next link
    rehashed[2]["summary"] = "forged"
    rehashed[2]["hash"] = chain.entry_hash(rehashed[2], rehashed[2]["prev_hash"])
    assert chain.verify(rehashed)[1] == chain.Break(
        4, "entry 4 does not follow entry 3 (reordered, replaced or inserted)"
    )


def test_anchors_catch_a_chain_rewritten_as_a_whole() -> None:
    good = make_chain(6)
    anchors = {4: good[3]["hash"]}
    assert chain.verify(good, anchors) == (6, None)
    forged, prev = copy.deepcopy(good), chain.GENESIS
    forged[1]["summary"] = "forged"
    for entry in forged:  # every hash recomputed: the chain alone looks intact
        entry["prev_hash"] = prev
        entry["hash"] = prev = chain.entry_hash(entry, prev)
    assert chain.verify(forged) == (6, None)
    broken = chain.verify(forged, anchors)[1]
    assert broken is not None and broken.seq == 4 and "rewritten" in broken.reason
    assert chain.verify(good[:3], anchors)[1] == chain.Break(
        4, "entry 4, recorded outside the database, is gone"
    )


async def test_writes_are_logged_and_only_admins_read_the_log(
    gql: GQL, gql_as: Callable[[Role], GQL], uid: Callable[[str], str]
) -> None:
    body = await gql(
        "mutation($id: ID!) { createNode(label: UNIT, id: $id, properties: "
        '{name: "Fictional"}) { id } }',
        id=uid("u"),
    )
    assert "errors" not in body
    log = await gql_as(Role.ADMIN)(
        "{ auditLog(first: 500) { edges { node { seq actor role action targets summary } } } }"
    )
    entries = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    mine = [e for e in entries if uid("u") in e["targets"]]
    assert mine == [
        {
            "seq": mine[0]["seq"],
            "actor": "test investigator",
            "role": "investigator",
            "action": "create_node",
            "targets": [uid("u")],
            "summary": "created a Unit",
        }
    ]
    for role in (Role.VIEWER, Role.ANALYST, Role.INVESTIGATOR, Role.PROSECUTOR):
        denied = await gql_as(role)("{ auditLog { edges { cursor } } }")
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_cleared_reads_of_protected_identities_are_logged(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.nodes.create(
        NodeLabel.PERSON,
        {"name": "Wafiqa Zarzour", "protected": True, "pseudonym": "W-5"},
        SYSTEM,
        uid("w"),
    )
    prosecutor = Viewer("Fictional Prosecutor", Role.PROSECUTOR)
    await services.nodes.get_many([uid("w")], prosecutor)
    await services.nodes.get_many([uid("w")], Viewer("Fictional Analyst", Role.ANALYST))
    entries = [e async for e in services.audit.entries()]
    reads = [e for e in entries if e["action"] == "read_protected" and uid("w") in e["targets"]]
    assert [(e["actor"], e["role"]) for e in reads] == [("Fictional Prosecutor", "prosecutor")]


async def test_concurrent_writes_keep_one_chain(
    services: Services, uid: Callable[[str], str]
) -> None:
    investigator = Viewer("Fictional Investigator", Role.INVESTIGATOR)
    await asyncio.gather(
        *(
            services.nodes.create(
                NodeLabel.UNIT, {"name": f"Fictional {i}"}, investigator, uid(f"c{i}")
            )
            for i in range(20)
        )
    )
    count, broken = await services.audit.verify()
    assert broken is None and count >= 20


@pytest.mark.slow
async def test_tampering_in_the_database_is_detected(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", db_uri=None, embedded_heap_mb=256)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        for i in range(5):
            await services.nodes.create(NodeLabel.UNIT, {"name": f"Fictional {i}"}, SYSTEM)
        await whole_graph(services)
        assert await services.audit.verify() == (6, None)

        async def run(statement: str, **params: Any) -> None:
            await db.driver.execute_query(statement, params, database_=db.database_name)

        await run("MATCH (e:AuditEntry {seq: 3}) SET e.summary = 'created nothing'")
        assert (await services.audit.verify())[1] == chain.Break(
            3, "entry 3 was altered (its hash does not match)"
        )
        await run("MATCH (e:AuditEntry {seq: 3}) DETACH DELETE e")
        assert (await services.audit.verify())[1] == chain.Break(
            3, "entry 3 is missing (next found: 4)"
        )
    finally:
        await db.close()
