"""Paths of the trace in a total order of strength, found without enumerating them all.

A path's strength is compared as a tuple (docs/design.md, "Liability trace"):
certainty (established, possible, undated), then its weakest confidence (high first),
then corroboration (every step from two sources first), then length (shorter first),
then the claim ids along it, from the person to the incident. The first three are each
the worst over the path's claims, so a path is never stronger than any part of it; that
makes the order the same whatever order the claims were written or returned in.

Command chains are where paths multiply: with K parallel claims (K sources recording
the same reporting line) over L levels, a commander has K^L paths. So the chain is
climbed once, level by level, keeping for each unit and each of the few grades (at most
3 x 3 x 2) only the best way down to the incident (dynamic programming); the strongest
path of a person is then read off, and the others are produced in order on request by
a best-first search guided by those bests (exact, so it does no wasted work)."""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from accountability.domain.liability import PathClaim

#: (certainty rank, confidence rank with 0 = high, 1 when not corroborated): lower is
#: stronger; a path's grade is the worst of its claims', part by part.
Grade = tuple[int, int, int]
#: The full order: grade, then length, then claim ids from the person on.
Key = tuple[int, int, int, int, tuple[str, ...]]

BEST: Grade = (0, 0, 0)


def worse(a: Grade, b: Grade) -> Grade:
    return (max(a[0], b[0]), max(a[1], b[1]), max(a[2], b[2]))


@dataclass(frozen=True)
class Step:
    """A claim on a path and its grade (computed once, from the incident's period and
    the sources the reader may see)."""

    claim: PathClaim
    grade: Grade


def grade_of(steps: Sequence[Step]) -> Grade:
    g = BEST
    for s in steps:
        g = worse(g, s.grade)
    return g


def key_of(steps: Sequence[Step]) -> Key:
    g = grade_of(steps)
    return (*g, len(steps), tuple(s.claim.id for s in steps))


@dataclass(frozen=True)
class Tail:
    """How a base unit is linked to the incident: it operated the facility where the
    incident occurred ([OPERATED, OCCURRED_AT]), or a perpetrator or orderer was its
    member ([MEMBER_OF, act]; ``person`` is that member)."""

    steps: tuple[Step, ...]
    person: str | None


@dataclass(frozen=True)
class _Label:
    """The best known way from a unit down to the incident, within one grade."""

    grade: Grade
    length: int
    ids: tuple[str, ...]
    steps: tuple[Step, ...]
    person: str | None  # the member whose act the tail rests on, if any

    @property
    def order(self) -> tuple[int, tuple[str, ...]]:
        return (self.length, self.ids)


def _keep(slot: list[_Label], label: _Label) -> None:
    """Keep the two best labels with different tail persons: enough to answer "the best
    that does not rest on this person's own act" for any person."""
    for i, old in enumerate(slot):
        if old.person == label.person:
            if label.order < old.order:
                slot[i] = label
            break
    else:
        slot.append(label)
    slot.sort(key=lambda lab: lab.order)
    del slot[2:]


#: unit -> grade -> the best labels (see _keep)
_Layer = dict[str, dict[Grade, list[_Label]]]


