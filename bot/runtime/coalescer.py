"""Coalesced re-rendering: a burst of votes makes at most one edit per message per interval.

The first request renders at once; requests inside the interval mark the message dirty and one
trailing render shows the latest state. Time comes from the injected clock, so tests drive it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock

log = logging.getLogger(__name__)

Render = Callable[[int], Awaitable[object]]


@dataclass
class _Slot:
    dirty: bool = False
    last_render: datetime | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class RenderCoalescer:
    def __init__(self, clock: Clock, interval: float, render: Render) -> None:
        self._clock = clock
        self._interval = interval
        self._render = render
        self._slots: dict[int, _Slot] = {}

    def request(self, key: int) -> None:
        """Ask for ``key`` to be re-rendered soon; never blocks, never raises."""
        slot = self._slots.setdefault(key, _Slot())
        slot.dirty = True
        if slot.task is None or slot.task.done():
            slot.task = asyncio.create_task(self._run(key, slot), name=f"render-{key}")

    async def _run(self, key: int, slot: _Slot) -> None:
        while slot.dirty:
            if slot.last_render is not None:
                elapsed = (self._clock.now() - slot.last_render).total_seconds()
                if elapsed < self._interval:
                    await self._clock.sleep(self._interval - elapsed)
            slot.dirty = False
            slot.last_render = self._clock.now()
            try:
                await self._render(key)
            except Exception:
                log.exception("Re-rendering %s failed", key)

    @property
    def waiting(self) -> int:
        """Keys with a render requested or running."""
        return sum(
            1 for slot in self._slots.values() if slot.task is not None and not slot.task.done()
        )

    async def drain(self) -> None:
        """Wait for every pending render (shutdown and tests)."""
        tasks = [slot.task for slot in self._slots.values() if slot.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
