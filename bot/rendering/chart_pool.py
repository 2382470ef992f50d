"""A small pool of chart-rendering processes, started with the bot and shut down on close.

matplotlib is pure CPU while it draws and holds the GIL for most of it, so a worker *thread*
still stalls the event loop (``bench/leaderboard.py`` measured 106 ms). A separate process has
its own interpreter: the loop only waits for a few pickled bytes. Workers are *spawned* (not
forked: a fork would copy the bot's sockets, threads and locks). The running bot starts them in
the background once ready, so the first chart does not wait ~1 s for them; a pool nobody started
starts on its first chart. They leave if the bot process dies.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec

log = logging.getLogger(__name__)

#: Two workers: a second chart need not wait for the first, and memory stays modest.
CHART_WORKERS = 2
P = ParamSpec("P")


#: Workers run at a lower CPU priority: on a busy machine the bot's event loop goes first.
WORKER_NICENESS = 10


def _start_worker(parent: int) -> None:
    """Runs in each worker: load matplotlib, then yield the CPU to the bot; exit once the bot
    process is gone."""
    import bot.forecasting.charts  # noqa: F401 - the slow import, before the priority drops

    os.nice(WORKER_NICENESS)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class ChartPool:
    """Runs picklable, module-level render functions in worker processes."""

    def __init__(self, workers: int = CHART_WORKERS) -> None:
        self._workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    def _ensure(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("the chart pool is shut down")
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self._executor

    async def start(self) -> int:
        """Spawn every worker now (one submission each) and wait for their answers, so at least
        one has loaded matplotlib (optional: the first chart does it otherwise); returns how
        many processes were spawned."""
        loop = asyncio.get_running_loop()
        executor = self._ensure()
        await asyncio.gather(
            *(loop.run_in_executor(executor, os.getpid) for _ in range(self._workers))
        )
        return self._workers

    async def render(self, function: Callable[P, bytes], *args: P.args, **_: P.kwargs) -> bytes:
        """``function(*args)`` in a worker; a pool broken by a killed worker is replaced once."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._ensure(), function, *args)
        except BrokenProcessPool:
            log.warning("A chart worker died; starting a new pool")
            self._discard()
            return await loop.run_in_executor(self._ensure(), function, *args)

    def _discard(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        """Stop the workers (waiting in a thread, so the loop keeps running meanwhile)."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)
