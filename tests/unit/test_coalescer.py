"""The coalesced re-render: few edits under a burst, and the last state always shown."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime

from bot.clock import FakeClock
from bot.runtime.coalescer import RenderCoalescer
from tests.conftest import START


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_burst_of_500_votes_in_5_seconds_makes_at_most_5_edits() -> None:
    clock = FakeClock(START)
    votes = 0
    renders: list[tuple[datetime, int]] = []

    async def render(_key: int) -> None:
        renders.append((clock.now(), votes))

    coalescer = RenderCoalescer(clock, 2.0, render)
    for _ in range(500):
        votes += 1
        coalescer.request(7)
        clock.advance(seconds=0.01)
        await settle()
    for _ in range(4):
        clock.advance(seconds=2)
        await settle()
    await coalescer.drain()

    assert 2 <= len(renders) <= 5
    assert renders[-1][1] == 500  # the last edit shows every vote
    gaps = [(b[0] - a[0]).total_seconds() for a, b in itertools.pairwise(renders)]
    assert all(gap >= 2.0 for gap in gaps)


async def test_a_lone_vote_renders_at_once_and_keys_are_independent() -> None:
    clock = FakeClock(START)
    renders: list[int] = []

    async def render(key: int) -> None:
        renders.append(key)

    coalescer = RenderCoalescer(clock, 2.0, render)
    coalescer.request(1)
    coalescer.request(2)
    await settle()
    assert sorted(renders) == [1, 2]
    clock.advance(seconds=10)
    coalescer.request(1)
    await settle()
    assert renders.count(1) == 2


async def test_a_failing_render_does_not_stop_later_ones() -> None:
    clock = FakeClock(START)
    calls = 0

    async def render(_key: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("Discord said no")

    coalescer = RenderCoalescer(clock, 1.0, render)
    coalescer.request(1)
    await settle()
    clock.advance(seconds=5)
    coalescer.request(1)
    await settle()
    await coalescer.drain()
    assert calls == 2


async def test_slots_of_idle_messages_are_dropped() -> None:
    """10,000 predictions voted on once each, a second apart: the map holds only recent work."""
    clock = FakeClock(START)
    rendered: list[int] = []

    async def render(key: int) -> None:
        rendered.append(key)

    coalescer = RenderCoalescer(clock, 2.0, render)
    most = 0
    for key in range(10_000):
        coalescer.request(key)
        await settle()
        clock.advance(seconds=1)
        most = max(most, len(coalescer))
    await coalescer.drain()
    assert rendered == list(range(10_000))
    assert most <= 2 * 64
    clock.advance(seconds=5)
    await coalescer.drain()
    assert len(coalescer) == 0
