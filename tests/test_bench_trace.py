"""The trace benchmark's own bookkeeping (the benchmark itself runs by hand)."""

from __future__ import annotations

import pytest

from benchmarks.trace_bench import looping, main


async def test_calls_go_round_the_items_however_few() -> None:
    """The warm-up makes 20 calls: with fewer than 10 samples it once ran out of items."""
    seen: list[str] = []

    async def call(item: str) -> None:
        seen.append(item)

    step = looping(call, ["a", "b"])
    for _ in range(20):
        await step()
    assert seen == ["a", "b"] * 10
    with pytest.raises(ValueError):
        looping(call, [])


def test_at_least_one_sample() -> None:
    with pytest.raises(ValueError, match="at least one"):
        main(1.6, 0, None, 512)
