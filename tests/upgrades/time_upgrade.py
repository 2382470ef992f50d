"""How long the upgrade from a release takes on a large database, for the CHANGELOG's notes.

    python -m tests.upgrades.time_upgrade [--from 0009] [--predictions 1000000] [--url URL]

Builds the release's schema (``--from``: its last migration; 0.1.0 is 0009) in a scratch
database (a temporary SQLite file, or ``--url``, a PostgreSQL database it may empty), fills it
with ``--predictions`` predictions, three votes and three vote events each, then times the
migration to head, as ``python -m bot`` runs it on start.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.migrate import upgrade

START = datetime(2026, 1, 1, tzinfo=UTC)
NUMBERS_SQLITE = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count) "
    "SELECT i FROM n"
)
NUMBERS_POSTGRES = "SELECT generate_series(1, :count) AS i"
PREDICTIONS = (
    "INSERT INTO predictions (id, guild_id, number, author_id, statement, created_at, "
    "resolves_at, closes_at, status, visibility, reminders_sent, render_pending, render_version) "
    "SELECT i, 1, i, 1000 + i % 5000, 'Prediction ' || i, :at, :at, :at, 'open', 'visible', 0, "
    "false, 0 FROM ({numbers}) AS numbers"
)
VOTES = (
    "INSERT INTO {table} (prediction_id, user_id, permille, source, {when}) "
    "SELECT i / 3 + 1, 2000 + i % 3, 500, 'slash', :at FROM ({numbers}) AS numbers"
)


async def fill(engine: AsyncEngine, count: int) -> None:
    postgres = engine.dialect.name == "postgresql"
    numbers = NUMBERS_POSTGRES if postgres else NUMBERS_SQLITE
    # asyncpg binds a datetime; SQLite stores the text the models' type writes.
    at: object = START if postgres else START.strftime("%Y-%m-%d %H:%M:%S.%f")
    async with engine.begin() as connection:
        params = {"count": count, "at": at}
        if postgres:
            await connection.execute(text("SET LOCAL statement_timeout = 0"))
        await connection.execute(text(PREDICTIONS.format(numbers=numbers)), params)
        for table, when in (("votes", "updated_at"), ("vote_events", "created_at")):
            sql = VOTES.format(table=table, when=when, numbers=numbers)
            await connection.execute(text(sql), {**params, "count": count * 3 - 1})


async def measure(url: str, start: str, count: int) -> float:
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        await upgrade(engine, start)
        await fill(engine, count)
        began = time.perf_counter()
        await upgrade(engine)
        return time.perf_counter() - began
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", default="0009")
    parser.add_argument("--predictions", type=int, default=1_000_000)
    parser.add_argument("--url", help="a PostgreSQL database to empty and use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.url or f"sqlite+aiosqlite:///{Path(scratch) / 'time.db'}"
        seconds = asyncio.run(measure(url, args.start, args.predictions))
    print(f"{args.start} -> head at {args.predictions:,} predictions: {seconds:.1f} s")


if __name__ == "__main__":
    main()
