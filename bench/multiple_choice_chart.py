"""The history chart of a popular multiple-choice question: 10 options, 5,000 voters, 20,000
vote events (issue #19's aim: it renders in under 1 s).

Prints (1) the replay of the community pool after each change (the kind's running pool,
``choice_history.replay_pool``), against a baseline measured in the same run: one ``sorted()``
of the same events, the least any replay must do; (2) the render of the chart from those steps
(packed as the chart worker receives them, drawn in this process as the worker would); (3) the
replay of every member's scores at resolution (``replay_scores``, what the score writer runs in
a thread); (4) the pool of the 5,000 current forecasts (what each redraw of the message does);
(5) the longest event-loop stall while the bot's own service reads and pools those 5,000 from
SQLite (``votes.community``: decoded and pooled in a worker thread, as for numeric), against an
idle loop over the same time. Each figure is the median of a few runs, with its aim; the last
line is the worst ratio of figure to aim.
Run: .venv/bin/python -m bench.multiple_choice_chart [--voters N] [--events M] [--busy N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.leaderboard import longest_stall
from bench.numeric import busy
from bot.clock import FakeClock
from bot.domain.kinds import kind_for
from bot.domain.kinds.multiple_choice import MultipleChoice
from bot.domain.kinds.replay import replay_scores
from bot.forecasting.multiclass import normalise_permille
from bot.forecasting.multiple_choice_chart import choice_chart_packed
from bot.forecasting.point_packing import pack_steps
from bot.runtime.heap import set_aside_startup_heap
from bot.runtime.interpreter import favour_the_event_loop
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.track_record.choice_history import replay_pool
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Vote

START = datetime(2026, 1, 1, tzinfo=UTC)
OPTIONS = [f"Lab number {i}" for i in range(10)]
CHART_AIM_MS = 1000.0
SCORES_AIM_MS = 5000.0  # in a thread, off the loop: the resolution reply is deferred
POOL_AIM_MS = 20.0
STALL_AIM_MS = 20.0
STALL_RUNS = 5


def timed(action: Callable[[], object], runs: int) -> float:
    """Median milliseconds of ``runs`` runs."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def events_of(voters: int, count: int) -> list[tuple[datetime, int, object]]:
    rng = random.Random(19)
    events: list[tuple[datetime, int, object]] = []
    for step in range(count):
        weights = [rng.random() ** 2 for _ in OPTIONS]
        forecast = None if step % 50 == 49 else normalise_permille(weights)
        events.append((START + timedelta(seconds=30 * step), rng.randrange(voters), forecast))
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=5000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy", type=int, default=0, help="other processes computing meanwhile")
    args = parser.parse_args()
    if args.busy:
        print(f"{args.busy} other processes computing throughout")
    with busy(args.busy):
        measure(args)


def measure(args: argparse.Namespace) -> None:
    kind = kind_for("multiple_choice", {"options": OPTIONS})
    assert isinstance(kind, MultipleChoice)
    events = events_of(args.voters, args.events)
    print(f"{len(OPTIONS)} options, {args.voters} voters, {len(events)} vote events")

    baseline = timed(lambda: sorted(events, key=lambda e: e[0]), args.runs)
    print(f"baseline: one sorted() of the events: {baseline:.1f} ms")
    replay = timed(lambda: replay_pool(kind, events), args.runs)
    print(f"replay of the pool for the chart: {replay:.1f} ms ({replay / baseline:.0f}x baseline)")

    steps, _, _ = replay_pool(kind, events)
    flat = pack_steps(steps)
    choice_chart_packed(flat, OPTIONS, "warm-up")  # matplotlib's first figure loads fonts
    render = timed(lambda: choice_chart_packed(flat, OPTIONS, "#1: community forecast"), args.runs)
    chart = replay + render
    print(
        f"chart: replay + render of {len(steps)} steps: {chart:.0f} ms "
        f"(render {render:.0f} ms; aim < {CHART_AIM_MS:.0f} ms)"
    )

    end = START + timedelta(seconds=30 * len(events) + 60)
    scores = timed(lambda: replay_scores(kind, events, end, 3), args.runs)
    print(f"scores of every member at resolution: {scores:.0f} ms (aim < {SCORES_AIM_MS:.0f} ms)")

    held: dict[int, object] = {}
    for _, user, forecast in events:
        if forecast is None:
            held.pop(user, None)
        else:
            held[user] = forecast
    current = list(held.values())
    pool = timed(lambda: kind.pool(current), args.runs)  # type: ignore[arg-type]
    print(
        f"pool of the {len(current)} current forecasts: {pool:.1f} ms (aim < {POOL_AIM_MS:.0f} ms)"
    )
    stall, idle = asyncio.run(pooling_stall(current))
    print(
        f"longest event-loop stall while the service pools the {len(current)} current "
        f"forecasts from the database ({STALL_RUNS} times): {stall:.1f} ms "
        f"(aim < {STALL_AIM_MS:.0f} ms); an idle loop over the same time: {idle:.1f} ms"
    )
    worst = max(
        chart / CHART_AIM_MS, scores / SCORES_AIM_MS, pool / POOL_AIM_MS, stall / STALL_AIM_MS
    )
    print(f"worst ratio to aim: {worst:.2f}")


async def pooling_stall(current: list[object]) -> tuple[float, float]:
    """The longest stall (ms) of the event loop while ``votes.community`` reads and pools
    ``current`` from a SQLite file, as every redraw of the message does, and of an idle loop
    over the same time."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'choices.db'}")
        await upgrade(engine)
        services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))
        info = await services.predictions.create(
            NewPrediction(
                guild_id=1,
                author_id=1,
                statement="Which lab first?",
                resolves="in 10 days",
                kind="multiple_choice",
                kind_fields={"options": " | ".join(OPTIONS)},
            )
        )
        kind = kind_for(info.kind, info.kind_spec)
        async with services.ctx.sessions.begin() as session:
            await session.execute(
                insert(Vote),
                [
                    {
                        "prediction_id": info.id,
                        "user_id": 10_000 + i,
                        "forecast": kind.store_forecast(forecast).payload,
                        "source": "slash",
                        "updated_at": START,
                    }
                    for i, forecast in enumerate(current)
                ],
            )
        set_aside_startup_heap()
        favour_the_event_loop()  # as the bot does at start

        async def community() -> None:
            for _ in range(STALL_RUNS):
                pooled = await services.votes.community(info.id)
                assert pooled.count == len(current)

        started = time.perf_counter()
        stall = await longest_stall(community)
        took = time.perf_counter() - started
        idle = await longest_stall(lambda: asyncio.sleep(took))
        await engine.dispose()
    return stall * 1000, idle * 1000


if __name__ == "__main__":
    main()
