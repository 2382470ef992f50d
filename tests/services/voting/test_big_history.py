"""A popular prediction — 5,000 voters, 20,000 vote changes — shown and resolved.

The community history is replayed where ``/predictions show``, the resolution announcement and
the resolve transaction need it; at this size the replay must be O(events · log voters) and
run in a worker thread, never on the event loop (``bench/history.py`` prints the timings).
"""

from __future__ import annotations

import random
import statistics
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.forecasting import aggregation
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Score, Vote, VoteEvent
from tests.conftest import AUTHOR, GUILD, START

VOTERS = 5_000
EVENTS = 20_000
FIRST_VOTER = 3_000_000_000_000_000


def busy_events(prediction_id: int) -> list[dict[str, object]]:
    rng = random.Random(5)
    rows: list[dict[str, object]] = []
    for index in range(EVENTS):
        member = index if index < VOTERS else rng.randrange(VOTERS)
        rows.append(
            {
                "prediction_id": prediction_id,
                "user_id": FIRST_VOTER + member,
                "permille": rng.randrange(10, 991),
                "source": "reaction",
                "created_at": START + timedelta(minutes=1, seconds=index),
            }
        )
    return rows


async def busy_prediction(services: Services) -> tuple[int, list[dict[str, object]]]:
    info = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Busy", resolves="in 10 days")
    )
    rows = busy_events(info.id)
    current = {row["user_id"]: row for row in rows}
    async with services.ctx.sessions.begin() as session:
        await session.execute(insert(VoteEvent), rows)
        await session.execute(
            insert(Vote),
            [
                {
                    "prediction_id": info.id,
                    "user_id": row["user_id"],
                    "permille": row["permille"],
                    "source": "reaction",
                    "updated_at": row["created_at"],
                }
                for row in current.values()
            ],
        )
    return info.id, rows


@pytest.fixture
def replay_threads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The thread of every community replay, wherever a module looks the function up."""
    seen: list[int] = []
    original = aggregation.community_series

    def recorded(
        events: Sequence[tuple[datetime, int, int | None]],
    ) -> list[tuple[datetime, float]]:
        seen.append(threading.get_ident())
        return original(events)

    import bot.services.resolution.score_writer
    import bot.services.track_record.stats
    import bot.services.voting.history

    for module in (
        bot.services.track_record.stats,
        bot.services.voting.history,
        bot.services.resolution.score_writer,
    ):
        monkeypatch.setattr(module, "community_series", recorded, raising=False)
    return seen


def median_after(rows: list[dict[str, object]], count: int) -> float:
    current: dict[object, object] = {}
    for row in rows[:count]:
        current[row["user_id"]] = row["permille"]
    return float(statistics.median(current.values()))  # type: ignore[type-var]


async def test_five_thousand_voter_history_is_replayed_off_the_event_loop(
    services: Services, clock: FakeClock, replay_threads: list[int]
) -> None:
    prediction_id, rows = await busy_prediction(services)
    clock.advance(days=1)
    history = await services.stats.history(GUILD, prediction_id)
    assert history.voters == VOTERS
    assert len(history.votes) == EVENTS
    for count in (1, 999, VOTERS, 12_345, EVENTS):
        assert history.community[count - 1][1] == median_after(rows, count)
    assert replay_threads and threading.get_ident() not in replay_threads


async def test_resolving_five_thousand_voters_scores_them_off_the_event_loop(
    services: Services, clock: FakeClock, replay_threads: list[int]
) -> None:
    prediction_id, _ = await busy_prediction(services)
    clock.advance(days=1)
    number = (await services.predictions.by_id(prediction_id)).number  # type: ignore[union-attr]
    await services.resolution.resolve(GUILD, number, Actor(AUTHOR), "yes")
    async with services.ctx.sessions() as session:
        scored = await session.scalar(
            select(func.count()).select_from(Score).where(Score.prediction_id == prediction_id)
        )
    assert scored == VOTERS
    assert replay_threads and threading.get_ident() not in replay_threads
