"""Independent rounds of one batched computation, run two at a time.

A case's matrix and brief trace thousands of incidents in rounds of statements. Run one
after another, the engine waits while this process decodes and weighs a round, and this
process waits while the engine reads the next: the machine's two cores take turns.
Two rounds in flight let each work while the other waits. More gain nothing on two
cores, and each round in flight holds its rows in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Rounds in flight at once.
AT_ONCE = 2


async def overlapped(
    calls: Sequence[Callable[[], Awaitable[T]]], at_once: int = AT_ONCE
) -> list[T]:
    """The results of ``calls``, in their order, with at most ``at_once`` running. The
    first failure cancels the rest and is raised as it was (not in a group), so callers
    see the errors a loop of awaits would give them."""
    turns = asyncio.Semaphore(at_once)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with turns:
            return await call()

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(call)) for call in calls]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]
