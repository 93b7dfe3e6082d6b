"""The consistency check: what a legal team must resolve before a court sees the graph
(docs/design.md, "Consistency check"). Four statements in ``cypher/consistency/``, run
side by side; the cycle search itself is in ``domain/consistency.py``."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from typing import Any

from accountability.domain import consistency as rules
from accountability.domain.consistency import (
    DeathBasis,
    Inconsistency,
    Link,
    ProblemKind,
    Report,
)
from accountability.domain.redaction import Viewer
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.graph.values import to_native
from accountability.services import cursors
from accountability.services.permissions import require_full_read


class ConsistencyService:
    """Problems over the whole graph, by kind; standing claims only."""

    def __init__(self, db: Database, max_page_size: int = 500) -> None:
        self.db = db
        self.max_page_size = max_page_size

    async def check(
        self, first: int, viewer: Viewer, kinds: Collection[ProblemKind] | None = None
    ) -> Report:
        """The first ``first`` problems of the ``kinds`` asked (all by default), in the
        order of their kinds. Each statement stops after ``first + 1`` rows, so a graph
        full of problems costs no more to report than one with a page of them (beyond
        the statements' own scans); only the statements of the kinds asked run."""
        require_full_read(viewer)
        cursors.check_page_size(first, self.max_page_size)
        asked = set(kinds or ProblemKind)
        limit = first + 1

        async def rows(kind: ProblemKind, query: Q) -> list[dict[str, Any]]:
            return await self.db.read(query, limit=limit) if kind in asked else []

        links, commands, early, deaths = await asyncio.gather(
            rows(ProblemKind.SUBORDINATION_CYCLE, Q.SUBORDINATION_LINKS),
            rows(ProblemKind.OVERLAPPING_COMMAND, Q.OVERLAPPING_COMMANDS),
            rows(ProblemKind.EVIDENCE_PREDATES_CLAIM, Q.EVIDENCE_BEFORE_CLAIMS),
            rows(ProblemKind.ACTIVE_AFTER_DEATH, Q.ACTS_AFTER_DEATH),
        )
        cycles, cut = rules.find_cycles([_link(row) for row in links], limit)
        problems = [
            *(rules.cycle_problem(c) for c in cycles),
            *(_overlap(row) for row in commands),
            *(_predating(row) for row in early),
            *(_after_death(row) for row in deaths),
        ]
        return Report(problems[:first], cut or len(problems) > first)


def _native(row: dict[str, Any]) -> dict[str, Any]:
    return {k: to_native(v) for k, v in row.items()}


def _link(row: dict[str, Any]) -> Link:
    r = _native(row)
    return Link(r["claim"], r["from"], r["to"], r["valid_from"], r["valid_to"])


def _overlap(row: dict[str, Any]) -> Inconsistency:
    r = _native(row)
    return rules.overlap_problem(
        r["unit"],
        (r["first"], r["first_claim"]),
        (r["second"], r["second_claim"]),
        r["start"],
        r["end"],
    )


def _claim(r: dict[str, Any]) -> tuple[str, str, str, str]:
    return (r["claim"], r["type"], r["from"], r["to"])


def _predating(row: dict[str, Any]) -> Inconsistency:
    r = _native(row)
    items: Sequence[tuple[str, Any]] = list(zip(r["items"], r["acquired"], strict=True))
    return rules.predating_problem(_claim(r), r["begins"], items)


def _after_death(row: dict[str, Any]) -> Inconsistency:
    r = _native(row)
    bases = sorted(
        (DeathBasis(b["claim"], b["type"], b["node"]) for b in r["bases"]),
        key=lambda b: b.claim_id,
    )
    return rules.after_death_problem(r["person"], r["died"], bases, _claim(r), r["begins"])
