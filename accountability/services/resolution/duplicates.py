"""Duplicate candidates over the graph's persons (domain/duplicates.py does the
matching). A reader without clearance never sees a pair with a protected person in it:
"a record much like Kareem al-Tahhan" would say who the pseudonym is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from accountability.domain.duplicates import Candidate, PersonKeys, find_candidates
from accountability.domain.redaction import Role, Viewer
from accountability.errors import Forbidden, NotFound, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit
from accountability.services.nodes import NodeService
from accountability.services.permissions import require_write


class Verdict(StrEnum):
    """A person's judgement of a candidate pair."""

    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


def pair_id(a: str, b: str) -> str:
    """The key of a pair, whichever way round it is given."""
    first, second = sorted((a, b))
    return f"dup:{first}|{second}"


@dataclass(frozen=True)
class CandidatePair:
    """A candidate with the two records as the viewer is served them."""

    candidate: Candidate
    a_name: str
    b_name: str


def _with_judgement(candidate: Candidate, judged: tuple[Verdict, str] | None) -> Candidate:
    if judged is None:
        return candidate
    verdict, by = judged
    return replace(candidate, reasons=(*candidate.reasons, f"judged {verdict.value} by {by}"))


_ANALYST_AND_UP = (Role.ANALYST, Role.INVESTIGATOR, Role.PROSECUTOR, Role.ADMIN)


class DuplicateService:
    """Lists persons that may be one."""

    def __init__(self, db: Database, nodes: NodeService) -> None:
        self.db = db
        self.nodes = nodes

    async def people(self, viewer: Viewer) -> list[PersonKeys]:
        """Every person the viewer may be shown in a pair, with what is compared."""
        out: list[PersonKeys] = []
        async for row in self.db.stream(Q.LIST_PERSON_KEYS):
            if row["protected"] and not viewer.cleared:
                continue
            names = tuple(n for n in [row["name"], *(row["aliases"] or [])] if n)
            out.append(
                PersonKeys(
                    id=row["id"],
                    names=names,
                    birth_year=row["birth_year"],
                    units=frozenset(row["units"] or ()),
                    facilities=frozenset(row["facilities"] or ()),
                )
            )
        return out

    async def candidates(self, viewer: Viewer, first: int = 50) -> list[CandidatePair]:
        """The best ``first`` candidate pairs, each with its score and reasons."""
        if viewer.role not in _ANALYST_AND_UP:
            raise Forbidden(f"the {viewer.role.value} role cannot list duplicate candidates")
        judged = await self.judgements()
        different = frozenset(p for p, (v, _) in judged.items() if v is Verdict.DIFFERENT)
        found = find_candidates(await self.people(viewer), different)[:first]
        found = [_with_judgement(c, judged.get((c.a, c.b))) for c in found]
        ids = sorted({i for c in found for i in (c.a, c.b)})
        served = await self.nodes.get_many(ids, viewer)

        def name(node_id: str) -> str:
            record = served.get(node_id)
            return str(record.properties.get("name") or node_id) if record else node_id

        return [CandidatePair(c, name(c.a), name(c.b)) for c in found]

    async def judgements(self) -> dict[tuple[str, str], tuple[Verdict, str]]:
        """Every pair judged, with its verdict and who judged it."""
        out: dict[tuple[str, str], tuple[Verdict, str]] = {}
        for r in await self.db.read(Q.LIST_JUDGEMENTS):
            first, second = sorted((str(r["a"]), str(r["b"])))
            out[(first, second)] = (Verdict(r["verdict"]), str(r["by"]))
        return out

    async def judge(
        self, viewer: Viewer, a: str, b: str, verdict: Verdict, note: str | None = None
    ) -> None:
        """Record a judgement of a pair (the latest stands), audited. A pair judged
        different is not proposed again."""
        require_write(viewer)
        if a == b:
            raise ValidationFailed("a pair is two persons: a and b are the same id")
        first, second = sorted((a, b))

        async def work(tx: Tx) -> None:
            rows = await tx.run(
                Q.RECORD_JUDGEMENT,
                id=pair_id(first, second),
                a=first,
                b=second,
                verdict=verdict.value,
                by=viewer.name,
                at=now_iso(),
                note=note,
            )
            if not rows:
                raise NotFound("both ids must be persons")
            await audit.append(
                tx, viewer, "judge-duplicates", [first, second], f"judged the pair {verdict.value}"
            )

        await self.db.write(work)
