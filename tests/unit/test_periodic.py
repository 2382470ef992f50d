"""Background loops stop between cycles: a cycle under way is never cut in the middle."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.clock import FakeClock
from bot.runtime.periodic import Periodic


async def test_stop_lets_a_running_cycle_finish_then_ends_the_loop() -> None:
    clock = FakeClock(datetime(2026, 12, 1, tzinfo=UTC))
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[int] = []

    async def cycle() -> None:
        started.set()
        await release.wait()  # e.g. a database session in progress
        finished.append(1)

    loop = Periodic("test-loop", cycle, 30, clock)
    loop.start()
    await started.wait()
    stopping = asyncio.create_task(loop.stop())
    await asyncio.sleep(0)
    assert not stopping.done() and finished == []  # it waits for the cycle
    release.set()
    await stopping
    assert finished == [1] and not loop.running


async def test_a_failing_cycle_does_not_end_the_loop() -> None:
    clock = FakeClock(datetime(2026, 12, 1, tzinfo=UTC))
    calls: list[int] = []
    called = asyncio.Condition()

    async def cycle() -> None:
        async with called:
            calls.append(1)
            called.notify_all()
        raise RuntimeError("database is locked")

    loop = Periodic("test-loop", cycle, 30, clock)
    loop.start()
    async with called:
        await called.wait_for(lambda: len(calls) == 1)
    clock.advance(seconds=30)
    async with called:
        await called.wait_for(lambda: len(calls) == 2)
    assert loop.running
    await loop.stop()
    assert not loop.running
