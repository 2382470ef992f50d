"""The weekly digest's schedule and contents against a migrated database.

Two Services on one database stand for two processes: a due digest is claimed by exactly one.
Time travels with the FakeClock. The size test fills a server with 2,000 open predictions and
5,000 ranked members and counts the statements building the digest runs: the same few as for
a server with one prediction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, NotAllowed
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from cogs.digest.embed import digest_embed
from db.engine import create_session_factory
from db.models import DigestSchedule, Prediction, Score, Vote
from tests.conftest import AUTHOR, GUILD, VOTER

MANAGER = Actor(AUTHOR, manages_guild=True)
CHANNEL = 3_000_000_000_000_001
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday


def second_process(engine: AsyncEngine, clock: FakeClock) -> Services:
    return Services.build(ServiceContext(sessions=create_session_factory(engine), clock=clock))


async def test_setting_up_needs_manage_server_and_a_real_slot(services: Services) -> None:
    with pytest.raises(NotAllowed):
        await services.digest.schedule(GUILD, Actor(VOTER), CHANNEL, 0, 9)
    with pytest.raises(InvalidInput):
        await services.digest.schedule(GUILD, MANAGER, CHANNEL, 7, 9)
    assert await services.digest.plan(GUILD) is None


async def test_a_due_digest_is_claimed_once_across_processes_and_posted_once(
    services: Services, engine: AsyncEngine, clock: FakeClock
) -> None:
    clock.set(MONDAY_9 - timedelta(hours=2))
    plan = await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    assert plan.next_at == MONDAY_9
    other = second_process(engine, clock)
    assert await services.digest.claim_due(5) == []  # not yet
    clock.set(MONDAY_9)
    mine, theirs = await asyncio.gather(services.digest.claim_due(5), other.digest.claim_due(5))
    claimed = mine + theirs
    assert [due.slot for due in claimed] == [MONDAY_9]
    # The other process, later, finds nothing: the claim holds.
    clock.advance(minutes=1)
    assert await other.digest.claim_due(5) == []
    await services.digest.posted(claimed[0], 42)
    # A restart the same day finds it posted: next week's is next.
    restarted = second_process(engine, clock)
    assert await restarted.digest.claim_due(5) == []
    after = await restarted.digest.plan(GUILD)
    assert after is not None and after.next_at == MONDAY_9 + timedelta(days=7)
    assert after.last_posted_at == clock.now()


async def test_a_digest_missed_while_down_goes_out_later_that_day_only(
    services: Services, clock: FakeClock
) -> None:
    clock.set(MONDAY_9 - timedelta(days=1))
    await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    clock.set(MONDAY_9 + timedelta(hours=14, minutes=59))  # 23:59, still Monday
    (due,) = await services.digest.claim_due(5)
    assert due.slot == MONDAY_9
    await services.digest.posted(due, 7)
    # Next week the bot is down all Monday: on Tuesday that digest is skipped, not posted.
    clock.set(MONDAY_9 + timedelta(days=8))
    assert await services.digest.claim_due(5) == []
    plan = await services.digest.plan(GUILD)
    assert plan is not None and plan.next_at == MONDAY_9 + timedelta(days=14)
    assert plan.last_error is not None and "missed" in plan.last_error


async def test_a_claim_left_by_a_crash_is_retried_the_same_day(
    services: Services, engine: AsyncEngine, clock: FakeClock
) -> None:
    clock.set(MONDAY_9 - timedelta(hours=1))
    await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    clock.set(MONDAY_9)
    (crashed,) = await services.digest.claim_due(5)  # the process dies before posting
    clock.advance(minutes=10)  # past the lease
    (again,) = await second_process(engine, clock).digest.claim_due(5)
    assert again.slot == crashed.slot == MONDAY_9
    await services.digest.posted(crashed, 1)  # the dead claim's late word changes nothing
    async with services.ctx.sessions() as session:
        row = await session.get(DigestSchedule, GUILD)
        assert row is not None and row.claim_token == again.token


async def test_set_up_later_on_its_day_it_goes_out_at_once_but_not_twice(
    services: Services, clock: FakeClock
) -> None:
    clock.set(MONDAY_9 + timedelta(hours=3))
    plan = await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    assert plan.next_at == MONDAY_9
    (due,) = await services.digest.claim_due(5)
    await services.digest.posted(due, 1)
    # Saving the same settings again that day does not post this week's again.
    again = await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    assert again.next_at == MONDAY_9 + timedelta(days=7)
    assert await services.digest.claim_due(5) == []


async def test_off_means_no_more_digests(services: Services, clock: FakeClock) -> None:
    clock.set(MONDAY_9)
    await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    assert await services.digest.turn_off(GUILD, MANAGER)
    assert await services.digest.claim_due(5) == []
    assert not await services.digest.turn_off(GUILD, MANAGER)


async def test_contents_lists_what_needs_votes_is_due_and_was_resolved(
    services: Services, clock: FakeClock
) -> None:
    clock.set(MONDAY_9)
    for statement, resolves in (
        ("Soon", "in 2 days"),
        ("Later", "in 40 days"),
        ("Done", "in 3 days"),
    ):
        await services.predictions.create(
            NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement=statement, resolves=resolves)
        )
    await services.resolution.resolve(GUILD, 3, MANAGER, "yes")
    digest = await services.digest.build(GUILD)
    assert [line.number for line in digest.needs_votes] == [1, 2]  # closing soon first
    assert [line.number for line in digest.due_soon] == [1]
    assert [(line.number, line.outcome) for line in digest.resolved] == [(3, "YES")]
    assert digest.standings == ()  # nobody has enough resolved forecasts yet


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def fill(services: Services, *, open_predictions: int, members: int, now: datetime) -> None:
    """Open predictions (the first with every member's vote) and members ranked on one."""
    rows = [
        {
            "guild_id": GUILD,
            "number": n,
            "author_id": AUTHOR,
            "statement": f"Question {n} " + "x" * 200,
            "created_at": now - timedelta(days=1),
            "resolves_at": now + timedelta(days=1 + n % 30),
            "closes_at": now + timedelta(days=1 + n % 30),
            "status": "open" if n <= open_predictions else "resolved",
            "outcome": None if n <= open_predictions else "yes",
            "resolved_at": None if n <= open_predictions else now - timedelta(days=1),
            "channel_id": CHANNEL,
            "message_id": 10_000 + n,
        }
        for n in range(1, open_predictions + 2)
    ]
    async with services.ctx.sessions.begin() as session:
        await session.execute(insert(Prediction), rows)
        ids = dict((await session.execute(select(Prediction.number, Prediction.id))).all())
        user_ids = [VOTER + i for i in range(members)]
        await session.execute(
            insert(Vote),
            [
                {
                    "prediction_id": ids[1],
                    "user_id": u,
                    "permille": 600,
                    "source": "slash",
                    "updated_at": now,
                }
                for u in user_ids
            ],
        )
        resolved = ids[open_predictions + 1]
        await session.execute(
            insert(Score),
            [
                {
                    "prediction_id": resolved,
                    "guild_id": GUILD,
                    "user_id": u,
                    "permille": 600,
                    "outcome": True,
                    "brier": 0.16,
                    "log_score": -0.5,
                    "time_brier": 0.16,
                    "relative_brier": (i % 100) / 1000,
                    "resolved_at": now - timedelta(days=1),
                }
                for i, u in enumerate(user_ids)
            ],
        )
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)


