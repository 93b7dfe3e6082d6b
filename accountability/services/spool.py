"""Rows of any number, sorted by a key on disk rather than in the engine's heap
(docs/design.md, "Whole-graph reads").

An ``ORDER BY`` over every node or claim is sorted in the engine's heap (ArcadeDB fails
past ~100k claims on the default 512 MB), and ArcadeDB answers a keyset page
(``WHERE n.id > $after ORDER BY n.id LIMIT $page``) by sorting the whole rest of the
range for every page. So whole-graph reads stream unordered and are sorted here: runs
of ``run_rows`` rows sorted in memory and pickled to a private scratch folder, then
merged. Memory stays at about one run; sorting and file work run off the event loop."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import pickle
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

Row = dict[str, Any]
#: Rows a run holds in memory (a claim row with its properties is about 1-2 KB there).
RUN_ROWS = 20_000
#: Rows handed from the merging thread to the event loop at a time.
_HANDOFF = 2_000


def by_id(row: Row) -> str:
    return str(row["id"])


async def sorted_rows(
    rows: AsyncIterator[Row],
    key: Callable[[Row], str] = by_id,
    run_rows: int = RUN_ROWS,
    scratch: Path | None = None,
) -> AsyncIterator[Row]:
    """``rows`` in the order of ``key`` (code points, the same on every engine). Up to
    ``run_rows`` rows are sorted in memory; beyond, runs go to a private folder under
    ``scratch`` (the system's temporary folder by default), removed when done."""
    batch: list[Row] = []
    folder: Path | None = None
    runs: list[Path] = []
    try:
        async for row in rows:
            batch.append(row)
            if len(batch) >= run_rows:
                if folder is None:
                    # 0700: the rows may be the whole graph, protected identities included.
                    folder = Path(tempfile.mkdtemp(prefix="accountability-sort-", dir=scratch))
                runs.append(await asyncio.to_thread(_write_run, folder, len(runs), batch, key))
                batch = []
        if not runs:
            for row in await asyncio.to_thread(sorted, batch, key=key):
                yield row
            return
        if batch:
            assert folder is not None
            runs.append(await asyncio.to_thread(_write_run, folder, len(runs), batch, key))
            batch = []
        merged = heapq.merge(*(_read_run(run) for run in runs), key=key)
        while chunk := await asyncio.to_thread(_take, merged, _HANDOFF):
            for row in chunk:
                yield row
    finally:
        if folder is not None:
            await asyncio.to_thread(shutil.rmtree, folder, True)


def _write_run(folder: Path, number: int, batch: list[Row], key: Callable[[Row], str]) -> Path:
    batch.sort(key=key)
    path = folder / f"run-{number:05d}.pickle"
    with path.open("wb") as f:
        for row in batch:
            pickle.dump(row, f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _read_run(path: Path) -> Iterator[Row]:
    # Our own file, written moments ago into a folder only this user can open.
    with path.open("rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


def _take(rows: Iterator[Row], n: int) -> list[Row]:
    return list(itertools.islice(rows, n))
