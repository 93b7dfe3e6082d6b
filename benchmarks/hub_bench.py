"""Claims that start at a hub: one unit said to have aided N incidents, each claim with a
free-text contribution (1 in 100 naming one invented person). Timed, on a fresh engine:

1. the import of the graph;
2. reading every claim back by id (``claim/get_claims``, 1,000 ids a statement: what an
   import of the same claims and the loaders read), and the first page of the claims
   the report they all cite supports, and the consistency check of evidence acquired
   before the claims it supports;
3. protecting the named person, then re-masking every claim's text (the job finds the
   claims with old renditions and stores new ones, 500 a transaction);
4. the import of the same file again (it reads the stored claims in its transaction);
5. a prison: N incidents at one facility, operated by one unit whose commander is in a
   case with all of them; the case's element matrix (each incident's context is the
   incidents around it at the same facility, and the commander's notice is his tenure's
   incidents before each one).

A claim is reached from its start node's relationships, so a statement that looked for
each claim on its own read the hub's N relationships once per claim: N² in all.

    python -m benchmarks.hub_bench --claims 5000

Everyone in it is invented."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

from accountability.domain.consistency import ProblemKind
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings

NAME = "Tamsin Oberquill"  # invented


def document(claims: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": "hub-unit", "label": "Unit", "properties": {"name": "Fictional Support Unit"}},
        {"id": "hub-person", "label": "Person", "properties": {"name": NAME}},
        {
            "id": "hub-ev",
            "label": "Evidence",
            "properties": {
                "kind": "report",
                "title": "Fictional report",
                "classification": "public",
                "acquired_at": "2012-01-01T00:00:00Z",
            },
        },
    ]
    rows = []
    for i in range(claims):
        nodes.append(
            {
                "id": f"hub-i{i}",
                "label": "Incident",
                "properties": {"kind": "torture", "start_date": "2014-03-01"},
            }
        )
        said = f"drove {NAME} to the depot" if i % 100 == 0 else f"supplied vehicle {i}"
        rows.append(
            {
                "id": f"hub-c{i}",
                "type": "AIDED",
                "from": "hub-unit",
                "to": f"hub-i{i}",
                "evidence": ["hub-ev"],
                "properties": {"contribution": said},
            }
        )
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": rows}


def prison(incidents: int) -> dict[str, Any]:
    """One facility, its guard unit and the unit's commander, and ``incidents`` incidents
    there over four years, each with a victim (one in ten died in custody)."""
    nodes: list[dict[str, Any]] = [
        {
            "id": "pr-ev",
            "label": "Evidence",
            "properties": {"kind": "report", "title": "Fictional"},
        },
        {"id": "pr-fac", "label": "Facility", "properties": {"name": "Fictional Prison"}},
        {"id": "pr-unit", "label": "Unit", "properties": {"name": "Fictional Guard Unit"}},
        {"id": "pr-cmd", "label": "Person", "properties": {"name": "Fictional Commander"}},
    ]
    tenure = {"evidence": ["pr-ev"], "valid_from": "2011-01-01", "valid_to": "2016-12-31"}
    claims: list[dict[str, Any]] = [
        {"id": "pr-op", "type": "OPERATED", "from": "pr-unit", "to": "pr-fac", **tenure},
        {"id": "pr-cm", "type": "COMMANDED", "from": "pr-cmd", "to": "pr-unit", **tenure},
    ]
    for i in range(incidents):
        day = (dt.date(2012, 1, 1) + dt.timedelta(days=i % 1500)).isoformat()
        status = {"status": "died_in_custody"} if i % 10 == 0 else {}
        nodes += [
            {
                "id": f"pr-i{i}",
                "label": "Incident",
                "properties": {"kind": "torture", "start_date": day},
            },
            {
                "id": f"pr-v{i}",
                "label": "Person",
                "properties": {"name": f"Fictional Detainee {i}", **status},
            },
        ]
        claims += [
            {
                "id": f"pr-o{i}",
                "type": "OCCURRED_AT",
                "from": f"pr-i{i}",
                "to": "pr-fac",
                "evidence": ["pr-ev"],
            },
            {
                "id": f"pr-vi{i}",
                "type": "VICTIM",
                "from": f"pr-i{i}",
                "to": f"pr-v{i}",
                "evidence": ["pr-ev"],
            },
        ]
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": claims}


async def run(claims: int, folder: Path) -> None:
    settings = Settings(data_dir=folder, db_uri=None)
    db = Database(settings)
    await db.open()
    services = Services.over(db, settings)
    try:
        doc = document(claims)
        t = time.perf_counter()
        await services.interchange.import_document(SYSTEM, doc)
        print(f"import {claims:,} claims from one unit: {time.perf_counter() - t:.2f} s")

        ids = [c["id"] for c in doc["claims"]]
        t = time.perf_counter()
        found = 0
        for start in range(0, len(ids), 1000):
            found += len(
                await db.read(Q.GET_CLAIMS, ids=ids[start : start + 1000], public_only=False)
            )
        print(
            f"read them back by id, 1,000 a statement: {time.perf_counter() - t:.2f} s "
            f"({found:,} found)"
        )

        analyst = Viewer("Fictional Analyst", Role.ANALYST)
        t = time.perf_counter()
        pages = await services.claims.for_nodes(["hub-unit"], "OUT", None, False, 50, None, analyst)
        print(
            f"the unit's first page of 50 claims: {time.perf_counter() - t:.2f} s "
            f"({len(pages['hub-unit'].items)} served)"
        )
        t = time.perf_counter()
        page = await services.claims.for_evidence(["hub-ev"], False, 50, None, analyst)
        print(
            f"the first 50 claims the report supports: {time.perf_counter() - t:.2f} s "
            f"({len(page['hub-ev'].items)} served)"
        )

        t = time.perf_counter()
        early = await services.consistency.check(50, SYSTEM, {ProblemKind.EVIDENCE_PREDATES_CLAIM})
        print(
            f"consistency, evidence acquired before the claims it supports: "
            f"{time.perf_counter() - t:.2f} s ({len(early.problems)} listed)"
        )

        await services.masks.settle()
        t = time.perf_counter()
        # The update raises the version of the protected names and waits for the job
        # that masks every text again (claims included); remask() then finds nothing left.
        await services.nodes.update("hub-person", {"protected": True, "pseudonym": "W-1"}, SYSTEM)
        left = await services.masks.remask()
        print(
            f"protect the named person, every claim's text masked again: "
            f"{time.perf_counter() - t:.2f} s ({left.claims} left for a second pass)"
        )
        claim = await services.claims.get("hub-c0", analyst)
        assert NAME not in str(claim.properties), claim.properties

        t = time.perf_counter()
        await services.interchange.import_document(SYSTEM, doc)
        print(f"import the same file again: {time.perf_counter() - t:.2f} s")

        await services.interchange.import_document(SYSTEM, prison(claims))
        await services.cases.create(SYSTEM, {"title": "Fictional prison case"}, "hub-case")
        await services.cases.add(
            SYSTEM, "hub-case", ["pr-cmd", *(f"pr-i{i}" for i in range(claims))]
        )
        t = time.perf_counter()
        matrix = await services.elements.matrix("hub-case", Viewer("Fictional", Role.PROSECUTOR))
        print(
            f"element matrix of a prison case, {claims:,} incidents at one facility: "
            f"{time.perf_counter() - t:.2f} s ({len(matrix.rows):,} rows)"
        )
    finally:
        await db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--data-dir", type=Path, default=None)
    options = parser.parse_args(argv)
    if options.data_dir is not None:
        asyncio.run(run(options.claims, options.data_dir))
        return
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as folder:
        asyncio.run(run(options.claims, Path(folder)))


if __name__ == "__main__":
    main()
