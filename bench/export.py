"""Exporting a large server: time, size, and how long the event loop is ever blocked.

Builds N predictions with 10 forecasts each (raw inserts, for speed) on a SQLite file, then
exports the server as JSON and as CSV while a ticker task measures the event loop's longest
stall. The same ticker alone, in the same run, is the baseline; the last lines are ratios, and the
aim for the stall (< 20 ms, as for the other interactive paths). Like the running bot, the bench
first sets the start-up heap aside from full garbage collections (``bot/runtime/heap.py``); with
``--keep-heap`` it does not, for comparison.
Run: .venv/bin/python -m bench.export [--predictions N] [--keep-heap]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.clock import FakeClock
from bot.runtime.heap import set_aside_startup_heap
from bot.services.core.context import ServiceContext
from bot.services.records.export import ExportFormat, ExportScope, RecordsExporter
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import GuildSettings, Prediction, VoteEvent

GUILD = 1
STALL_AIM_MS = 20.0
START = datetime(2026, 1, 1, tzinfo=UTC)


class CountingSink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)


async def longest_stall(stop: asyncio.Event, tick: float = 0.005) -> float:
    """The worst lateness of a ``tick``-second sleep until ``stop`` is set."""
    worst = 0.0
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(tick)
        worst = max(worst, time.perf_counter() - before - tick)
    return worst


async def measure(work: asyncio.Future[object] | None, seconds: float) -> tuple[float, float]:
    stop = asyncio.Event()
    ticker = asyncio.create_task(longest_stall(stop))
    began = time.perf_counter()
    if work is None:
        await asyncio.sleep(seconds)
    else:
        await work
    elapsed = time.perf_counter() - began
    stop.set()
    return elapsed, await ticker


async def main(count: int, set_aside: bool = True) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(insert(GuildSettings).values(guild_id=GUILD))
            rows = [
                {
                    "guild_id": GUILD,
                    "number": n,
                    "author_id": 1000 + n % 50,
                    "statement": f"Statement number {n} about something that may happen",
                    "created_at": START,
                    "resolves_at": START + timedelta(days=30),
                    "closes_at": START + timedelta(days=30),
                }
                for n in range(1, count + 1)
            ]
            for start in range(0, count, 5000):
                await connection.execute(insert(Prediction), rows[start : start + 5000])
            events = [
                {
                    "prediction_id": n,
                    "user_id": 2000 + v,
                    "permille": 100 + 80 * v,
                    "source": "slash",
                    "created_at": START + timedelta(minutes=v),
                }
                for n in range(1, count + 1)
                for v in range(10)
            ]
            for start in range(0, len(events), 5000):
                await connection.execute(insert(VoteEvent), events[start : start + 5000])
        rows.clear()
        events.clear()
        if set_aside:
            set_aside_startup_heap()  # as the bot does once ready
        exporter = RecordsExporter(ServiceContext(create_session_factory(engine), FakeClock(START)))
        _, baseline = await measure(None, 2.0)
        print(f"{count} predictions, {count * 10} forecasts")
        print(f"baseline longest loop stall: {baseline * 1000:.1f} ms")
        worst = 0.0
        for fmt in (ExportFormat.JSON, ExportFormat.CSV):
            sink = CountingSink()
            work = asyncio.ensure_future(exporter.export(ExportScope(GUILD), fmt, sink))
            elapsed, stall = await measure(work, 0)
            print(
                f"{fmt.value}: {elapsed:.1f} s, {sink.size / 1024 / 1024:.1f} MiB, "
                f"longest loop stall {stall * 1000:.1f} ms "
                f"({stall / max(baseline, 1e-4):.1f}x baseline; aim < {STALL_AIM_MS:.0f} ms)"
            )
            worst = max(worst, stall * 1000 / STALL_AIM_MS)
        print(f"worst stall ratio to aim: {worst:.2f}")
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=20_000)
    parser.add_argument(
        "--keep-heap", action="store_true", help="do not set the start-up heap aside (compare)"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.predictions, set_aside=not arguments.keep_heap))
