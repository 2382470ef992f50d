"""What one process's database work allows: votes per second and reminders per minute.

On SQLite (default, a temporary file) or PostgreSQL (``--database-url``, a schema of its own):

- votes: ``--votes`` votes on 200 predictions by 2,000 members through ``VoteService.vote`` (the
  call every voting path makes), 100 in flight as concurrent gateway events arrive;
- reminders: ``--reminders`` predictions come due at once; the scheduler's database side
  (``ReminderService.due`` in batches of the scheduler's size, then ``record`` per reminder, as
  ``RemindersCog.run_once`` does) until every one was recorded; the close warnings that
  can no longer be sent are cleared on the way, as in production. Discord's side is not included: a
  reminder is one message, and Discord allows a bot about 50 requests per second in all.

Run: .venv/bin/python bench/capacity.py [--votes N] [--reminders N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if not __package__:  # run as a script (python bench/capacity.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import drop_schema, fresh_database, is_postgres
from bot.clock import FakeClock
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.reminders.service import Delivery
from cogs.reminders.scheduler import BATCH
from db.engine import create_session_factory

START = datetime(2026, 11, 27, tzinfo=UTC)
PREDICTIONS = 200
MEMBERS = 2_000
IN_FLIGHT = 100
GUILDS = 50


async def votes_per_second(url: str | None, folder: Path, count: int) -> float:
    engine, _ = await fresh_database(url, "capacity-votes", folder)
    services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))
    ids = []
    for i in range(PREDICTIONS):
        info = await services.predictions.create(
            NewPrediction(guild_id=1, author_id=1, statement=f"P{i}", resolves="2030-01-01")
        )
        ids.append(info.id)
    rng = random.Random(7)
    work = [
        (ids[rng.randrange(PREDICTIONS)], 10_000 + rng.randrange(MEMBERS), rng.randrange(10, 991))
        for _ in range(count)
    ]
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(prediction_id: int, member: int, permille: int) -> None:
        async with gate:
            await services.votes.vote(1, prediction_id, member, permille, "reaction")

    started = time.perf_counter()
    await asyncio.gather(*(one(*vote) for vote in work))
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return count / elapsed


async def reminders_per_minute(url: str | None, folder: Path, count: int) -> float:
    engine, _ = await fresh_database(url, "capacity-reminders", folder)
    clock = FakeClock(START)
    services = Services.build(ServiceContext(create_session_factory(engine), clock))
    for i in range(count):
        info = await services.predictions.create(
            NewPrediction(
                guild_id=(1 + i % GUILDS) << 22,
                author_id=1,
                statement=f"P{i}",
                resolves="2026-12-01 12:00",
            )
        )
        await services.predictions.attach_message(info.id, channel_id=1, message_id=2, thread_id=3)
    clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC) + timedelta(minutes=1))
    sent = empty = 0
    started = time.perf_counter()
    while sent < count and empty < 100:
        # A call may return nothing while it clears close warnings that can no longer be sent
        # (voting closed at the resolution date): the scheduler's next cycle goes on.
        batch = await services.reminders.due(clock.now(), BATCH)
        empty = 0 if batch else empty + 1
        for reminder in batch:
            if await services.reminders.record(Delivery(reminder, channel_id=3, message_id=9)):
                sent += 1
    elapsed = time.perf_counter() - started
    await engine.dispose()
    assert sent == count, (sent, count)
    return sent / elapsed * 60


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=20_000)
    parser.add_argument("--reminders", type=int, default=2_000)
    parser.add_argument("--database-url", default=None, help="postgresql+asyncpg://…")
    args = parser.parse_args()
    url = args.database_url
    where = "PostgreSQL" if is_postgres(url) else "SQLite"
    with tempfile.TemporaryDirectory() as folder:
        votes = await votes_per_second(url, Path(folder), args.votes)
        reminders = await reminders_per_minute(url, Path(folder), args.reminders)
    if is_postgres(url):
        for name in ("capacity-votes", "capacity-reminders"):
            await drop_schema(url, name)
    print(f"{where}: {votes:,.0f} votes/s ({args.votes:,} votes, {IN_FLIGHT} in flight)")
    print(
        f"{where}: {reminders:,.0f} reminders/min, database side ({args.reminders:,} due at once)"
    )


if __name__ == "__main__":
    asyncio.run(main())
