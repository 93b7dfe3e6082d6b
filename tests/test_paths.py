"""The climb of domain/paths.py against brute force: on random command structures (with
parallel lines, cycles and perpetrators who are also commanders), every path in the
order of strength, the count, and the depth bound."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from accountability.domain.liability import PathClaim
from accountability.domain.paths import Chain, Step, Tail, key_of
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision

grades = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 1))


def _claim(cid: str, kind: ClaimType, frm: str, to: str) -> PathClaim:
    return PathClaim(
        id=cid,
        type=kind,
        from_id=frm,
        to_id=to,
        valid_from=dt.date(2010, 1, 1),
        valid_to=None,
        date_precision=DatePrecision.EXACT,
        confidence=Confidence.HIGH,
        evidence=(),
        props={},
    )


@st.composite
def chains(draw: st.DrawFn) -> tuple[Chain, list[str]]:
    units = [f"u{i}" for i in range(draw(st.integers(1, 5)))]
    people = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    chain = Chain(max_depth=draw(st.integers(0, 4)))
    n = 0

    def step(kind: ClaimType, frm: str, to: str) -> Step:
        nonlocal n
        n += 1
        # ids drawn, not numbered: the order must not depend on how they were written
        return Step(_claim(f"c{draw(st.integers(0, 99)):02d}-{n}", kind, frm, to), draw(grades))

    for unit in draw(st.lists(st.sampled_from(units), max_size=4)):
        member = draw(st.sampled_from([None, *people]))
        if member is None:
            tail = (step(ClaimType.OPERATED, unit, "f"), step(ClaimType.OCCURRED_AT, "i", "f"))
        else:
            tail = (
                step(ClaimType.MEMBER_OF, member, unit),
                step(ClaimType.PERPETRATED, member, "i"),
            )
        chain.add_tail(unit, Tail(tail, member))
    pairs = st.tuples(st.sampled_from(units), st.sampled_from(units))
    for below, above in draw(st.lists(pairs, max_size=8)):
        if below != above:
            chain.add_line(step(ClaimType.SUBORDINATE_TO, below, above))
    for who, unit in draw(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(units)))):
        chain.add_command(who, step(ClaimType.COMMANDED, who, unit))
    return chain, people


def brute(chain: Chain, person: str) -> Iterator[tuple[Step, ...]]:
    """Every path, one by one: command, lines down (no unit twice), a tail."""

    def down(
        unit: str, steps: tuple[Step, ...], seen: frozenset[str], climbed: int
    ) -> Iterator[tuple[Step, ...]]:
        for t in chain.tails.get(unit, []):
            if t.person != person:
                yield steps + t.steps
        if climbed < chain.max_depth:
            for s, below in chain.down.get(unit, []):
                if below not in seen:
                    yield from down(below, (*steps, s), seen | {below}, climbed + 1)

    for c, unit in chain.commands.get(person, []):
        yield from down(unit, (c,), frozenset([unit]), 0)


@settings(max_examples=300, deadline=None)
@given(chains())
def test_paths_come_in_the_order_of_strength_and_all_of_them(
    drawn: tuple[Chain, list[str]],
) -> None:
    chain, people = drawn
    for person in people:
        expected = sorted(brute(chain, person), key=key_of)
        got = list(chain.paths(person))
        assert [key_of(p) for p in got] == [key_of(p) for p in expected]
        assert chain.count(person) == len(expected)


@settings(max_examples=100, deadline=None)
@given(chains(), st.randoms(use_true_random=False))
def test_the_order_does_not_depend_on_the_order_claims_were_added(
    drawn: tuple[Chain, list[str]], rnd: random.Random
) -> None:
    chain, people = drawn
    shuffled = Chain(chain.max_depth)
    tails = [(u, t) for u, ts in chain.tails.items() for t in ts]
    lines = [s for ls in chain.down.values() for s, _ in ls]
    commands = [(p, s) for p, cs in chain.commands.items() for s, _ in cs]
    for items in (tails, lines, commands):
        rnd.shuffle(items)
    for u, t in tails:
        shuffled.add_tail(u, t)
    for s in lines:
        shuffled.add_line(s)
    for p, s in commands:
        shuffled.add_command(p, s)
    for person in people:
        assert [key_of(p) for p in chain.paths(person)] == [
            key_of(p) for p in shuffled.paths(person)
        ]
