"""Mapping import rate against the interchange import of the same records.

    python -m benchmarks.mapping_bench [--rows 20000]

Writes a fictional personnel sheet (every name invented), imports it by a mapping into a
fresh embedded database, then imports the same records as an interchange document
(other ids, so both write everything), and prints rows per second of each."""

from __future__ import annotations

import argparse
import asyncio
import csv
import tempfile
import time
from pathlib import Path

from accountability.domain.mapping.compile import compile_tables
from accountability.domain.redaction import SYSTEM
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.ingest.mapping.service import (
    MappingImport,
    load_mapping,
    read_inputs,
)
from accountability.services.ingest.mapping.tables import read_tables
from accountability.settings import Settings

MAPPING = """
version: 1
namespace: {ns}
dataset: {{title: Fictional benchmark roster}}
files:
  - match: roster.csv
    entities:
      - {{name: person, label: Person, key: person_no,
          properties: {{name: full_name, birth_year: {{column: born, type: int}}}}}}
      - {{name: unit, label: Unit, key: unit_code, properties: {{name: unit_name}}}}
    claims:
      - type: {{column: role, map: {{Commander: COMMANDED, Member: MEMBER_OF}}}}
        from: person
        to: unit
        valid_from: first_cited
        valid_to: last_cited
        confidence: {{column: confidence, map: {{"1": low, "2": medium, "3": high}}}}
        properties: {{rank: rank}}
"""


def write_roster(path: Path, rows: int) -> None:
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            ["person_no", "full_name", "born", "unit_code", "unit_name", "role", "rank",
             "first_cited", "last_cited", "confidence"]
        )  # fmt: skip
        for i in range(rows):
            person = i // 2  # two postings a person
            unit = i % 200
            year = 2005 + (i % 2) * 4 + person % 3
            out.writerow(
                [f"P-{person}", f"Fictional Person {person}", 1950 + person % 40, f"U-{unit}",
                 f"Fictional Unit {unit}", "Commander" if i % 50 == 0 else "Member", "Captain",
                 f"{year}-0{1 + i % 9}", f"{year + 3}", 1 + i % 3]
            )  # fmt: skip


async def main(rows: int) -> None:
    with tempfile.TemporaryDirectory(prefix="mapping-bench-") as folder:
        root = Path(folder)
        roster = root / "roster.csv"
        write_roster(roster, rows)
        db = Database(Settings(data_dir=root / "data", db_uri=None))
        await db.open()
        try:
            services = Services.over(db, Settings(data_dir=root / "data", db_uri=None))
            importer = MappingImport(services.interchange)
            text = MAPPING.format(ns="bench")
            started = time.perf_counter()
            prepared = await importer.prepare(
                load_mapping(text, "m.yml"), text.encode(), read_inputs([roster]), "bench"
            )
            compiled_at = time.perf_counter()
            report = await importer.run(SYSTEM, prepared)
            mapped = time.perf_counter() - started
            print(
                f"mapping import: {rows} rows -> {report.nodes} nodes, {report.claims} claims "
                f"in {mapped:.1f} s ({rows / mapped:,.0f} rows/s; reading and checking the "
                f"rows {compiled_at - started:.1f} s)"
            )
            other = MAPPING.format(ns="other")
            spec = load_mapping(other, "m.yml")
            tables, _ = read_tables(spec, read_inputs([roster]))
            compiled, _ = compile_tables(spec, tables)
            started = time.perf_counter()
            await services.interchange.import_document(SYSTEM, compiled.document)
            direct = time.perf_counter() - started
            print(
                f"interchange import of the same records: {direct:.1f} s "
                f"({rows / direct:,.0f} rows/s)"
            )
        finally:
            await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().rows))