@dataclass
class Chain:
    """The command structure around one incident, as found in force: the units linked to
    it (with their tails), the reporting lines above them, and who commanded each."""

    max_depth: int
    tails: dict[str, list[Tail]] = field(default_factory=lambda: defaultdict(list))
    #: unit -> (claim, subordinate unit): the ways down from a unit
    down: dict[str, list[tuple[Step, str]]] = field(default_factory=lambda: defaultdict(list))
    #: person -> (COMMANDED claim, unit)
    commands: dict[str, list[tuple[Step, str]]] = field(default_factory=lambda: defaultdict(list))
    _layers: list[_Layer] | None = None

    def add_tail(self, unit: str, tail: Tail) -> None:
        self.tails[unit].append(tail)
        self._layers = None

    def add_line(self, step: Step) -> None:
        """A SUBORDINATE_TO claim: its start reports to its end."""
        self.down[step.claim.to_id].append((step, step.claim.from_id))
        self._layers = None

    def add_command(self, person: str, step: Step) -> None:
        self.commands[person].append((step, step.claim.to_id))

    # --- the climb, once ---------------------------------------------------------

    def _build(self) -> list[_Layer]:
        """layers[k][unit][grade]: the best ways down from ``unit`` that climb exactly k
        reporting lines to get there (so the depth bound can be kept exactly)."""
        if self._layers is not None:
            return self._layers
        layer: _Layer = defaultdict(lambda: defaultdict(list))
        for unit, tails in self.tails.items():
            for t in tails:
                g = grade_of(t.steps)
                ids = tuple(s.claim.id for s in t.steps)
                _keep(layer[unit][g], _Label(g, len(t.steps), ids, t.steps, t.person))
        layers: list[_Layer] = [layer]
        up: list[tuple[Step, str, str]] = [
            (s, below, above) for above, lines in self.down.items() for s, below in lines
        ]
        for _ in range(self.max_depth):
            prev = layers[-1]
            nxt: _Layer = defaultdict(lambda: defaultdict(list))
            for s, below, above in up:
                for labels in prev.get(below, {}).values():
                    for lab in labels:
                        g = worse(s.grade, lab.grade)
                        _keep(
                            nxt[above][g],
                            _Label(
                                g,
                                lab.length + 1,
                                (s.claim.id, *lab.ids),
                                (s, *lab.steps),
                                lab.person,
                            ),
                        )
            if not nxt:
                break
            layers.append(nxt)
        self._layers = layers
        return layers

    def _completion(
        self, prefix: tuple[Step, ...], unit: str, remaining: int, person: str
    ) -> Key | None:
        """The key of the strongest path that starts with ``prefix`` (which ends at
        ``unit``) and goes down to the incident climbing at most ``remaining`` more
        lines, not resting on ``person``'s own act; None when there is none. Exact when
        the reporting lines have no cycle, and never above the truth when they do."""
        layers = self._build()
        g0 = grade_of(prefix)
        ids0 = tuple(s.claim.id for s in prefix)
        best: Key | None = None
        for k in range(min(remaining, len(layers) - 1) + 1):
            for labels in layers[k].get(unit, {}).values():
                for lab in labels:
                    if lab.person == person:
                        continue
                    g = worse(g0, lab.grade)
                    key = (*g, len(prefix) + lab.length, ids0 + lab.ids)
                    if best is None or key < best:
                        best = key
                    break  # labels are in order: the first allowed one is the best
        return best

    # --- a person's paths, in order ---------------------------------------------

    def paths(
        self, person: str, extra: Sequence[tuple[Step, ...]] = ()
    ) -> Iterator[tuple[Step, ...]]:
        """Every path of ``person`` through the chain (and the complete paths ``extra``,
        e.g. a command post at the facility), strongest first. A path never visits a
        unit twice, climbs at most ``max_depth`` lines, and never rests on the person's
        own act (no one is their own superior)."""
        tie = itertools.count()
        heap: list[tuple[Key, int, tuple[Step, ...], str | None, frozenset[str]]] = []
        for path in extra:
            heap.append((key_of(path), next(tie), path, None, frozenset()))
        for c, unit in self.commands.get(person, []):
            h = self._completion((c,), unit, self.max_depth, person)
            if h is not None:
                heap.append((h, next(tie), (c,), unit, frozenset([unit])))
        heapq.heapify(heap)
        while heap:
            _, _, steps, at, seen = heapq.heappop(heap)
            if at is None:
                yield steps
                continue
            unit = at
            for t in self.tails.get(unit, []):
                if t.person != person:
                    done = steps + t.steps
                    heapq.heappush(heap, (key_of(done), next(tie), done, None, seen))
            climbed = len(steps) - 1
            if climbed >= self.max_depth:
                continue
            for s, below in self.down.get(unit, []):
                if below in seen:
                    continue
                longer = (*steps, s)
                h = self._completion(longer, below, self.max_depth - climbed - 1, person)
                if h is not None:
                    heapq.heappush(heap, (h, next(tie), longer, below, seen | {below}))

    def count(self, person: str) -> int:
        """How many paths ``paths(person)`` yields through the chain (without extras),
        counted by units (parallel claims multiply), not one by one."""
        cyclic = self._cyclic()
        memo: dict[tuple[str, int], int] = {}

        def below(unit: str, remaining: int, seen: frozenset[str]) -> int:
            if not cyclic and (unit, remaining) in memo:
                return memo[(unit, remaining)]
            n = sum(1 for t in self.tails.get(unit, []) if t.person != person)
            if remaining > 0:
                parallel: dict[str, int] = defaultdict(int)
                for _, sub in self.down.get(unit, []):
                    parallel[sub] += 1
                for sub, times in parallel.items():
                    if sub not in seen:
                        n += times * below(sub, remaining - 1, seen | {sub})
            if not cyclic:
                memo[(unit, remaining)] = n
            return n

        return sum(
            below(unit, self.max_depth, frozenset([unit]))
            for _, unit in self.commands.get(person, [])
        )

    def _cyclic(self) -> bool:
        state: dict[str, int] = {}

        def visit(unit: str) -> bool:
            state[unit] = 1
            for _, sub in self.down.get(unit, []):
                mark = state.get(sub, 0)
                if mark == 1 or (mark == 0 and visit(sub)):
                    return True
            state[unit] = 2
            return False

        return any(state.get(u, 0) == 0 and visit(u) for u in list(self.down))
