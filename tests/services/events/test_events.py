"""Scheduled-event sync against a migrated database: what is due, claimed once, retried.

Two Services on one database stand for two processes. The prediction's life drives the work:
created → an event to create; date moved or statement edited → an edit; resolved or cancelled
→ a deletion; reopened → a new event; events turned off → every event deleted.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.services.core.context import ServiceContext
from bot.services.events.service import MAX_EVENTS, Action
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.engine import create_session_factory
from db.models import Follower, Prediction
from tests.conftest import AUTHOR, GUILD, START, VOTER

MANAGER = Actor(AUTHOR, manages_guild=True)
CHANNEL = 3_000_000_000_000_001


async def posted(services: Services, statement: str = "The ferry runs again") -> int:
    info = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement=statement, resolves="in 10 days")
    )
    await services.predictions.attach_message(
        info.id, channel_id=CHANNEL, message_id=9_000 + info.id, thread_id=None
    )
    return info.id


async def test_nothing_happens_until_events_are_on(services: Services, clock: FakeClock) -> None:
    clock.set(START)
    await posted(services)
    assert await services.events.claim(5) == []
    await services.events.set_enabled(GUILD, MANAGER, True)
    (work,) = await services.events.claim(5)
    assert work.action == Action.CREATE and work.statement == "The ferry runs again"


async def test_each_write_is_claimed_by_one_process(
    services: Services, engine: AsyncEngine, clock: FakeClock
) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    for n in range(3):
        await posted(services, f"Question {n}")
    other = Services.build(ServiceContext(sessions=create_session_factory(engine), clock=clock))
    mine, theirs = await asyncio.gather(services.events.claim(5), other.events.claim(5))
    ids = [w.prediction_id for w in mine + theirs]
    assert len(ids) == 3 and len(set(ids)) == 3
    # Written: nothing left to do, in either process.
    for work in mine + theirs:
        await services.events.written(work, 70_000 + work.prediction_id)
    clock.advance(minutes=5)
    assert await other.events.claim(5) == [] and await services.events.claim(5) == []


async def test_the_event_follows_the_prediction_through_its_life(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    prediction_id = await posted(services)
    (created,) = await services.events.claim(5)
    await services.events.written(created, 700)

    await services.predictions.edit(GUILD, 1, MANAGER, resolves="in 20 days")
    (moved,) = await services.events.claim(5)
    assert (moved.action, moved.event_id) == (Action.EDIT, 700)
    assert moved.resolves_at > created.resolves_at
    await services.events.written(moved, 700)

    await services.resolution.resolve(GUILD, 1, MANAGER, "yes")
    (ended,) = await services.events.claim(5)
    assert (ended.action, ended.prediction_id) == (Action.DELETE, prediction_id)
    await services.events.written(ended, None)
    assert await services.events.claim(5) == []

    await services.resolution.reopen(GUILD, 1, MANAGER, reason="Checking again")
    (again,) = await services.events.claim(5)
    assert again.action == Action.CREATE


async def test_turning_events_off_deletes_them(services: Services, clock: FakeClock) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    await posted(services)
    (created,) = await services.events.claim(5)
    await services.events.written(created, 700)
    await services.events.set_enabled(GUILD, MANAGER, False)
    (gone,) = await services.events.claim(5)
    assert (gone.action, gone.event_id) == (Action.DELETE, 700)


async def test_a_missing_permission_is_reported_once_and_retried_later(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    await posted(services)
    (work,) = await services.events.claim(5)
    assert await services.events.failed(work, "403 Missing Permissions", missing_permission=True)
    assert (await services.events.setup(GUILD)).problem is not None
    assert await services.events.claim(5) == []  # backing off
    clock.advance(minutes=1)
    (retry,) = await services.events.claim(5)
    assert not await services.events.failed(retry, "403", missing_permission=True)  # told once
    clock.advance(minutes=1)
    assert await services.events.claim(5) == []  # a longer wait after the second failure
    # Turned on again (after granting it): retried at once, and a success clears the problem.
    await services.events.set_enabled(GUILD, MANAGER, True)
    (now,) = await services.events.claim(5)
    await services.events.written(now, 701)
    assert (await services.events.setup(GUILD)).problem is None


async def test_interested_members_follow_the_prediction(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    prediction_id = await posted(services)
    (work,) = await services.events.claim(5)
    await services.events.written(work, 700)
    assert await services.events.interested(GUILD, 700, VOTER, True) == 1
    assert await services.events.interested(GUILD, 999, VOTER, True) is None  # not ours
    assert await services.events.interested(GUILD + 1, 700, VOTER, True) is None
    async with services.ctx.sessions() as session:
        following = await session.scalar(
            select(Follower.following).where(
                Follower.prediction_id == prediction_id, Follower.user_id == VOTER
            )
        )
    assert following is True
    assert await services.events.interested(GUILD, 700, VOTER, False) == 1


async def test_no_event_for_a_date_too_close_or_a_prediction_not_yet_posted(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Unposted", resolves="in 10 days")
    )
    assert await services.events.claim(5) == []
    info = await services.predictions.by_id(await posted(services))
    assert info is not None
    clock.set(info.resolves_at - timedelta(minutes=1))
    assert await services.events.claim(5) == []


async def test_a_server_gets_at_most_its_share_of_events_the_soonest_first(
    services: Services, clock: FakeClock
) -> None:
    """Discord holds 100 events per server: Augury keeps to 50, for dates within 30 days."""
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    far = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Far", resolves="in 90 days")
    )
    await services.predictions.attach_message(
        far.id, channel_id=CHANNEL, message_id=1, thread_id=None
    )
    async with services.ctx.sessions.begin() as session:
        rows = [
            {
                "guild_id": GUILD,
                "number": 100 + n,
                "author_id": AUTHOR,
                "statement": f"Question {n}",
                "created_at": START,
                "resolves_at": START + timedelta(days=2, hours=n),
                "closes_at": START + timedelta(days=2, hours=n),
                "status": "open",
                "channel_id": CHANNEL,
                "message_id": 5_000 + n,
            }
            for n in range(MAX_EVENTS + 20)
        ]
        await session.execute(insert(Prediction), rows)
    created: list[int] = []
    while work := await services.events.claim(25):
        for item in work:
            await services.events.written(item, 80_000 + item.prediction_id)
            created.append(item.prediction_id)
    assert len(created) == MAX_EVENTS
    async with services.ctx.sessions() as session:
        numbers = set(
            await session.scalars(select(Prediction.number).where(Prediction.id.in_(created)))
        )
    assert numbers == {100 + n for n in range(MAX_EVENTS)}  # the soonest; "Far" has none


async def test_an_event_deleted_by_hand_is_made_again_when_its_prediction_changes(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    await services.events.set_enabled(GUILD, MANAGER, True)
    await posted(services)
    (created,) = await services.events.claim(5)
    await services.events.written(created, 700)
    await services.predictions.edit(GUILD, 1, MANAGER, statement="The ferry runs twice a day")
    (edit,) = await services.events.claim(5)
    assert edit.action == Action.EDIT
    await services.events.written(edit, None, gone=True)  # Discord answered 404
    (again,) = await services.events.claim(5)
    assert (again.action, again.statement) == (Action.CREATE, "The ferry runs twice a day")
