"""Duplicate candidates over the graph's persons (domain/duplicates.py does the
matching). A reader without clearance never sees a pair with a protected person in it:
"a record much like Kareem al-Tahhan" would say who the pseudonym is."""

from __future__ import annotations

from dataclasses import dataclass

from accountability.domain.duplicates import Candidate, PersonKeys, find_candidates
from accountability.domain.redaction import Role, Viewer
from accountability.errors import Forbidden
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.nodes import NodeService


@dataclass(frozen=True)
class CandidatePair:
    """A candidate with the two records as the viewer is served them."""

    candidate: Candidate
    a_name: str
    b_name: str


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
        found = find_candidates(await self.people(viewer))[:first]
        ids = sorted({i for c in found for i in (c.a, c.b)})
        served = await self.nodes.get_many(ids, viewer)

        def name(node_id: str) -> str:
            record = served.get(node_id)
            return str(record.properties.get("name") or node_id) if record else node_id

        return [CandidatePair(c, name(c.a), name(c.b)) for c in found]
