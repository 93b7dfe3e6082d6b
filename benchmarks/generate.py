"""A seeded, fictional graph of a given size, as an interchange document."""

from __future__ import annotations

import random
from typing import Any

FIRST = ["Karim", "Samir", "Rami", "Nadia", "Huda", "Yusuf", "Layla", "Tarek", "Mona", "Fadi"]
LAST = ["Fictional", "Imaginary", "Invented", "Madeup", "Notreal", "Placeholder"]
INCIDENT_KINDS = ["torture", "killing", "enforced_disappearance", "arbitrary_detention"]
#: Claim types in the generated graph, with their share of all claims.
MIX = [
    ("MEMBER_OF", 0.2),
    ("COMMANDED", 0.05),
    ("SUBORDINATE_TO", 0.02),
    ("OPERATED", 0.03),
    ("POSTED_AT", 0.1),
    ("DETAINED_AT", 0.2),
    ("OCCURRED_AT", 0.1),
    ("VICTIM", 0.15),
    ("PERPETRATED", 0.1),
    ("ORDERED", 0.05),
]


def _date(rng: random.Random, start: int = 2008, end: int = 2018) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(claims: int, seed: int = 7, prefix: str = "b") -> dict[str, Any]:
    """About ``claims`` claims and half as many nodes; everyone in it is invented."""
    rng = random.Random(seed)
    n_persons = max(10, claims // 5)
    n_units = max(5, claims // 100)
    n_facilities = max(3, claims // 200)
    n_incidents = max(5, claims // 10)
    n_evidence = max(5, claims // 20)
    nodes: list[dict[str, Any]] = []

    def add(label: str, count: int, props: Any) -> list[str]:
        ids = [f"{prefix}-{label.lower()}-{i}" for i in range(count)]
        nodes.extend({"id": i, "label": label, "properties": props(n)} for n, i in enumerate(ids))
        return ids

    persons = add(
        "Person",
        n_persons,
        lambda n: {
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
            "birth_year": rng.randint(1940, 2000),
            **({"protected": True, "pseudonym": f"Witness B-{n}"} if n % 50 == 0 else {}),
        },
    )
    units = add("Unit", n_units, lambda n: {"name": f"Fictional Unit {n}", "kind": "branch"})
    facilities = add("Facility", n_facilities, lambda n: {"name": f"Fictional Facility {n}"})
    incidents = add(
        "Incident",
        n_incidents,
        lambda n: {"kind": rng.choice(INCIDENT_KINDS), "start_date": _date(rng)},
    )
    evidence = add(
        "Evidence",
        n_evidence,
        lambda n: {
            "kind": "testimony",
            "title": f"Fictional statement {n}",
            "source": f"Team {n % 7}",
        },
    )
    ends = {
        "MEMBER_OF": (persons, units),
        "COMMANDED": (persons, units),
        "SUBORDINATE_TO": (units, units),
        "OPERATED": (units, facilities),
        "POSTED_AT": (persons, facilities),
        "DETAINED_AT": (persons, facilities),
        "OCCURRED_AT": (incidents, facilities),
        "VICTIM": (incidents, persons),
        "PERPETRATED": (persons, incidents),
        "ORDERED": (persons, incidents),
    }
    out: list[dict[str, Any]] = []
    for claim_type, share in MIX:
        starts, stops = ends[claim_type]
        for _ in range(round(claims * share)):
            start = _date(rng)
            frm, to = rng.choice(starts), rng.choice(stops)
            while to == frm:  # a claim never joins a node to itself
                to = rng.choice(stops)
            out.append(
                {
                    "id": f"{prefix}-c-{len(out)}",
                    "type": claim_type,
                    "from": frm,
                    "to": to,
                    "valid_from": start,
                    "valid_to": None
                    if rng.random() < 0.3
                    else _date(rng, int(start[:4]) + 1, 2019),
                    "confidence": rng.choice(["high", "medium", "low"]),
                    "evidence": rng.sample(evidence, 2 if rng.random() < 0.5 else 1),
                }
            )
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": out}
