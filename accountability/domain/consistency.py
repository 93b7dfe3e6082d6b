"""The consistency check's rules (docs/design.md, "Consistency check"): what counts as a
problem a legal team must resolve before a court sees the graph, and how each is said.

Sentences carry ids, claim types and dates only — never a name or free text — so a
report may go to any reader allowed to run the check without unmasking anyone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

#: The longest SUBORDINATE_TO cycle looked for (the trace's own depth bound).
MAX_CYCLE_LENGTH = 10
#: How many links the cycle search may follow before it stops and says the list is
#: incomplete: a tangle of re-parented units can hold more paths than anyone could read.
CYCLE_SEARCH_STEPS = 1_000_000


class ProblemKind(StrEnum):
    """The kinds of problem, in the order a report lists them."""

    SUBORDINATION_CYCLE = "subordination_cycle"
    OVERLAPPING_COMMAND = "overlapping_command"
    EVIDENCE_PREDATES_CLAIM = "evidence_predates_claim"
    ACTIVE_AFTER_DEATH = "active_after_death"


@dataclass(frozen=True)
class Inconsistency:
    """One problem: what it is, a sentence, the ids to look at and the dates at issue
    (``start`` to ``end``; what they are depends on the kind, see ``ConsistencyProblem``
    in the GraphQL schema)."""

    kind: ProblemKind
    message: str
    node_ids: list[str]
    claim_ids: list[str]
    evidence_ids: list[str]
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Report:
    problems: list[Inconsistency]
    #: More problems exist than were listed, or the cycle search hit its bound.
    truncated: bool


# --- periods -------------------------------------------------------------------------


def common_period(
    periods: Iterable[tuple[dt.date | None, dt.date | None]],
) -> tuple[bool, dt.date | None, dt.date | None]:
    """Whether periods share a day, and the shared period. A missing start or end is
    open (unknown), so it never keeps two claims apart."""
    start: dt.date | None = None
    end: dt.date | None = None
    for valid_from, valid_to in periods:
        if valid_from is not None and (start is None or valid_from > start):
            start = valid_from
        if valid_to is not None and (end is None or valid_to < end):
            end = valid_to
    return (start is None or end is None or start <= end), start, end


def period_words(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"from {start} to {end}"
    if start:
        return f"from {start} on"
    if end:
        return f"until {end}"
    return "with no dates to keep them apart"


# --- subordination cycles ------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A standing SUBORDINATE_TO claim: ``from_id`` is under ``to_id``."""

    claim_id: str
    from_id: str
    to_id: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class Cycle:
    #: Units in cycle order, starting from the smallest id: ``units[i]`` is under
    #: ``units[i + 1]`` by ``claims[i]``, and the last unit under the first.
    units: list[str]
    claims: list[str]
    start: dt.date | None
    end: dt.date | None


