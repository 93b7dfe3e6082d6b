"""Duplicate finding on a generated fictional list of persons.

    python -m benchmarks.duplicates_bench [--persons 100000] [--with-db]

Prints precision and recall against the known duplicates and the time of matching;
with ``--with-db``, also imports the records into a fresh embedded database and times
the service's listing (reading every person, then matching), as ``accountability
duplicates`` runs it."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from accountability.domain.duplicates import PersonKeys, find_candidates
from accountability.domain.interchange import FORMAT, VERSION
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.resolution.duplicates import DuplicateService
from accountability.settings import Settings
from benchmarks.people import generate


async def through_the_service(people: list[PersonKeys], chunk: int = 20_000) -> None:
    with tempfile.TemporaryDirectory(prefix="duplicates-bench-") as folder:
        settings = Settings(data_dir=Path(folder), db_uri=None)
        db = Database(settings)
        await db.open()
        try:
            services = Services.over(db, settings)
            started = time.perf_counter()
            for start in range(0, len(people), chunk):
                nodes = [
                    {
                        "id": p.id,
                        "label": "Person",
                        "properties": {"name": p.names[0], "birth_year": p.birth_year},
                    }
                    for p in people[start : start + chunk]
                ]
                doc = {"format": FORMAT, "version": VERSION, "nodes": nodes, "claims": []}
                await services.interchange.import_document(SYSTEM, doc)
            print(f"imported {len(people)} persons in {time.perf_counter() - started:.0f} s")
            service = DuplicateService(db, services.nodes)
            analyst = Viewer("Fictional Analyst", Role.ANALYST)
            started = time.perf_counter()
            read = await service.people(analyst)
            reading = time.perf_counter() - started
            pairs = await service.candidates(analyst, 50)
            total = time.perf_counter() - started
            print(
                f"duplicates through the service: {total:.1f} s (reading {len(read)} persons "
                f"{reading:.1f} s; the first {len(pairs)} pairs listed)"
            )
        finally:
            await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--with-db", action="store_true")
    args = parser.parse_args()
    generated = generate(args.persons)
    started = time.perf_counter()
    found = {(c.a, c.b) for c in find_candidates(generated.people)}
    took = time.perf_counter() - started
    right = len(found & generated.same)
    print(
        f"{len(generated.people)} records ({args.persons} persons, {len(generated.same)} "
        f"known duplicate pairs): {len(found)} proposed in {took:.1f} s; precision "
        f"{right / max(1, len(found)):.3f}, recall {right / len(generated.same):.3f}"
    )
    if args.with_db:
        asyncio.run(through_the_service(generated.people))


if __name__ == "__main__":
    main()
