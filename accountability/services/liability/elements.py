"""Elements of each link, and a case's evidence matrix: the facts the rules of
domain/elements.py need, read for one link or for every link of a case in one round
(docs/design.md, "Elements of liability")."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from accountability.domain import elements as rules
from accountability.domain.elements import Assessment, Context, ElementStatus, LinkFacts
from accountability.domain.liability import MODE_ORDER, Mode, PathClaim
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import IncidentKind, NodeLabel
from accountability.errors import Problem, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.cases import CaseService
from accountability.services.liability.context import incident_context
from accountability.services.liability.notice import NoticeService, Tenure, reach
from accountability.services.liability.trace import (
    LiabilityLink,
    TraceResult,
    TraceService,
    path_claim,
)

Triple = tuple[str, str, Mode]


@dataclass(frozen=True)
class MatrixRow:
    """One accused, one incident, one mode: every element's assessment."""

    person_id: str
    incident_id: str
    mode: Mode
    elements: list[Assessment]

    def count(self, status: ElementStatus) -> int:
        return sum(1 for a in self.elements if a.status is status)


@dataclass(frozen=True)
class CaseMatrix:
    case_id: str
    rows: list[MatrixRow]


class ElementService:
    """Assesses the elements of links found by the trace."""

    def __init__(
        self, db: Database, tracing: TraceService, notice: NoticeService, cases: CaseService
    ) -> None:
        self.db = db
        self.tracing = tracing
        self.notice = notice
        self.cases = cases

    async def elements(
        self, person_id: str, incident_id: str, mode: Mode, viewer: Viewer, max_depth: int = 6
    ) -> list[Assessment]:
        """Every element of one link, whether or not the trace links the person by that
        mode (an unlinked mode shows its gaps)."""
        if mode is Mode.PRESENT:
            raise ValidationFailed.of(
                [Problem("mode", "PRESENT is a lead, not a mode of liability: it has no elements")]
            )
        person_id = await self.tracing.require_person(person_id, viewer)
        traces = await self.tracing.trace_many([incident_id], max_depth, viewer)
        facts = await self._facts(traces, [(person_id, incident_id, mode)], viewer, max_depth)
        return rules.assess(facts[0])

    async def matrix(self, case_id: str, viewer: Viewer, max_depth: int = 6) -> CaseMatrix:
        """One row per person in the case linked (by a mode, not as a lead) to an
        incident in the case; rows with the most gaps first."""
        return (await self.matrix_and_traces(case_id, viewer, max_depth))[0]

    async def matrix_and_traces(
        self, case_id: str, viewer: Viewer, max_depth: int = 6
    ) -> tuple[CaseMatrix, dict[str, TraceResult]]:
        """The matrix, and the traces of the case's incidents it was made from (a case
        bundle's brief tells the same traces: tracing them once is half the work)."""
        members = await self.cases.members(case_id)
        persons = {m.id for m in members if m.label is NodeLabel.PERSON}
        incidents = sorted(m.id for m in members if m.label is NodeLabel.INCIDENT)
        if not incidents:
            return CaseMatrix(case_id, []), {}
        traces = await self.tracing.trace_in_rounds(incidents, max_depth, viewer)
        if not persons:
            return CaseMatrix(case_id, []), traces
        triples: list[Triple] = [
            (link.person_id, i, link.mode)
            for i in incidents
            for link in traces[i].links
            if link.person_id in persons and link.mode is not Mode.PRESENT
        ]
        facts = await self._facts(traces, triples, viewer, max_depth)

        def assessed() -> list[MatrixRow]:
            rows = [
                MatrixRow(p, i, m, rules.assess(f))
                for (p, i, m), f in zip(triples, facts, strict=True)
            ]
            rows.sort(
                key=lambda r: (
                    rules.gap_order(a.status for a in r.elements),
                    r.person_id,
                    r.incident_id,
                    MODE_ORDER.index(r.mode),
                )
            )
            return rows

        # In a thread, as the facts: seconds of Python for a large case.
        return CaseMatrix(case_id, await asyncio.to_thread(assessed)), traces

    async def _facts(
        self,
        traces: dict[str, TraceResult],
        triples: list[Triple],
        viewer: Viewer,
        max_depth: int,
    ) -> list[LinkFacts]:
        incidents = sorted({i for _, i, _ in triples})
        persons = sorted({p for p, _, _ in triples})
        # Independent reads, together: the engine answers one while this process decodes
        # another.
        claim_rows, sites, victim_rows, custody_rows, context = await asyncio.gather(
            self.notice.element_claim_rows(persons),
            self.notice.sites(incidents),
            self.db.read(Q.INCIDENT_VICTIMS, ids=incidents),
            self.db.read(Q.INCIDENT_CUSTODY, ids=incidents),
            incident_context(self.db, incidents, rules.CONTEXT_WINDOW_DAYS),
        )
        # The floor after the claims it judges: a rendition made before the protected
        # names last changed is then held back, not served.
        floor = await self.tracing.nodes.masks.floor()
        claims = self.notice.element_claims(claim_rows, viewer, floor)
        victims: dict[str, list[PathClaim]] = defaultdict(list)
        for r in victim_rows:
            victims[r["incident"]].append(path_claim(r["claim"], viewer, floor))
        custody: dict[str, dict[str, list[PathClaim]]] = defaultdict(lambda: defaultdict(list))
        for r in custody_rows:
            custody[r["incident"]][r["victim"]].append(path_claim(r["claim"], viewer, floor))
        # Each person's tenure once, up to the latest incident he is asked about.
        latest: dict[str, dt.date] = {}
        for person, incident, _ in triples:
            start = traces[incident].period.start
            if start is not None and (person not in latest or start > latest[person]):
                latest[person] = start
        found = await self.notice.tenures(latest, viewer, max_depth)
        tenures = {p: found.get(p, Tenure({}, {}, {}, {})) for p in persons}
        reaches: dict[int, set[str]] = {}

        def reached(link: LiabilityLink) -> set[str]:
            # A person's links serve each of his modes: their paths are walked once.
            if id(link) not in reaches:
                reaches[id(link)] = reach(link)
            return reaches[id(link)]

        def build() -> list[LinkFacts]:
            out = []
            for person, incident, mode in triples:
                trace = traces[incident]
                mine = {link.mode: link for link in trace.links if link.person_id == person}
                own = claims.get(person, [])
                # What his own claims may be about: only worth walking his paths for when he
                # has such claims (most persons of a large case have none).
                linked_nodes = (
                    {n for link in mine.values() for n in reached(link)} if own else set()
                )
                actors = {
                    link.person_id
                    for link in trace.links
                    if own and link.mode in (Mode.PERPETRATION, Mode.ORDERING)
                }
                notice = self.notice.notice_of(
                    tenures[person],
                    person,
                    incident,
                    trace.period,
                    {incident, *sites.of(incident), *linked_nodes},
                    own,
                )
                link = mine.get(mode)
                superior = mine.get(Mode.SUPERIOR_RESPONSIBILITY)
                chain = reached(superior) if superior and own else set()
                period = trace.period
                out.append(
                    LinkFacts(
                        mode=mode,
                        incident_id=incident,
                        kind=IncidentKind(trace.incident.properties.get("kind") or "other"),
                        period=period,
                        path=link.path.claims if link else None,
                        certainty=link.path.certainty if link else None,
                        superior_path=superior.path.claims if superior else None,
                        control=rules.relevant_control(own, chain | actors, period),
                        measures=rules.measures_in_time(
                            own, incident, linked_nodes | sites.of(incident), period
                        ),
                        notifications=notice.notifications,
                        prior_incidents=len(notice.incidents),
                        prior_deaths=notice.deaths,
                        first_prior=notice.first_prior,
                        victims=victims.get(incident, []),
                        custody=dict(custody.get(incident, {})),
                        context=context.get(incident, Context()),
                        missing=trace.missing,
                    )
                )
            return out

        # Pure Python, a second or more for a large case: in a thread, so that the
        # service's loop answers other requests meanwhile.
        return await asyncio.to_thread(build)
