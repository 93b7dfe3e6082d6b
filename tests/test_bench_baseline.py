"""The import benchmark's baseline statements (cypher/bench/raw_*) run on the engine and
write what they are given; run in a transaction rolled back, so the shared test graph
never holds claims without the import's own structures."""

from __future__ import annotations

from collections.abc import Callable

from accountability.graph.catalog import Q
from accountability.graph.database import Database, now_iso
from accountability.services.records import found_nodes
from benchmarks.generate import generate
from benchmarks.runner import raw_steps


async def test_raw_baseline_writes_every_row(db: Database, uid: Callable[[str], str]) -> None:
    doc = generate(300, seed=4, prefix=uid("raw"))
    steps = raw_steps(db, doc, 100)
    async with db.driver.session(database=db.database_name) as session:
        tx = await session.begin_transaction()
        try:
            written = 0
            for text, rows in steps:
                (record,) = [r async for r in await tx.run(text, rows=rows, now=now_iso())]
                assert record["written"] == len(rows), text
                written += len(rows)
        finally:
            await tx.rollback()
    assert written == len(doc["nodes"]) + len(doc["claims"])
    # Rolled back: nothing of it stays in the shared graph.
    ids = [n["id"] for n in doc["nodes"][:5]]
    assert found_nodes(await db.read(Q.GET_NODES, ids=ids, cleared=True, public_only=False)) == []
