"""The ids of persons merged into others: while a merge stands, its dropped id resolves
to the person it was merged into (docs/import.md, "One person, one node: merging")."""

from __future__ import annotations

from collections.abc import Sequence

from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx

#: How many merges a chain of redirects may follow (a into b, b into c …).
MAX_HOPS = 20


async def resolve_merged(db: Database | Tx, ids: Sequence[str]) -> dict[str, str]:
    """For each of these ids that a standing merge dropped, the id of the person it now
    is (following merges of merges); ids never merged are not in the answer."""
    out: dict[str, str] = {}
    todo = {i: i for i in dict.fromkeys(ids)}
    for _ in range(MAX_HOPS):
        if not todo:
            break
        asked = list(dict.fromkeys(todo.values()))
        if isinstance(db, Database):
            rows = await db.read(Q.MERGE_RESOLVE_IDS, ids=asked)
        else:
            rows = await db.run(Q.MERGE_RESOLVE_IDS, ids=asked)
        step = {r["id"]: str(r["keep"]) for r in rows}
        todo = {orig: step[cur] for orig, cur in todo.items() if cur in step}
        out.update(todo)
    return out