def _components(out: dict[str, list[Link]]) -> dict[str, int]:
    """Tarjan's strongly connected components, iteratively (a long chain of units would
    overflow Python's recursion): a unit can be on a cycle only with the units of its
    own component, so a plain hierarchy leaves nothing to search."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in sorted(out):
        if root in index:
            continue
        work: list[tuple[str, Iterator[Link]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(out.get(root, []))))
        while work:
            unit, links = work[-1]
            advanced = False
            for link in links:
                nxt = link.to_id
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(out.get(nxt, []))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[unit] = min(low[unit], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[unit])
            if low[unit] == index[unit]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[unit]
                    if member == unit:
                        break
    return component


class _Exhausted(Exception):
    pass


def find_cycles(
    links: Sequence[Link],
    limit: int,
    max_length: int = MAX_CYCLE_LENGTH,
    budget: int = CYCLE_SEARCH_STEPS,
) -> tuple[list[Cycle], bool]:
    """Simple cycles of up to ``max_length`` links whose claims are all in force on a
    common day, each once: from its smallest unit id, in the order of its (unit, claim)
    steps, so the first ``limit`` are always the same. Returns them and whether the
    search stopped early (``limit`` reached with more to come, or ``budget`` spent).
    A path is dropped as soon as its periods stop overlapping, which is what keeps the
    search small on real hierarchies (re-parented units have successive, not
    overlapping, parents)."""
    out: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        out[link.from_id].append(link)
    for outgoing in out.values():
        outgoing.sort(key=lambda k: (k.to_id, k.claim_id))
    component = _components(out)
    found: list[Cycle] = []
    steps = 0

    def walk(
        origin: str,
        units: list[str],
        claims: list[str],
        start: dt.date | None,
        end: dt.date | None,
    ) -> None:
        nonlocal steps
        for link in out.get(units[-1], []):
            nxt = link.to_id
            if nxt < origin or component.get(nxt) != component[origin]:
                continue
            steps += 1
            if steps > budget:
                raise _Exhausted
            overlap, s, e = common_period([(start, end), (link.valid_from, link.valid_to)])
            if not overlap:
                continue
            if nxt == origin:
                found.append(Cycle(list(units), [*claims, link.claim_id], s, e))
                if len(found) > limit:
                    raise _Exhausted
            elif nxt not in units and len(claims) + 1 < max_length:
                walk(origin, [*units, nxt], [*claims, link.claim_id], s, e)

    try:
        for origin in sorted(out):
            walk(origin, [origin], [], None, None)
    except _Exhausted:
        return found[:limit], True
    return found, False


# --- the problems, in words ----------------------------------------------------------


def cycle_problem(cycle: Cycle) -> Inconsistency:
    ring = " → ".join([*cycle.units, cycle.units[0]])
    what = (
        f"Unit {cycle.units[0]} is claimed subordinate to itself"
        if len(cycle.units) == 1
        else f"Units {ring} are each claimed subordinate to the next"
    )
    return Inconsistency(
        ProblemKind.SUBORDINATION_CYCLE,
        f"{what} (claims {', '.join(cycle.claims)}), all in force "
        f"{period_words(cycle.start, cycle.end)}.",
        list(cycle.units),
        list(cycle.claims),
        [],
        cycle.start,
        cycle.end,
    )


def overlap_problem(
    unit: str,
    first: tuple[str, str],
    second: tuple[str, str],
    start: dt.date | None,
    end: dt.date | None,
) -> Inconsistency:
    """``first`` and ``second`` are (person id, COMMANDED claim id)."""
    return Inconsistency(
        ProblemKind.OVERLAPPING_COMMAND,
        f"Unit {unit} has two exact commanders at once: {first[0]} (claim {first[1]}) and "
        f"{second[0]} (claim {second[1]}), {period_words(start, end)}.",
        [unit, first[0], second[0]],
        [first[1], second[1]],
        [],
        start,
        end,
    )


def _claim_words(claim_id: str, claim_type: str, from_id: str, to_id: str) -> str:
    return f"{claim_id} ({claim_type} {from_id} → {to_id})"


def predating_problem(
    claim: tuple[str, str, str, str],
    begins: dt.date,
    items: Sequence[tuple[str, dt.date]],
) -> Inconsistency:
    """``claim`` is (id, type, from, to); ``items`` the (evidence id, acquisition date)
    of each cited item acquired before the claim began."""
    cited = ", ".join(f"{item} on {day}" for item, day in items)
    return Inconsistency(
        ProblemKind.EVIDENCE_PREDATES_CLAIM,
        f"Claim {_claim_words(*claim)} begins {begins}, but cites evidence "
        f"acquired before then: {cited}.",
        [claim[2], claim[3]],
        [claim[0]],
        [item for item, _ in items],
        min(day for _, day in items),
        begins,
    )


@dataclass(frozen=True)
class DeathBasis:
    """What a recorded death rests on: a VICTIM claim of a killing (``node`` the
    incident), or the last DETAINED_AT claim of a person who died in custody (``node``
    the facility)."""

    claim_id: str
    claim_type: str
    node: str

    def words(self) -> str:
        if self.claim_type == "VICTIM":
            return f"claim {self.claim_id}: victim of killing {self.node}"
        return f"claim {self.claim_id}: died in custody, last detention at {self.node} ends then"


def after_death_problem(
    person: str,
    died: dt.date,
    bases: Sequence[DeathBasis],
    claim: tuple[str, str, str, str],
    begins: dt.date,
) -> Inconsistency:
    """``claim`` is (id, type, from, to), one end of it ``person``."""
    other = claim[3] if claim[2] == person else claim[2]
    return Inconsistency(
        ProblemKind.ACTIVE_AFTER_DEATH,
        f"Person {person} is recorded dead by {died} "
        f"({'; '.join(b.words() for b in bases)}), but claim {_claim_words(*claim)} "
        f"begins {begins}.",
        [person, other],
        [claim[0], *(b.claim_id for b in bases)],
        [],
        died,
        begins,
    )
