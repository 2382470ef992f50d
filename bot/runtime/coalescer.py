"""Coalesced re-rendering: a burst of votes makes at most one edit per message per interval.

The first request renders at once; requests inside the interval mark the message dirty and one
trailing render shows the latest state. Time comes from the injected clock, so tests drive it.
A slot lives only while its message has work: once its task is done and the interval has
passed, nothing depends on it, and it is dropped (checked whenever the map has doubled, so
the cost per request stays constant and the map stays within twice the live work).
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
#: Below this many slots the map is never scanned (a scan costs more than it saves).
PRUNE_MIN = 64


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
        self._prune_at = PRUNE_MIN

    def __len__(self) -> int:
        """Slots held now (live work, plus idle ones not yet dropped)."""
        return len(self._slots)

    def request(self, key: int) -> None:
        """Ask for ``key`` to be re-rendered soon; never blocks, never raises."""
        if len(self._slots) >= self._prune_at:
            self._prune()
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

    def _prune(self) -> None:
        """Drop idle slots: task done, nothing dirty, last render longer ago than the interval."""
        now = self._clock.now()
        for key, slot in list(self._slots.items()):
            idle = not slot.dirty and (slot.task is None or slot.task.done())
            if idle and (
                slot.last_render is None
                or (now - slot.last_render).total_seconds() >= self._interval
            ):
                del self._slots[key]
        self._prune_at = max(PRUNE_MIN, 2 * len(self._slots))

    async def drain(self) -> None:
        """Wait for every pending render (shutdown and tests)."""
        tasks = [slot.task for slot in self._slots.values() if slot.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._prune()
