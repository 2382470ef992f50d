"""A background loop that stops between cycles, never in the middle of one.

Cancelling a task while it is inside a database session strands its pooled connection (the
garbage collector then warns, and on SQLite a write may be cut short). Loops built on this
are cancelled only while they sleep; a running cycle gets a bounded grace to finish first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock

log = logging.getLogger(__name__)

#: How long :meth:`Periodic.stop` waits for a running cycle before cancelling it anyway.
STOP_GRACE_SECONDS = 10.0


class Periodic:
    def __init__(
        self,
        name: str,
        cycle: Callable[[], Awaitable[object]],
        every_seconds: float,
        clock: Clock,
        *,
        first: Callable[[], Awaitable[object]] | None = None,
        sleep_first: bool = False,
    ) -> None:
        self._name = name
        self._cycle = cycle
        self._every = every_seconds
        self._clock = clock
        self._first = first
        self._sleep_first = sleep_first
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the loop (idempotent)."""
        if not self.running:
            self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        """Let a running cycle finish (bounded), then end the loop while it sleeps."""
        task, self._task = self._task, None
        if task is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout=STOP_GRACE_SECONDS)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        if self._first is not None:
            await self._first()
        if self._sleep_first:
            await self._clock.sleep(self._every)
        while True:
            self._idle.clear()
            try:
                await self._cycle()
            except Exception:
                log.exception("%s: a cycle failed; trying again", self._name)
            finally:
                self._idle.set()
            await self._clock.sleep(self._every)
