"""A large, seeded, fictional detention network for the trace benchmark: a command
structure of units re-parented over the years, commanders rotating every two years,
facilities changing operators, and thousands of incidents."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

YEARS = range(2008, 2020)


def _d(year: int, month: int = 1, day: int = 1) -> str:
    return f"{year}-{month:02d}-{day:02d}"


def trace_graph(scale: float = 1.0, seed: int = 11) -> dict[str, Any]:
    """About 1,000,000 nodes and claims together at scale 1.0; every person invented."""
    rng = random.Random(seed)
    n_units = int(2000 * scale) or 20
    n_facilities = int(500 * scale) or 5
    n_staff = int(30_000 * scale) or 100
    n_victims = int(180_000 * scale) or 300
    n_incidents = int(40_000 * scale) or 100
    n_evidence = int(20_000 * scale) or 50
    nodes: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    ev = [f"te-{i}" for i in range(n_evidence)]

    def claim(kind: str, frm: str, to: str, **fields: Any) -> None:
        claims.append(
            {
                "id": f"tc-{len(claims)}",
                "type": kind,
                "from": frm,
                "to": to,
                "confidence": rng.choice(["high", "medium", "low"]),
                "date_precision": rng.choice(["exact", "approximate"]),
                "evidence": rng.sample(ev, 2 if rng.random() < 0.4 else 1),
                **fields,
            }
        )

    nodes += [
        {
            "id": e,
            "label": "Evidence",
            "properties": {
                "kind": "testimony",
                "title": f"Fictional statement {i}",
                "source": f"Team {i % 11}",
            },
        }
        for i, e in enumerate(ev)
    ]
    units = [f"tu-{i}" for i in range(n_units)]
    nodes += [
        {"id": u, "label": "Unit", "properties": {"name": f"Fictional unit {i}"}}
        for i, u in enumerate(units)
    ]
    # A hierarchy five levels deep; a tenth of the units change parent in a random year.
    for i, u in enumerate(units[1:], start=1):
        parent = units[(i - 1) // 5]
        move = rng.random() < 0.1
        year = rng.choice(YEARS)
        claim("SUBORDINATE_TO", u, parent, valid_from=_d(2005), valid_to=_d(year) if move else None)
        if move:
            claim(
                "SUBORDINATE_TO",
                u,
                units[rng.randrange(0, max(1, i // 5))],
                valid_from=_d(year, 1, 2),
            )
    staff = [f"ts-{i}" for i in range(n_staff)]
    nodes += [
        {"id": p, "label": "Person", "properties": {"name": f"Fictional officer {i}"}}
        for i, p in enumerate(staff)
    ]
    # Commanders rotate every two years.
    for u in units:
        for year in range(YEARS.start, YEARS.stop, 2):
            claim(
                "COMMANDED",
                rng.choice(staff),
                u,
                valid_from=_d(year),
                valid_to=_d(year + 1, 12, 31),
            )
    for p in staff:
        claim(
            "MEMBER_OF",
            p,
            rng.choice(units),
            valid_from=_d(rng.choice(YEARS)),
            properties={"rank": rng.choice(["officer", "sergeant", "colonel"])},
        )
    facilities = [f"tf-{i}" for i in range(n_facilities)]
    nodes += [
        {"id": f, "label": "Facility", "properties": {"name": f"Fictional facility {i}"}}
        for i, f in enumerate(facilities)
    ]
    for f in facilities:
        switch = rng.choice(YEARS)
        claim("OPERATED", rng.choice(units), f, valid_from=_d(2005), valid_to=_d(switch))
        claim("OPERATED", rng.choice(units), f, valid_from=_d(switch, 1, 2))
        for _ in range(10):
            start = rng.choice(YEARS)
            claim(
                "POSTED_AT",
                rng.choice(staff),
                f,
                valid_from=_d(start),
                valid_to=_d(start + 2),
                properties={"role": "officer", "command": rng.random() < 0.2},
            )
    victims = [f"tv-{i}" for i in range(n_victims)]
    nodes += [
        {
            "id": v,
            "label": "Person",
            "properties": {
                "name": f"Fictional detainee {i}",
                "status": "detained",
                **({"protected": True, "pseudonym": f"Witness P-{i}"} if i % 100 == 0 else {}),
            },
        }
        for i, v in enumerate(victims)
    ]
    for v in victims:
        start = rng.choice(YEARS)
        claim(
            "DETAINED_AT",
            v,
            rng.choice(facilities),
            valid_from=_d(start, rng.randint(1, 12)),
            valid_to=_d(start + 1, rng.randint(1, 12)),
        )
    for i in range(n_incidents):
        inc = f"ti-{i}"
        year = rng.choice(YEARS)
        nodes.append(
            {
                "id": inc,
                "label": "Incident",
                "properties": {
                    "kind": "torture",
                    "start_date": _d(year, rng.randint(1, 12), rng.randint(1, 20)),
                },
            }
        )
        claim("OCCURRED_AT", inc, rng.choice(facilities))
        claim("VICTIM", inc, rng.choice(victims))
        claim("PERPETRATED", rng.choice(staff), inc)
        if rng.random() < 0.3:
            claim("ORDERED", rng.choice(staff), inc)
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": claims}


def chunks(doc: dict[str, Any], size: int) -> Iterator[dict[str, Any]]:
    """The document as smaller documents that import in order (nodes first)."""
    for key in ("nodes", "claims"):
        records = doc[key]
        for start in range(0, len(records), size):
            yield {**doc, "nodes": [], "claims": [], key: records[start : start + size]}
