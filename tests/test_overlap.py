"""services/overlap.py: rounds run two at a time, answered in order, failing as a loop
of awaits would."""

from __future__ import annotations

import asyncio
import functools

import pytest

from accountability.errors import NotFound
from accountability.services.overlap import overlapped


async def test_results_come_in_order_with_at_most_two_running() -> None:
    running = 0
    most = 0

    async def round_(n: int) -> int:
        nonlocal running, most
        running += 1
        most = max(most, running)
        # Later rounds finish first: the order of the answer is the order asked.
        await asyncio.sleep(0.001 * (10 - n))
        running -= 1
        return n * n

    found = await overlapped([functools.partial(round_, n) for n in range(10)])
    assert found == [n * n for n in range(10)]
    assert most == 2


async def test_the_first_failure_is_raised_as_it_is_and_the_rest_are_cancelled() -> None:
    cancelled: list[int] = []
    finished: list[int] = []

    async def round_(n: int) -> int:
        if n == 1:
            raise NotFound("no incident with id 'x'")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            cancelled.append(n)
            raise
        finished.append(n)
        return n

    with pytest.raises(NotFound) as caught:
        await overlapped([functools.partial(round_, n) for n in range(4)])
    assert caught.value.code == "NOT_FOUND"
    # Round 0 was in flight beside round 1, round 2 took its turn: both are stopped,
    # and round 3 never starts.
    assert sorted(cancelled) == [0, 2]
    assert finished == []


async def test_nothing_to_run_is_an_empty_answer() -> None:
    assert await overlapped([]) == []
