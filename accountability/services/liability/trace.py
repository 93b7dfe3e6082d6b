"""The liability trace: every person linked to an incident, by mode, with the path and
the evidence for every step (docs/design.md, "Liability trace")."""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from accountability.domain import liability as rules
from accountability.domain.liability import Certainty, Mode, PathClaim, Period
from accountability.domain.paths import Chain, Key, Step, Tail, grade_of, key_of
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, NodeLabel
from accountability.errors import EngineError, NotFound, Problem, QueryTimeout, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.graph.values import to_native
from accountability.services.nodes import NodeService
from accountability.services.overlap import overlapped
from accountability.services.records import ClaimRecord, NodeRecord, served_claim_props

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TracePath:
    """One way a person is linked to the incident, with its weight."""

    nodes: list[str]  # from the person to the incident
    claims: list[PathClaim]  # claims[k] joins nodes[k] and nodes[k + 1]
    certainty: Certainty
    weakest_confidence: Confidence
    corroborated: bool
    evidence: list[str]


@dataclass
class Alternatives:
    """A link's other paths, strongest first, produced on request: there may be
    thousands (parallel claims multiply), and a reader pages through a few."""

    total: int  # every path of the link, the shown one included
    produce: Callable[[], Iterator[tuple[Step, ...]]]
    weigh: Callable[[tuple[Step, ...]], TracePath]

    @property
    def count(self) -> int:
        """How many other paths there are."""
        return max(self.total - 1, 0)

    def page(self, offset: int, first: int) -> list[TracePath]:
        """Other paths ``offset`` to ``offset + first`` (the shown path is not one)."""
        chosen = itertools.islice(self.produce(), 1 + offset, 1 + offset + first)
        return [self.weigh(steps) for steps in chosen]


@dataclass(frozen=True)
class LiabilityLink:
    """A person and a mode, carried by its strongest path; the others on request."""

    person_id: str
    mode: Mode
    path: TracePath
    alternatives: Alternatives


@dataclass(frozen=True)
class ExplainedPath:
    """A path between a person and an incident, and why it does or does not qualify."""

    mode: Mode
    path: TracePath
    qualifies: bool
    reasons: list[str]


@dataclass(frozen=True)
class IncidentLink:
    """An incident a person is linked to, by one mode, with the strongest path."""

    incident_id: str
    period: Period
    mode: Mode
    path: TracePath
    alternatives: Alternatives


@dataclass
class _Group:
    """The paths of one person by one mode to one incident: complete ones (acts, posts,
    aid) and, for superiors, the command chain they climb."""

    incident: str
    person: str
    mode: Mode
    complete: list[tuple[Step, ...]]
    chain: Chain | None = None

    def produce(self) -> Iterator[tuple[Step, ...]]:
        if self.chain is not None:
            return self.chain.paths(self.person, self.complete)
        return iter(sorted(self.complete, key=key_of))

    def total(self) -> int:
        through = self.chain.count(self.person) if self.chain is not None else 0
        return through + len(self.complete)


@dataclass(frozen=True)
class _Gathered:
    periods: dict[str, Period]
    groups: list[_Group]
    truncated: set[str]  # incidents for which the depth bound cut a chain
    missing: dict[str, list[str]]  # per incident: parts that could not be computed
    records: dict[str, NodeRecord]

    def evidence(self) -> dict[str, NodeRecord]:
        return {e: r for e, r in self.records.items() if r.label is NodeLabel.EVIDENCE}


@dataclass(frozen=True)
class Explanation:
    incident: NodeRecord
    period: Period
    paths: list[ExplainedPath]
    truncated: bool
    evidence: dict[str, NodeRecord]
    #: Paths not listed, beyond EXPLAIN_LIMIT per mode.
    omitted: int = 0


@dataclass(frozen=True)
class TraceResult:
    incident: NodeRecord
    period: Period
    links: list[LiabilityLink]
    truncated: bool
    evidence: dict[str, NodeRecord]
    #: Parts of the trace that could not be computed (a statement over the engine's
    #: time limit): the rest still answers.
    missing: list[str] = field(default_factory=list)
    #: With ``with_nodes``: every node the trace read, as served to the viewer (the
    #: people and the nodes along the paths too), for the API's loaders.
    nodes: dict[str, NodeRecord] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        return bool(self.missing)


