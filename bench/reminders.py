"""How the scheduler's due-query scales: 1,000 against 1,000,000 predictions, 1 % of them due.

Each size gets its own SQLite file, migrated with ``db.migrate.upgrade`` and filled with sqlite3
``executemany`` in large transactions (one follower per prediction, ten servers). The figure is
the median of several timed calls of ``ReminderService.due`` with the scheduler's batch size
(after a warm-up call, the two sizes interleaved): what one scheduler cycle asks of the database.
The due-query's ``EXPLAIN QUERY PLAN`` shows both halves are index range scans. Last line: the
ratio.
Run: .venv/bin/python bench/reminders.py [--runs N] [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from bot.clock import FakeClock
from bot.services.context import ServiceContext
from bot.services.reminders import DUE_STATEMENT, ReminderService
from cogs.reminders.scheduler import BATCH
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
GUILDS = 10
CHUNK = 50_000


def stamp(when: datetime) -> str:
    """How SQLAlchemy stores an aware UTC datetime in SQLite (naive, sortable text)."""
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def prediction_rows(count: int) -> Iterator[tuple[object, ...]]:
    """Every 100th prediction is overdue (up to a month); the rest resolve within a year."""
    base, created = NOW.replace(tzinfo=None), stamp(NOW)
    minute, day = timedelta(minutes=1), timedelta(hours=24)
    for i in range(1, count + 1):
        if i % 100 == 0:
            resolves = base - minute * (1 + (i * 7919) % (30 * 24 * 60))
            warning = None
        else:
            resolves = base + minute * (1 + (i * 7919) % (365 * 24 * 60))
            warning = (resolves - day).isoformat(" ", "microseconds")
        at = resolves.isoformat(" ", "microseconds")
        yield (
            i,
            1 + i % GUILDS,
            i,
            10_000 + i % 5_000,
            f"Prediction {i} comes true",
            created,
            at,
            at,
            "open",
            "visible",
            10 * i,
            20 * i,
            20 * i,
            at,
            0,
            warning,
        )


def fill(path: Path, count: int) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")  # a throw-away file: no need to fsync
    connection.execute("PRAGMA cache_size=-400000")  # keep the index pages being filled in RAM
    connection.executemany(
        "INSERT INTO guild_settings (guild_id, default_visibility, reminder_interval_hours, "
        "reminder_count, close_warning, archive_on_resolve, reaction_keycaps, "
        "leaderboard_min_resolved, last_number) VALUES (?, 'visible', 72, 3, 1, 0, '1,3,5,7,9', "
        "5, 0)",
        [(g,) for g in range(1, GUILDS + 1)],
    )
    # Index maintenance dominates a bulk load: drop the migrated indexes, rebuild them after
    # from their own stored definitions (so the schema is exactly what the migrations made).
    indexes = [
        (name, sql)
        for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = 'predictions'"
        )
    ]
    for name, _ in indexes:
        connection.execute(f'DROP INDEX "{name}"')
    rows = prediction_rows(count)
    while True:
        chunk = [row for _, row in zip(range(CHUNK), rows, strict=False)]
        if not chunk:
            break
        with connection:
            connection.executemany(
                "INSERT INTO predictions (id, guild_id, number, author_id, statement, "
                "created_at, resolves_at, closes_at, status, visibility, channel_id, "
                "message_id, thread_id, next_reminder_at, reminders_sent, close_warning_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                chunk,
            )
            connection.executemany(
                "INSERT INTO followers (prediction_id, user_id, following) VALUES (?, ?, 1)",
                [(row[0], row[3]) for row in chunk],
            )
    for _, sql in indexes:
        connection.execute(sql)
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


async def explain(engine: AsyncEngine) -> list[str]:
    """The plan of the exact statement ``due`` runs, with its real parameters."""
    assert isinstance(DUE_STATEMENT, ClauseElement)
    compiled = DUE_STATEMENT.compile(dialect=sqlite.dialect(paramstyle="named"))
    assert isinstance(compiled, SQLCompiler)
    values = {"now": NOW, "limit": BATCH}
    binds = [
        bindparam(name, values.get(b.key, b.value), type_=b.type)
        for b, name in compiled.bind_names.items()
    ]
    query = text(f"EXPLAIN QUERY PLAN {compiled}").bindparams(*binds)
    async with engine.connect() as connection:
        return [f"  {row[-1]}" for row in await connection.execute(query)]


async def prepare(count: int, folder: Path) -> tuple[AsyncEngine, ReminderService]:
    path = folder / f"reminders-{count}.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    started = time.perf_counter()
    fill(path, count)
    print(f"{count:>9,} predictions inserted in {time.perf_counter() - started:.1f} s")
    service = ReminderService(ServiceContext(create_session_factory(engine), FakeClock(NOW)))
    return engine, service


async def timed(service: ReminderService) -> tuple[float, int]:
    started = time.perf_counter()
    found = await service.due(NOW, BATCH)
    return time.perf_counter() - started, len(found)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small_engine, small = await prepare(args.small, Path(folder))
        large_engine, large = await prepare(args.large, Path(folder))
        _, small_found = await timed(small)  # warm-up: connection, caches, compiled statements
        _, large_found = await timed(large)
        small_times, large_times = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both sizes alike
            small_times.append((await timed(small))[0])
            large_times.append((await timed(large))[0])
        plan = await explain(large_engine)
        await small_engine.dispose()
        await large_engine.dispose()
    small_median = statistics.median(small_times)
    large_median = statistics.median(large_times)
    print(f"EXPLAIN QUERY PLAN of the due-query ({args.large:,} predictions):")
    print("\n".join(plan))
    print(f"batch size {BATCH}, median of {args.runs} interleaved runs of ReminderService.due")
    print("(returned: due reminders plus close warnings for votes closing within 24 h):")
    for count, median, found in (
        (args.small, small_median, small_found),
        (args.large, large_median, large_found),
    ):
        print(f"{count:>9,} predictions: {median * 1000:7.2f} ms ({found} returned)")
    print(f"ratio {args.large:,}/{args.small:,}: {large_median / small_median:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
