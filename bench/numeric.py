"""A numeric question with 5,000 forecasters: pooling and scoring.

Prints (1) the time to pool 5,000 forecasts (the linear pool on the 200-bin grid, with exact
percentiles) and to replay 5,000 vote events into scores (CRPS and log score per member, the
community's penalty at every change), against a baseline measured in the same run: one
``sorted()`` of the same 15,000 percentiles; (2) the longest event-loop stall while the bot's
own services pool the community forecast (as after every vote) and resolve the question (a
score for every forecaster), against the longest stall of an idle loop over the same time.
Run it alone (no tests beside it) and note ``uptime``. ``--busy N`` keeps N other processes
computing meanwhile (N = 2 fills a 2-core machine), to see the stalls of a loaded host.
Run: .venv/bin/python -m bench.numeric [--voters N] [--busy N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.leaderboard import longest_stall
from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.kinds import kind_for
from bot.domain.kinds.ranges import RangeForecast, RangeKind, RangeOutcome
from bot.domain.kinds.replay import replay_scores
from bot.runtime.heap import set_aside_startup_heap
from bot.runtime.interpreter import favour_the_event_loop
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Vote, VoteEvent

GUILD = 1
START = datetime(2026, 11, 27, tzinfo=UTC)
STALL_AIM_MS = 20.0
RUNS = 5
SEATS = {"low": "0", "high": "650", "unit": "seats", "open_ends": "high"}


def forecasts(voters: int, seed: int = 7) -> list[RangeForecast]:
    rng = random.Random(seed)
    out = []
    for _ in range(voters):
        median = rng.uniform(50, 600)
        out.append(
            RangeForecast(
                round(median - rng.uniform(5, 45), 1),
                round(median, 1),
                round(median + rng.uniform(5, 90), 1),
            )
        )
    return out


def median_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def spin() -> None:
    """A process that only computes: another tenant of the machine."""
    while True:
        pass


@contextlib.contextmanager
def busy(processes: int) -> Iterator[None]:
    """``processes`` other processes computing for as long as the block runs."""
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(processes)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
            spinner.join()


async def build(path: Path, members: list[RangeForecast]) -> tuple[Services, int, int]:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=1,
            statement="How many seats?",
            resolves="in 10 days",
            kind="numeric",
            kind_fields=SEATS,
        )
    )
    kind = kind_for(info.kind, info.kind_spec)
    payloads = [kind.store_forecast(f).payload for f in members]
    times = [START + timedelta(minutes=1, seconds=i) for i in range(len(members))]
    async with services.ctx.sessions.begin() as session:
        await session.execute(
            insert(VoteEvent),
            [
                {
                    "prediction_id": info.id,
                    "user_id": 10_000 + i,
                    "forecast": p,
                    "source": "slash",
                    "created_at": t,
                }
                for i, (p, t) in enumerate(zip(payloads, times, strict=True))
            ],
        )
        await session.execute(
            insert(Vote),
            [
                {
                    "prediction_id": info.id,
                    "user_id": 10_000 + i,
                    "forecast": p,
                    "source": "slash",
                    "updated_at": t,
                }
                for i, (p, t) in enumerate(zip(payloads, times, strict=True))
            ],
        )
    services.ctx.clock.advance(days=11)  # type: ignore[attr-defined]
    return services, info.id, info.number


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=5_000)
    parser.add_argument("--busy", type=int, default=0, help="other processes computing meanwhile")
    args = parser.parse_args()
    if args.busy:
        print(f"{args.busy} other processes computing throughout")
    with busy(args.busy):
        await measure(args.voters)


async def measure(voters: int) -> None:
    """Every figure, printed as it is measured."""
    members = forecasts(voters)
    kind = kind_for("numeric", kind_for("numeric").parse_spec(SEATS))
    assert isinstance(kind, RangeKind)
    percentiles = [v for f in members for v in (f.p10, f.median, f.p90)]
    sort_ms = median_ms(lambda: sorted(percentiles))
    pool_ms = median_ms(lambda: kind.pool(members))
    events = [(START + timedelta(seconds=i), 10_000 + i, f) for i, f in enumerate(members)]
    end = START + timedelta(days=10)
    replay_ms = median_ms(lambda: replay_scores(kind, events, end, RangeOutcome(300)))
    print(f"baseline: one sorted() of the {len(percentiles):,} percentiles: {sort_ms:.2f} ms")
    print(f"pool {voters:,} forecasts (median of {RUNS}): {pool_ms:.1f} ms")
    print(f"replay {voters:,} vote events into scores (median of {RUNS}): {replay_ms:.0f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        services, prediction_id, number = await build(Path(tmp) / "numeric.db", members)
        set_aside_startup_heap()
        favour_the_event_loop()  # as the bot does at start

        async def community() -> None:
            """What every vote's message update asks for: the pooled community forecast."""
            for _ in range(RUNS):
                await services.votes.community(prediction_id)

        started = time.perf_counter()
        pooled = await longest_stall(community)
        pooled_s = time.perf_counter() - started
        moderator = Actor(user_id=2, manages_guild=True)

        async def resolve() -> None:
            await services.resolution.resolve(GUILD, number, moderator, "300")

        started = time.perf_counter()
        resolved = await longest_stall(resolve)
        resolved_s = time.perf_counter() - started

        async def idle() -> None:
            await asyncio.sleep(max(pooled_s, resolved_s))

        floor = await longest_stall(idle)
    print(
        f"longest event-loop stall while pooling the community forecast ({RUNS} times): "
        f"{pooled * 1000:.1f} ms (aim < {STALL_AIM_MS:.0f} ms)"
    )
    print(
        f"longest event-loop stall while resolving it ({voters:,} scores): "
        f"{resolved * 1000:.1f} ms (aim < {STALL_AIM_MS:.0f} ms); resolve took {resolved_s:.2f} s"
    )
    print(
        f"baseline: longest stall of an idle event loop over the same time: {floor * 1000:.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