def path_claim(m: dict[str, Any], viewer: Viewer | None = None, floor: int = 0) -> PathClaim:
    """A claim as the trace statements return it (a map of its properties), as this
    viewer is served it."""
    m = served_claim_props(to_native(m), viewer, floor)
    return PathClaim(
        id=m["id"],
        type=ClaimType(m["type"]),
        from_id=m["from"],
        to_id=m["to"],
        valid_from=m.get("valid_from"),
        valid_to=m.get("valid_to"),
        date_precision=DatePrecision(m.get("date_precision") or "approximate"),
        confidence=Confidence(m.get("confidence") or "low"),
        evidence=tuple(m.get("evidence") or ()),
        props=m,
    )


def claim_record(claim: PathClaim) -> ClaimRecord:
    """The full record of a claim on a path, for the API."""
    return ClaimRecord.from_row(
        {
            "id": claim.id,
            "type": claim.type.value,
            "from": claim.from_id,
            "to": claim.to_id,
            "props": claim.props,
        }
    )


def walk(person: str, claims: list[PathClaim]) -> list[str]:
    """The nodes a path passes through, from the person on."""
    nodes = [person]
    for claim in claims:
        nodes.append(claim.other_end(nodes[-1]))
    return nodes


class TraceService:
    """Runs the trace statements and weighs their paths."""

    def __init__(self, db: Database, nodes: NodeService) -> None:
        self.db = db
        self.nodes = nodes

    async def periods(self, incident_ids: list[str]) -> dict[str, Period]:
        """The period of each of these incidents that exists."""
        rows = await self.db.read(Q.GET_INCIDENT_PERIOD, ids=incident_ids)
        return {r["id"]: Period.of(*to_native([r["start"], r["end"]])) for r in rows}

    async def _gather(
        self,
        incident_ids: list[str],
        max_depth: int,
        viewer: Viewer,
        person: str | None = None,
        include_all: bool = False,
        with_nodes: bool = False,
    ) -> _Gathered:
        """The paths to these incidents, grouped by person and mode, each judged by its
        own incident's period; with ``person``, only that person's; with
        ``include_all``, also paths through retracted or out-of-period claims; with
        ``with_nodes``, the people and the nodes along the paths are read with the
        evidence (one read, where a caller would make another)."""
        if not 0 <= max_depth <= rules.MAX_DEPTH_LIMIT:
            raise ValidationFailed.of(
                [Problem("maxDepth", f"must be between 0 and {rules.MAX_DEPTH_LIMIT}")]
            )
        params = {"ids": incident_ids, "all": include_all, "person": person}
        # The periods are read beside the parts, not before them (the climb reads them
        # with the units). An unknown incident is refused once all have answered (they
        # find nothing for it).
        # Each part answers alone: one over the engine's time limit leaves the others.
        periods, acts, facility, chain = await asyncio.gather(
            self.periods(incident_ids),
            _part("acts", self.db.read(Q.TRACE_ACTS, **params)),
            _part("facility", self.db.read(Q.TRACE_FACILITY, **params)),
            _part("chain", self.climb(incident_ids, max_depth, include_all, person)),
        )
        missing_ids = [i for i in incident_ids if i not in periods]
        if missing_ids:
            raise NotFound(f"no incident with id {missing_ids[0]!r}")
        answers: dict[str, _Answer[Any]] = {"acts": acts, "facility": facility, "chain": chain}
        missing: dict[str, list[str]] = defaultdict(list)
        for name, modes in _PART_MODES.items():
            problem = answers[name].problem
            if problem:
                for i in incident_ids:
                    missing[i] += [f"{mode.value}: {problem}" for mode in modes]
        rows = [*(acts.value or []), *(facility.value or [])]
        climb = chain.value or _Climb()
        claims_of = [c for r in rows for c in r["claims"]]
        claims_of += [c for r in climb.bases for c in r["claims"]]
        claims_of += [r["claim"] for r in (*climb.lines, *climb.commanders)]
        evidence_ids = sorted({e for c in claims_of for e in (c.get("evidence") or [])})
        node_ids: set[str] = set()
        if with_nodes:
            node_ids = {r["person"] for r in (*rows, *climb.commanders) if r.get("person")}
            node_ids |= {c[end] for c in claims_of for end in ("from", "to")}
        # The floor comes with the nodes, read after the claims (see records.py).
        records, floor = await self.nodes.get_many_at_floor(
            [*incident_ids, *evidence_ids, *sorted(node_ids)], viewer
        )
        sources = {e: records[e].properties.get("source") for e in evidence_ids if e in records}

        def step(raw: dict[str, Any], incident: str) -> Step:
            claim = path_claim(raw, viewer, floor)
            return Step(claim, rules.grade(claim, periods[incident], incident, sources))

        groups: dict[tuple[str, str, Mode], _Group] = {}

        def group(incident: str, who: str, mode: Mode) -> _Group:
            key = (incident, who, mode)
            if key not in groups:
                groups[key] = _Group(incident, who, mode, [])
            return groups[key]

        for row in rows:
            if row["person"] is None:
                continue
            steps = tuple(step(c, row["incident"]) for c in row["claims"])
            nodes = walk(row["person"], [s.claim for s in steps])
            if len(set(nodes)) == len(nodes):  # one's own act does not make one's superior
                group(row["incident"], row["person"], Mode(row["mode"])).complete.append(steps)
        chains = {i: Chain(max_depth) for i in incident_ids}
        for r in climb.bases:
            tail = Tail(tuple(step(c, r["incident"]) for c in r["claims"]), r["member"])
            chains[r["incident"]].add_tail(r["unit"], tail)
        for r in climb.lines:
            chains[r["incident"]].add_line(step(r["claim"], r["incident"]))
        for r in climb.commanders:
            chains[r["incident"]].add_command(r["person"], step(r["claim"], r["incident"]))
        for incident, ch in chains.items():
            for who in ch.commands:
                group(incident, who, Mode.SUPERIOR_RESPONSIBILITY).chain = ch
        return _Gathered(periods, list(groups.values()), climb.cut, dict(missing), records)

    async def climb(
        self, incident_ids: list[str], max_depth: int, include_all: bool, person: str | None
    ) -> _Climb:
        """The command structure around each incident: its units, then the reporting
        lines above them, each unit visited once, and who commanded the units reached.
        The work grows with the lines, not the paths. Each statement reads two levels
        and the commanders of the units on them, so a chain of n levels costs about
        n / 2 round trips after the first."""
        ids = list(dict.fromkeys(incident_ids))
        out = _Climb()
        out.bases = await self.db.read(Q.TRACE_BASE_UNITS, ids=ids, all=include_all, person=person)
        seen: dict[str, set[str]] = {i: set() for i in ids}
        # Each incident's period, as the statements compare claims with it.
        period: dict[str, dict[str, Any]] = {}
        # Who commanded each (incident, unit) reached or about to be.
        commanders: dict[tuple[str, str], list[dict[str, Any]]] = {}
        frontier: list[tuple[str, str]] = []
        for r in out.bases:
            incident, unit = r["incident"], r["unit"]
            period[incident] = {"start": r["start"], "end": r["end"]}
            commanders.setdefault((incident, unit), _commanders(r["commanders"], unit))
            if unit not in seen[incident]:
                seen[incident].add(unit)
                frontier.append((incident, unit))

        def rows_of(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
            return [{"incident": i, "unit": u, **period[i]} for i, u in pairs]

        # The lines out of each (incident, unit) read so far: every other level is
        # served from here.
        out_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for level in range(max_depth + 1):
            if not frontier:
                break
            unread = [pair for pair in frontier if pair not in out_of]
            if unread:
                rows = await self.db.read(
                    Q.TRACE_CLIMB, frontier=rows_of(unread), all=include_all, person=person
                )
                for pair in unread:
                    out_of[pair] = []
                for r in rows:
                    incident, line = r["incident"], r["claim"]
                    out_of[(incident, line["from"])].append({"incident": incident, "claim": line})
                    up = (incident, line["to"])
                    commanders.setdefault(up, _commanders(r["commanders"], line["to"]))
                    if up not in out_of:
                        out_of[up] = []
                        for a in r["above"]:
                            over = a["to"]
                            claim = _claim(a["claim"], ClaimType.SUBORDINATE_TO, line["to"], over)
                            out_of[up].append({"incident": incident, "claim": claim})
                            commanders.setdefault(
                                (incident, over), _commanders(a["commanders"], over)
                            )
            found = [r for pair in frontier for r in out_of[pair]]
            if level == max_depth:
                # Lines beyond the bound are not climbed: a new unit above says the bound
                # cut a chain (a line back to a unit already reached does not).
                out.cut = {
                    r["incident"] for r in found if r["claim"]["to"] not in seen[r["incident"]]
                }
                break
            out.lines += found
            frontier = []
            for r in found:
                up = r["claim"]["to"]
                if up not in seen[r["incident"]]:
                    seen[r["incident"]].add(up)
                    frontier.append((r["incident"], up))
        out.commanders = [
            {"incident": i, **c} for i in ids for u in sorted(seen[i]) for c in commanders[(i, u)]
        ]
        return out

    def _weigh(
        self, g: _Gathered, incident: str, person: str, steps: tuple[Step, ...]
    ) -> TracePath:
        claims = [s.claim for s in steps]
        grade = grade_of(steps)
        return TracePath(
            nodes=walk(person, claims),
            claims=claims,
            certainty=rules.CERTAINTY_ORDER[grade[0]],
            weakest_confidence=rules.CONFIDENCE_ORDER[grade[1]],
            corroborated=grade[2] == 0,
            evidence=list(dict.fromkeys(e for c in claims for e in c.evidence)),
        )

    def _strongest(self, g: _Gathered) -> list[tuple[_Group, TracePath, Alternatives, Key]]:
        """For each (incident, person, mode): its strongest path, and the others on
        request, in the order of strength."""
        out = []
        for grp in g.groups:
            best = next(grp.produce(), None)
            if best is None:
                continue  # a commander whose every way down rests on his own act

            def weigh(steps: tuple[Step, ...], grp: _Group = grp) -> TracePath:
                return self._weigh(g, grp.incident, grp.person, steps)

            others = Alternatives(grp.total(), grp.produce, weigh)
            out.append((grp, weigh(best), others, key_of(best)))
        return out

    def _links(self, g: _Gathered) -> dict[str, list[LiabilityLink]]:
        """Each incident's links, in the trace's order: mode, then the strength of the
        shown path (docs/design.md, "Liability trace"), then the person."""
        ranked: dict[str, list[tuple[tuple[Any, ...], LiabilityLink]]] = {i: [] for i in g.periods}
        for grp, best, others, key in self._strongest(g):
            order = (rules.MODE_ORDER.index(grp.mode), key, grp.person)
            link = LiabilityLink(grp.person, grp.mode, best, others)
            ranked[grp.incident].append((order, link))
        return {
            i: [link for _, link in sorted(links, key=lambda x: x[0])]
            for i, links in ranked.items()
        }

    async def trace(
        self, incident_id: str, max_depth: int, viewer: Viewer, with_nodes: bool = False
    ) -> TraceResult:
        """Every person linked to the incident, each with its strongest path per mode
        (with ``with_nodes``, the nodes it names, read with its evidence)."""
        found = await self.trace_many([incident_id], max_depth, viewer, with_nodes)
        return found[incident_id]

    async def trace_many(
        self, incident_ids: list[str], max_depth: int, viewer: Viewer, with_nodes: bool = False
    ) -> dict[str, TraceResult]:
        """The traces of several incidents in one round of statements (a case brief
        traces thousands: one round each would cost a round-trip each)."""
        g = await self._gather(incident_ids, max_depth, viewer, with_nodes=with_nodes)
        # A batch (a case's brief or matrix) weighs thousands of paths: in a thread, so
        # that the service's loop answers other requests meanwhile. One trace is quick.
        many = len(incident_ids) > 1
        links = await asyncio.to_thread(self._links, g) if many else self._links(g)
        evidence = g.evidence()
        return {
            i: TraceResult(
                g.records[i],
                g.periods[i],
                links[i],
                i in g.truncated,
                evidence,
                g.missing.get(i, []),
                g.records if with_nodes else {},
            )
            for i in incident_ids
        }

    async def trace_in_rounds(
        self, incident_ids: list[str], max_depth: int, viewer: Viewer
    ) -> dict[str, TraceResult]:
        """The traces of many incidents (a case's brief or matrix): ``trace_many`` on
        rounds of ``ROUND`` incidents, two rounds at a time (services/overlap.py)."""
        rounds = await overlapped(
            [
                functools.partial(
                    self.trace_many, incident_ids[first : first + ROUND], max_depth, viewer
                )
                for first in range(0, len(incident_ids), ROUND)
            ]
        )
        return {i: result for found in rounds for i, result in found.items()}

    async def explain(
        self, person_id: str, incident_id: str, max_depth: int, viewer: Viewer
    ) -> Explanation:
        """Every path between a person and an incident (up to EXPLAIN_LIMIT per mode,
        strongest first), each with why it does or does not make a link, qualifying
        paths first."""
        person_id = await self.require_person(person_id, viewer)
        g = await self._gather([incident_id], max_depth, viewer, person=person_id, include_all=True)
        period = g.periods[incident_id]
        explained: list[tuple[tuple[Any, ...], ExplainedPath]] = []
        omitted = 0
        for grp in g.groups:
            if grp.person != person_id:
                continue
            listed = 0
            for steps in itertools.islice(grp.produce(), EXPLAIN_LIMIT):
                path = self._weigh(g, incident_id, person_id, steps)
                reasons = [r for s in steps if (r := _exclusion(s.claim, period, incident_id))]
                order = (bool(reasons), rules.MODE_ORDER.index(grp.mode), key_of(steps))
                explained.append((order, ExplainedPath(grp.mode, path, not reasons, reasons)))
                listed += 1
            omitted += grp.total() - listed
        explained.sort(key=lambda x: x[0])
        return Explanation(
            g.records[incident_id],
            period,
            [e for _, e in explained],
            incident_id in g.truncated,
            g.evidence(),
            omitted,
        )

    async def incidents_of(
        self, person_id: str, max_depth: int, viewer: Viewer
    ) -> list[IncidentLink]:
        """Every incident a person is linked to, by mode (the trace, inverted): the
        incidents within reach are found first, then traced by the same rules."""
        person_id = await self.require_person(person_id, viewer)
        rows = await self.db.read(Q.PERSON_INCIDENT_CANDIDATES, id=person_id)
        return await self.links_to(person_id, sorted(r["id"] for r in rows), max_depth, viewer)

    async def links_to(
        self, person_id: str, incident_ids: list[str], max_depth: int, viewer: Viewer
    ) -> list[IncidentLink]:
        """This person's links to these incidents, by mode, by the trace's rules; in
        mode order, then date."""
        candidates = sorted(set(incident_ids))
        if not candidates:
            return []
        g = await self._gather(candidates, max_depth, viewer, person=person_id)
        links = [
            IncidentLink(grp.incident, g.periods[grp.incident], grp.mode, best, others)
            for grp, best, others, _ in self._strongest(g)
            if grp.person == person_id
        ]
        links.sort(
            key=lambda link: (
                rules.MODE_ORDER.index(link.mode),
                str(link.period.start),
                link.incident_id,
            )
        )
        return links

    async def require_person(self, person_id: str, viewer: Viewer) -> str:
        """The person's id (a merged person's: the one it was merged into)."""
        person = (await self.nodes.get_many([person_id], viewer)).get(person_id)
        if person is None or person.label is not NodeLabel.PERSON:
            raise NotFound(f"no person with id {person_id!r}")
        return person.id


#: How many incidents one round of trace statements takes (``trace_in_rounds``).
ROUND = 200
#: explain lists at most this many paths per mode (parallel claims can make millions).
EXPLAIN_LIMIT = 200


def _claim(props: dict[str, Any], kind: ClaimType, start: str, end: str) -> dict[str, Any]:
    """A claim the climb statements give as its properties, as the others give it."""
    return {**props, "type": kind.value, "from": start, "to": end}


def _commanders(rows: list[dict[str, Any]], unit: str) -> list[dict[str, Any]]:
    """Who commanded a unit, as the climb statements give them, as claims."""
    return [
        {"person": r["person"], "claim": _claim(r["claim"], ClaimType.COMMANDED, r["person"], unit)}
        for r in rows
    ]


@dataclass
class _Climb:
    bases: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    commanders: list[dict[str, Any]] = field(default_factory=list)
    cut: set[str] = field(default_factory=set)


T = TypeVar("T")


@dataclass(frozen=True)
class _Answer(Generic[T]):
    value: T | None
    problem: str | None


async def _part(name: str, work: Awaitable[T]) -> _Answer[T]:
    """One part of the trace: its answer, or what went wrong, without failing the rest."""
    try:
        return _Answer(await work, None)
    except QueryTimeout:
        log.warning("trace part %s exceeded the time limit", name)
        return _Answer(None, "the statement exceeded the engine's time limit")
    except EngineError as exc:
        log.warning("trace part %s failed: %s", name, exc.message)
        return _Answer(None, "the engine could not compute it")


#: Which modes each part of the trace finds.
_PART_MODES: dict[str, tuple[Mode, ...]] = {
    "acts": (Mode.PERPETRATION, Mode.ORDERING, Mode.AIDING_ABETTING),
    "facility": (Mode.AIDING_ABETTING, Mode.SUPERIOR_RESPONSIBILITY, Mode.PRESENT),
    "chain": (Mode.SUPERIOR_RESPONSIBILITY,),
}


def _exclusion(claim: PathClaim, period: Period, incident_id: str) -> str | None:
    """Why a claim keeps its path out of the trace, or None when it does not."""
    if claim.props.get("retracted_at"):
        return (
            f"{claim.type.value} claim {claim.id} was retracted on "
            f"{str(claim.props['retracted_at'])[:10]}: {claim.props.get('retraction_reason')}"
        )
    if rules.is_act(claim, incident_id):
        return None
    return rules.not_in_force_reason(claim, period)
