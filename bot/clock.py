"""Injected time source: services never call ``datetime.now`` themselves.

Tests pass a :class:`FakeClock` and travel in time by advancing it, never by sleeping.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time (the fake one waits for the test to move it)."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0))


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._moved = asyncio.Condition()
        self._wakers: set[asyncio.Task[None]] = set()

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Return once the clock has been advanced past ``now + seconds``."""
        until = self._now + timedelta(seconds=max(seconds, 0))
        async with self._moved:
            await self._moved.wait_for(lambda: self._now >= until)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        self._notify()
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)
        self._notify()

    def _notify(self) -> None:
        async def wake() -> None:
            async with self._moved:
                self._moved.notify_all()

        try:
            task = asyncio.get_running_loop().create_task(wake())
        except RuntimeError:
            return  # no loop running: nobody can be sleeping
        self._wakers.add(task)
        task.add_done_callback(self._wakers.discard)
