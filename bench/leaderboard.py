"""Leaderboard and calibration query times on a big server, and event-loop stalls from charts.

Builds a SQLite file (migrated like production, not ANALYZEd) with one server, 100,000
resolved predictions and 1,000,000 scored forecasts by 5,000 members, then times the queries
through StatsService (median of several runs) and measures the longest event-loop stall while
charts render in the bot's chart pool (worker processes), with the pool cold (first use: the
workers are spawned and import matplotlib) and warm. Each figure is printed with its aim; the
last line is the worst ratio of figure to aim (below 1 meets every aim).
With ``--database-url postgresql+asyncpg://…`` the same data goes into a schema of its own in
that PostgreSQL database (``bench/database.py``, filled with COPY, then ANALYZE).
Run: .venv/bin/python bench/leaderboard.py [--predictions N] [--per-prediction K]
     [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

if not __package__:  # run as a script (python bench/leaderboard.py): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import fresh_database, is_postgres, plain_url, search_path
from bot.clock import FakeClock
from bot.forecasting.calibration import calibration_table
from bot.rendering.chart_files import calibration_file, history_file
from bot.rendering.chart_pool import ChartPool
from bot.services.core.context import ServiceContext
from bot.services.track_record.stats import History, StatsService
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import GuildSettings, Prediction, Score

GUILD = 1
MEMBERS = 5_000
NOW = datetime(2027, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365  # resolutions spread over the last three years
BATCH = 50_000
RUNS = 5
RENDERS = 10  # of each chart, so garbage from many figures has the chance to pile up
QUERY_AIM_S = 1.0
STALL_AIM_MS = 20.0


def resolved_at(number: int, count: int) -> datetime:
    """Numbered oldest first, so rows are appended in resolution order as in production."""
    return NOW - timedelta(days=SPAN_DAYS * (count - number) / count)


def prediction_rows(count: int) -> Iterator[dict[str, Any]]:
    for number in range(1, count + 1):
        when = resolved_at(number, count)
        yield {
            "id": number,
            "guild_id": GUILD,
            "number": number,
            "author_id": 10_000,
            "statement": f"Prediction {number}",
            "created_at": when - timedelta(days=30),
            "resolves_at": when,
            "closes_at": when,
            "status": "resolved",
            "visibility": "visible",
            "outcome": "yes" if number % 2 else "no",
            "resolved_at": when,
            "reminders_sent": 0,
        }


def score_rows(predictions: int, per_prediction: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Members of varying skill: each forecast is the truth blurred by the member's noise."""
    rng = random.Random(seed)
    noise = [rng.uniform(0.05, 0.45) for _ in range(MEMBERS)]
    for number in range(1, predictions + 1):
        outcome = bool(number % 2)
        when = resolved_at(number, predictions)
        for member in rng.sample(range(MEMBERS), per_prediction):
            p = min(0.99, max(0.01, (0.75 if outcome else 0.25) + rng.gauss(0, noise[member])))
            brier = (p - outcome) ** 2
            time_brier = min(1.0, brier * rng.uniform(0.8, 1.2))
            yield {
                "prediction_id": number,
                "guild_id": GUILD,
                "user_id": 100_000 + member,
                "permille": round(p * 1000),
                "outcome": outcome,
                "brier": brier,
                "log_score": math.log(p if outcome else 1 - p),
                "time_brier": time_brier,
                "relative_brier": time_brier - 0.18,
                "resolved_at": when,
            }


def batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def build(path: Path, predictions: int, per_prediction: int) -> None:
    """Migrate with the app's own code, then bulk-insert through SQLAlchemy core (sync)."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    await engine.dispose()
    sync = create_sync_engine(f"sqlite:///{path}")
    with sync.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.execute(insert(GuildSettings), [{"guild_id": GUILD, "leaderboard_min_resolved": 5}])
        for batch in batches(prediction_rows(predictions)):
            conn.execute(insert(Prediction), batch)
        for batch in batches(score_rows(predictions, per_prediction)):
            conn.execute(insert(Score), batch)
    sync.dispose()


async def build_postgres(url: str, predictions: int, per_prediction: int) -> AsyncEngine:
    """The same rows in a migrated schema of its own, by COPY, then ANALYZE."""
    engine, _ = await fresh_database(url, "leaderboard", Path("."))
    connection = await asyncpg.connect(plain_url(url), **search_path("bench_leaderboard"))
    try:
        await connection.execute(
            "INSERT INTO guild_settings (guild_id, default_visibility, reminder_interval_hours, "
            "reminder_count, close_warning, archive_on_resolve, reaction_keycaps, "
            "leaderboard_min_resolved, last_number) VALUES ($1, 'visible', 72, 3, true, false, "
            "'1,3,5,7,9', 5, 0)",
            GUILD,
        )
        for table, rows in (
            ("predictions", prediction_rows(predictions)),
            ("scores", score_rows(predictions, per_prediction)),
        ):
            for batch in batches(rows):
                columns = list(batch[0])
                records = [tuple(row[c] for c in columns) for row in batch]
                await connection.copy_records_to_table(table, records=records, columns=columns)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return engine


async def median_seconds(action: Callable[[], Awaitable[object]]) -> float:
    await action()  # warm the page cache and the statement cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def longest_stall(work: Callable[[], Awaitable[object]]) -> float:
    """The worst lateness (s) of a 5 ms sleep on the event loop while ``work`` runs."""
    done = asyncio.Event()
    worst = 0.0

    async def ticker() -> None:
        nonlocal worst
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            worst = max(worst, time.perf_counter() - started - 0.005)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    try:
        await work()
    finally:
        done.set()
        await task
    return worst


def busy_history(votes: int) -> History:
    rng = random.Random(3)
    start = NOW - timedelta(days=90)
    points = sorted(
        (start + timedelta(minutes=rng.uniform(0, 90 * 24 * 60)), rng.randrange(10, 991))
        for _ in range(votes)
    )
    community = [(t, 300 + 400 * i / votes) for i, (t, _) in enumerate(points)]
    return History(
        1,
        1,
        "Busy",
        "resolved",
        "visible",
        NOW,
        "yes",
        tuple(community),
        tuple(points),
        voters=votes,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=100_000)
    parser.add_argument("--per-prediction", type=int, default=10)
    parser.add_argument(
        "--database-url",
        default=None,
        help="postgresql+asyncpg://… to run on PostgreSQL (default: a SQLite file, temporary)",
    )
    args = parser.parse_args()
    figures: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        started = time.perf_counter()
        if is_postgres(args.database_url):
            engine = await build_postgres(args.database_url, args.predictions, args.per_prediction)
            where = "PostgreSQL schema bench_leaderboard"
        else:
            await build(path, args.predictions, args.per_prediction)
            engine = create_engine(f"sqlite+aiosqlite:///{path}")
            where = "SQLite"
        total = args.predictions * args.per_prediction
        print(
            f"built {args.predictions:,} resolved predictions, {total:,} scores by "
            f"{MEMBERS:,} members in {time.perf_counter() - started:.1f} s ({where})"
        )

        stats = StatsService(ServiceContext(create_session_factory(engine), FakeClock(NOW)))
        caller = 100_000 + MEMBERS - 1
        queries: dict[str, Callable[[], Awaitable[object]]] = {
            "leaderboard all-time relative, page 1": lambda: stats.leaderboard(
                GUILD, period="all", metric="relative", page=0, caller_id=caller
            ),
            "leaderboard 30d log, page 3": lambda: stats.leaderboard(
                GUILD, period="30d", metric="log", page=2, caller_id=caller
            ),
            "calibration whole server": lambda: stats.calibration(GUILD, None),
            "calibration one member": lambda: stats.calibration(GUILD, caller),
            "member stats": lambda: stats.member(GUILD, caller),
            "server stats": lambda: stats.server(GUILD),
        }
        for name, action in queries.items():
            seconds = await median_seconds(action)
            figures.append((f"{name} (median of {RUNS})", seconds * 1000, QUERY_AIM_S * 1000, "ms"))
        buckets = await stats.calibration(GUILD, None)
        assert sum(b.count for b in buckets) == total
        await engine.dispose()

    history = busy_history(2_000)
    sample = calibration_table([(p, p % 3 == 0) for p in range(10, 991, 3)])

    pool = ChartPool()

    async def render() -> None:
        for _ in range(RENDERS):
            await calibration_file(buckets, "Calibration · everyone", pool=pool)
            await calibration_file(sample, "Calibration · one member", pool=pool)
            await history_file(history, "#1: community forecast", pool=pool)

    async def idle() -> None:
        await asyncio.sleep(2.0)

    cold = await longest_stall(render)  # includes spawning the workers, matplotlib's import
    warm = await longest_stall(render)
    await pool.close()
    floor = await longest_stall(idle)  # the machine's own noise, for context (no aim)
    figures.append(
        (
            "longest event-loop stall while charts render (first use)",
            cold * 1000,
            STALL_AIM_MS,
            "ms",
        )
    )
    figures.append(
        ("longest event-loop stall while charts render (warm)", warm * 1000, STALL_AIM_MS, "ms")
    )
    for name, value, aim, unit in figures:
        print(f"{name}: {value:.1f} {unit} (aim < {aim:.0f} {unit})")
    print(f"for context, longest stall of an idle event loop for 2 s: {floor * 1000:.1f} ms")
    print(f"worst ratio to aim: {max(value / aim for _, value, aim, _ in figures):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