@pytest.mark.parametrize(
    ("open_predictions", "members"), [(1, 1), (2000, 5000)], ids=["small", "5k"]
)
async def test_building_the_digest_costs_the_same_few_queries_at_any_size(
    services: Services, engine: AsyncEngine, clock: FakeClock, open_predictions: int, members: int
) -> None:
    clock.set(MONDAY_9)
    await fill(services, open_predictions=open_predictions, members=members, now=MONDAY_9)
    with counted(engine) as statements:
        digest = await services.digest.build(GUILD)
    assert len(statements) <= 12, statements
    assert digest.resolved_total == 1
    assert len(digest.standings) == min(members, 5) and digest.standings[0].value == 0.0
    assert len(digest.needs_votes) == min(open_predictions, 5)
    assert digest.needs_votes_total == open_predictions  # few forecasters, or closing soon
    assert digest.due_total == sum(1 + n % 30 <= 7 for n in range(1, open_predictions + 1))
    # As posted: within Discord's limits, the rest counted ("…and N more").
    embed = digest_embed(digest, "A server " + "y" * 300)
    assert len(embed) <= 6000 and len(embed.fields) <= 25 and len(embed.title or "") <= 256
    assert all(len(str(f.value)) <= 1024 for f in embed.fields)
    votes = str(embed.fields[0].value)
    shown = votes.count("\n")  # whole lines, then the count of the rest
    if open_predictions > 5:
        assert shown >= 3 and votes.endswith(f"…and {open_predictions - shown} more")


async def test_moving_the_digest_later_in_the_week_does_not_post_twice_that_week(
    services: Services, clock: FakeClock
) -> None:
    clock.set(MONDAY_9)
    await services.digest.schedule(GUILD, MANAGER, CHANNEL, 0, 9)
    (due,) = await services.digest.claim_due(5)
    await services.digest.posted(due, 1)
    moved = await services.digest.schedule(GUILD, MANAGER, CHANNEL, 2, 9)  # to Wednesday
    assert moved.next_at == MONDAY_9 + timedelta(days=9)  # not this Wednesday: next week's
