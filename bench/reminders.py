"""How the scheduler's due-query scales: 1,000 against 1,000,000 predictions, 1 % of them due.

Each size gets its own SQLite file, migrated with ``db.migrate.upgrade`` and filled with sqlite3
``executemany`` in large transactions (one follower per prediction, ten servers). The figure is
the median of several timed calls of ``ReminderService.due`` with the scheduler's batch size
(after a warm-up call, the two sizes interleaved): what one scheduler cycle asks of the database.
The due-query's ``EXPLAIN QUERY PLAN`` shows both halves are index range scans. Last line: the
ratio.
With ``--database-url postgresql+asyncpg://…`` the same runs happen on PostgreSQL, each size in
a schema of its own (``bench/database.py``), filled with COPY; the plan printed is PostgreSQL's.
A last figure: the due-query of a process running one of two shards (the filter on the same
index range, issue 12).
Run: .venv/bin/python bench/reminders.py [--runs N] [--small N] [--large N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import bindparam, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

if not __package__:  # run as a script (python bench/reminders.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import fresh_database, is_postgres, plain_url, search_path
from bot.clock import FakeClock
from bot.domain.shards import ShardSet
from bot.services.core.context import ServiceContext
from bot.services.reminders.service import DUE_STATEMENT, ReminderService, _due_statement
from cogs.reminders.scheduler import BATCH
from db.engine import create_session_factory

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
            (1 + i % GUILDS) << 22,  # snowflake-shaped: server g is on shard g % count
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
        [(g << 22,) for g in range(1, GUILDS + 1)],
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


async def fill_postgres(url: str, schema: str, count: int) -> None:
    """The same rows, by COPY into the migrated schema (indexes kept), then ANALYZE."""
    connection = await asyncpg.connect(plain_url(url), **search_path(schema))
    try:
        await connection.executemany(
            "INSERT INTO guild_settings (guild_id, default_visibility, reminder_interval_hours, "
            "reminder_count, close_warning, archive_on_resolve, reaction_keycaps, "
            "leaderboard_min_resolved, last_number) VALUES ($1, 'visible', 72, 3, true, false, "
            "'1,3,5,7,9', 5, 0)",
            [(g << 22,) for g in range(1, GUILDS + 1)],
        )
        columns = [
            "id", "guild_id", "number", "author_id", "statement", "created_at", "resolves_at",
            "closes_at", "status", "visibility", "channel_id", "message_id", "thread_id",
            "next_reminder_at", "reminders_sent", "close_warning_at",
        ]  # fmt: skip
        times = {5, 6, 7, 13, 15}
        rows = prediction_rows(count)
        while True:
            chunk = [
                tuple(_aware(v) if n in times else v for n, v in enumerate(row))
                for _, row in zip(range(CHUNK), rows, strict=False)
            ]
            if not chunk:
                break
            await connection.copy_records_to_table("predictions", records=chunk, columns=columns)
            await connection.copy_records_to_table(
                "followers",
                records=[(row[0], row[3], True) for row in chunk],
                columns=["prediction_id", "user_id", "following"],
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def _aware(value: object) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


async def explain_postgres(engine: AsyncEngine) -> list[str]:
    """PostgreSQL's plan of the sharded due-query (the unsharded one is the same minus a
    filter), with the statement's real parameters."""
    statement = _due_statement(ShardSet(2, (1,)))
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        compiled = statement.compile(dialect=engine.dialect)
        sql = str(compiled)
        values = {"now": NOW, "limit": BATCH}
        names = compiled.positiontup or []
        params = [values.get(name, compiled.params.get(name)) for name in names]
        driver = raw.driver_connection
        assert driver is not None
        rows = await driver.fetch(f"EXPLAIN {sql}", *params)
        return [f"  {row[0]}" for row in rows]


async def prepare(count: int, folder: Path, url: str | None) -> tuple[AsyncEngine, ReminderService]:
    engine, where = await fresh_database(url, f"reminders-{count}", folder)
    started = time.perf_counter()
    if url is not None and is_postgres(url):
        await fill_postgres(url, f"bench_reminders_{count}", count)
    else:
        fill(folder / f"reminders-{count}.db", count)
    print(f"{count:>9,} predictions inserted in {time.perf_counter() - started:.1f} s ({where})")
    service = ReminderService(ServiceContext(create_session_factory(engine), FakeClock(NOW)))
    return engine, service


async def timed(service: ReminderService, shards: ShardSet | None = None) -> tuple[float, int]:
    started = time.perf_counter()
    found = await service.due(NOW, BATCH, shards=shards)
    return time.perf_counter() - started, len(found)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url",
        default=None,
        help="postgresql+asyncpg://… to run on PostgreSQL (default: SQLite files in a temp folder)",
    )
    args = parser.parse_args()
    url = args.database_url
    half = ShardSet(2, (1,))
    with tempfile.TemporaryDirectory() as folder:
        small_engine, small = await prepare(args.small, Path(folder), url)
        large_engine, large = await prepare(args.large, Path(folder), url)
        _, small_found = await timed(small)  # warm-up: connection, caches, compiled statements
        _, large_found = await timed(large)
        _, sharded_found = await timed(large, half)
        small_times, large_times, sharded_times = [], [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both sizes alike
            small_times.append((await timed(small))[0])
            large_times.append((await timed(large))[0])
            sharded_times.append((await timed(large, half))[0])
        plan = await (explain_postgres(large_engine) if is_postgres(url) else explain(large_engine))
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
    sharded_median = statistics.median(sharded_times)
    print(
        f"{args.large:,} predictions, one of two shards: {sharded_median * 1000:7.2f} ms "
        f"({sharded_found} returned)"
    )
    print(f"ratio {args.large:,}/{args.small:,}: {large_median / small_median:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
