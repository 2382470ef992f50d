"""The community history of a popular prediction: 5,000 voters, 20,000 vote events.

Prints (1) the time to replay the series (``community_series``), against a baseline measured in
the same run: one ``sorted()`` of the same events, the least any replay must do; (2) the longest
event-loop stall while ``/predictions show`` gathers and renders such a prediction (the service
calls, the embed, the history text and the chart in the bot's chart pool), cold and warm, and
while it is resolved (a score for every voter), against the longest stall of an idle loop over
the same time. Each figure has its aim. Like the running bot, the bench first sets the start-up
heap aside from full garbage collections (``bot/runtime/heap.py``); for context it also prints
the warm stall without that.
Run: .venv/bin/python -m bench.history [--voters N] [--events M]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.leaderboard import longest_stall
from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.forecasting.aggregation import community_series
from bot.rendering.chart_files import history_file, history_text
from bot.rendering.chart_pool import ChartPool
from bot.rendering.prediction_embed import prediction_embed
from bot.runtime.heap import set_aside_startup_heap
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Vote, VoteEvent

GUILD = 1
START = datetime(2026, 11, 27, tzinfo=UTC)
SERIES_AIM_MS = 50.0
STALL_AIM_MS = 20.0
RUNS = 5
WARM_RUNS = 3

Event = tuple[datetime, int, int | None]


def events(voters: int, count: int, seed: int = 5) -> list[Event]:
    rng = random.Random(seed)
    out: list[Event] = []
    for index in range(count):
        member = index if index < voters else rng.randrange(voters)
        permille = None if index >= voters and rng.random() < 0.05 else rng.randrange(10, 991)
        out.append((START + timedelta(minutes=1, seconds=index), 10_000 + member, permille))
    return out


def median_ms(action: object) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def build(path: Path, replay: list[Event]) -> tuple[Services, int]:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))
    info = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=1, statement="Busy", resolves="in 10 days")
    )
    current: dict[int, Event] = {}
    for event in replay:
        current[event[1]] = event
    async with services.ctx.sessions.begin() as session:
        rows = [
            {
                "prediction_id": info.id,
                "user_id": u,
                "permille": p,
                "source": "reaction",
                "created_at": t,
            }
            for t, u, p in replay
        ]
        await session.execute(insert(VoteEvent), rows)
        await session.execute(
            insert(Vote),
            [
                {
                    "prediction_id": info.id,
                    "user_id": u,
                    "permille": p,
                    "source": "reaction",
                    "updated_at": t,
                }
                for t, u, p in current.values()
                if p is not None
            ],
        )
    services.ctx.clock.advance(days=1)  # type: ignore[attr-defined]
    return services, info.number


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=5_000)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    replay = events(args.voters, args.events)
    series_ms = median_ms(lambda: community_series(replay))
    sort_ms = median_ms(lambda: sorted(replay, key=lambda event: event[0]))
    figures = [
        (
            f"community series, {args.voters:,} voters / {args.events:,} events (median of {RUNS})",
            series_ms,
            SERIES_AIM_MS,
        )
    ]
    print(
        f"baseline: one sorted() of the {args.events:,} events: {sort_ms:.1f} ms "
        f"(series/sort ratio {series_ms / sort_ms:.1f})"
    )

    pool = ChartPool()
    with tempfile.TemporaryDirectory() as tmp:
        services, number = await build(Path(tmp) / "history.db", replay)

        async def show() -> None:
            """What /predictions show does between its defer and its follow-up."""
            info = await services.predictions.get(GUILD, number)
            now = services.ctx.clock.now()
            prediction_embed(info, now)
            history = await services.stats.history(GUILD, info.id)
            await history_file(history, f"#{info.number}: community forecast", pool=pool)
            history_text(history)

        # As the bot does once ready (bot/runtime/heap.py): the fixture's own data is dropped
        # first, so only what a running bot holds is set aside.
        replay.clear()
        set_aside_startup_heap()
        started = time.perf_counter()
        cold = await longest_stall(show)  # spawns the chart workers, imports matplotlib there
        cold_s = time.perf_counter() - started
        warm_started = time.perf_counter()
        warm = max([await longest_stall(show) for _ in range(WARM_RUNS)])
        warm_s = (time.perf_counter() - warm_started) / WARM_RUNS
        moderator = Actor(user_id=2, manages_guild=True)

        async def resolve() -> None:
            """Scores for every voter, written in the resolve transaction."""
            await services.resolution.resolve(GUILD, number, moderator, "yes")

        resolved = await longest_stall(resolve)
        gc.unfreeze()
        unfrozen = max([await longest_stall(show) for _ in range(WARM_RUNS)])

        async def idle() -> None:
            await asyncio.sleep(max(cold_s, warm_s))

        floor = await longest_stall(idle)
    await pool.close()
    figures.append(
        (
            "longest event-loop stall while /predictions show renders it (cold)",
            cold * 1000,
            STALL_AIM_MS,
        )
    )
    figures.append(
        (
            f"longest event-loop stall while /predictions show renders it (warm, worst of "
            f"{WARM_RUNS})",
            warm * 1000,
            STALL_AIM_MS,
        )
    )
    figures.append(
        (
            "longest event-loop stall while resolving it (5,000 scores)",
            resolved * 1000,
            STALL_AIM_MS,
        )
    )
    for name, value, aim in figures:
        print(f"{name}: {value:.1f} ms (aim < {aim:.0f} ms)")
    print(f"show took {cold_s:.2f} s cold, {warm_s:.2f} s warm (deferred: no deadline)")
    print(
        f"baseline: longest stall of an idle event loop over the same time: "
        f"{floor * 1000:.1f} ms (warm stall / idle ratio {warm / max(floor, 1e-6):.1f})"
    )
    print(
        f"for context, warm without setting the start-up heap aside: {unfrozen * 1000:.1f} ms "
        "(full garbage collections walk every long-lived object)"
    )
    print(f"worst ratio to aim: {max(value / aim for _, value, aim in figures):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
