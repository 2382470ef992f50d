"""Votes per second through the service the cogs use, against raw aiosqlite inserts.

20,000 votes on 200 predictions by 2,000 members (repeats included, so many are
replacements), each its own transaction, on a SQLite file with ``synchronous=FULL`` (the
default: a confirmed vote survives power loss) and, for comparison, NORMAL. In the same run,
the same rows inserted raw with aiosqlite, one transaction per row (NORMAL, as before). The
last lines are the ratios.
Run: .venv/bin/python bench/votes.py [--votes N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.clock import FakeClock
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

GUILD = 1
PREDICTIONS = 200
MEMBERS = 2_000


def workload(count: int, seed: int = 7) -> list[tuple[int, int, int]]:
    """(prediction index, member, permille); members pick a few favourite predictions."""
    rng = random.Random(seed)
    votes = []
    for _ in range(count):
        member = rng.randrange(MEMBERS)
        prediction = (member * 7 + rng.randrange(12)) % PREDICTIONS
        votes.append((prediction, member, rng.randrange(10, 991)))
    return votes


async def service_rate(
    path: Path, votes: list[tuple[int, int, int]], in_flight: int, synchronous: str = "FULL"
) -> float:
    engine = create_engine(f"sqlite+aiosqlite:///{path}", sqlite_synchronous=synchronous)
    await upgrade(engine)
    clock = FakeClock(datetime(2026, 11, 27, tzinfo=UTC))
    services = Services.build(ServiceContext(create_session_factory(engine), clock))
    ids = []
    for i in range(PREDICTIONS):
        info = await services.predictions.create(
            NewPrediction(guild_id=GUILD, author_id=1, statement=f"P{i}", resolves="2030-01-01")
        )
        ids.append(info.id)
    gate = asyncio.Semaphore(in_flight)

    async def one(prediction: int, member: int, permille: int) -> None:
        async with gate:
            await services.votes.vote(GUILD, ids[prediction], 10_000 + member, permille, "reaction")

    started = time.perf_counter()
    if in_flight == 1:
        for vote in votes:
            await one(*vote)
    else:
        await asyncio.gather(*(one(*vote) for vote in votes))
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return len(votes) / elapsed


async def raw_rate(path: Path, votes: list[tuple[int, int, int]]) -> float:
    async with aiosqlite.connect(path) as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute(
            "CREATE TABLE raw_votes (id INTEGER PRIMARY KEY, prediction_id INTEGER, "
            "user_id INTEGER, permille INTEGER, source TEXT, updated_at TEXT)"
        )
        await db.commit()
        now = datetime(2026, 11, 27, tzinfo=UTC).isoformat()
        started = time.perf_counter()
        for prediction, member, permille in votes:
            await db.execute(
                "INSERT INTO raw_votes (prediction_id, user_id, permille, source, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (prediction, member, permille, "reaction", now),
            )
            await db.commit()
        elapsed = time.perf_counter() - started
    return len(votes) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--votes", type=int, default=20_000)
    parser.add_argument(
        "--in-flight",
        type=int,
        default=100,
        help="concurrent votes, as gateway events arrive in a burst",
    )
    parser.add_argument(
        "--sequential-votes",
        type=int,
        default=1_000,
        help="votes for the one-at-a-time latency figure",
    )
    args = parser.parse_args()
    votes = workload(args.votes)
    with tempfile.TemporaryDirectory() as tmp:
        raw = await raw_rate(Path(tmp) / "raw.db", votes)
        sequential = await service_rate(
            Path(tmp) / "sequential.db", votes[: args.sequential_votes], 1
        )
        service = await service_rate(Path(tmp) / "augury.db", votes, args.in_flight)
        normal = await service_rate(Path(tmp) / "normal.db", votes, args.in_flight, "NORMAL")
        sequential_normal = await service_rate(
            Path(tmp) / "sequential-normal.db", votes[: args.sequential_votes], 1, "NORMAL"
        )
    print(f"votes: {len(votes)} on {PREDICTIONS} predictions by {MEMBERS} members")
    print(f"raw aiosqlite insert, one transaction per row: {raw:,.0f} votes/s")
    for name, one, many in (
        ("synchronous=FULL (default)", sequential, service),
        ("synchronous=NORMAL", sequential_normal, normal),
    ):
        print(
            f"{name}: VoteService.vote one at a time ({args.sequential_votes} votes): "
            f"{one:,.0f} votes/s ({1000 / one:.1f} ms per vote); "
            f"{args.in_flight} in flight: {many:,.0f} votes/s"
        )
    print(f"ratio service/raw with FULL: {service / raw:.2f}")
    print(f"ratio FULL/NORMAL, {args.in_flight} in flight: {service / normal:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
