"""Reminder rules against a migrated database; time travels through the FakeClock only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.vocabulary import ReminderKind
from bot.services.core.notifications import Topic
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.reminders.service import Delivery, DueReminder, ReminderService
from bot.services.resolution.service import ResolutionService
from db.models import Follower, Prediction
from tests.conftest import AUTHOR, GUILD, MOD, OTHER_GUILD, VOTER

RESOLVES = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HOURS_72 = timedelta(hours=72)


@pytest.fixture
def reminders(services: Services) -> ReminderService:
    return ReminderService(services.ctx)


async def create(services: Services, **kw: str) -> int:
    info = await services.predictions.create(
        NewPrediction(
            guild_id=int(kw.pop("guild_id", GUILD)),
            author_id=AUTHOR,
            statement=kw.pop("statement", "The bridge opens"),
            resolves=kw.pop("resolves", "2026-12-01 12:00"),
            **kw,  # type: ignore[arg-type]
        )
    )
    await services.predictions.attach_message(info.id, channel_id=10, message_id=11, thread_id=12)
    return info.id


async def send(reminders: ReminderService, due: DueReminder) -> bool:
    return await reminders.record(Delivery(due, channel_id=12, message_id=99))


async def schedule(services: Services, prediction_id: int) -> tuple[datetime | None, int]:
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None
        return row.next_reminder_at, row.reminders_sent


async def test_nothing_due_before_the_resolution_date(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    await create(services)
    assert await reminders.due(clock.now()) == []
    clock.set(RESOLVES - timedelta(seconds=1))
    assert await reminders.due(clock.now()) == []


async def test_due_at_resolution_with_everything_needed_to_deliver(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=555, voters_follow=True)
    prediction_id = await create(services)
    await services.votes.vote(GUILD, prediction_id, VOTER, 300, "slash")
    clock.set(RESOLVES)
    [due] = await reminders.due(clock.now())
    assert due.key == (prediction_id, ReminderKind.DUE, 1)
    assert (due.ordinal, due.reminder_count, due.interval_hours) == (1, 3, 72)
    assert due.author_id == AUTHOR and due.follower_ids == (AUTHOR, VOTER)
    assert due.user_pings == (AUTHOR, VOTER)
    assert (due.guild_id, due.number, due.statement) == (GUILD, 1, "The bridge opens")
    assert (due.channel_id, due.message_id, due.thread_id) == (10, 11, 12)
    assert due.due_at == RESOLVES and due.resolves_at == RESOLVES and not due.late
    assert due.moderator_role_id == 555


async def test_reminds_every_interval_up_to_the_count_then_moderators_once(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    prediction_id = await create(services)
    seen: list[tuple[str, int, datetime]] = []
    clock.set(RESOLVES)
    for _ in range(8):  # far more intervals than reminders
        for due in await reminders.due(clock.now()):
            seen.append((due.kind, due.ordinal, clock.now()))
            assert await send(reminders, due)
        clock.advance(HOURS_72 - timedelta(seconds=1))
        assert await reminders.due(clock.now()) == []  # never early
        clock.advance(seconds=1)
    assert seen == [
        (ReminderKind.DUE, 1, RESOLVES),
        (ReminderKind.DUE, 2, RESOLVES + HOURS_72),
        (ReminderKind.DUE, 3, RESOLVES + 2 * HOURS_72),
        (ReminderKind.MODERATOR, 4, RESOLVES + 3 * HOURS_72),
    ]
    assert await schedule(services, prediction_id) == (None, 4)
    assert [kind for kind, _, _ in await reminders.deliveries(prediction_id)] == [
        ReminderKind.DUE,
        ReminderKind.DUE,
        ReminderKind.DUE,
        ReminderKind.MODERATOR,
    ]


@pytest.mark.parametrize(
    ("count", "kinds"),
    [
        (0, [ReminderKind.MODERATOR]),
        (1, [ReminderKind.DUE, ReminderKind.MODERATOR]),
        (2, [ReminderKind.DUE, ReminderKind.DUE, ReminderKind.MODERATOR]),
    ],
)
async def test_the_count_is_the_number_of_follower_reminders(
    services: Services, reminders: ReminderService, clock: FakeClock, count: int, kinds: list[str]
) -> None:
    await services.server_config.update_guild(
        GUILD, reminder_count=count, reminder_interval_hours=24
    )
    await create(services)
    clock.set(RESOLVES)
    sent: list[str] = []
    for _ in range(6):
        for due in await reminders.due(clock.now()):
            assert due.interval_hours == 24
            sent.append(due.kind)
            await send(reminders, due)
        clock.advance(hours=24)
    assert sent == kinds


async def test_catch_up_after_downtime_goes_out_once_and_late(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    prediction_id = await create(services)
    clock.set(RESOLVES + timedelta(days=10))  # offline for more than three intervals
    [due] = await reminders.due(clock.now())
    assert due.kind == ReminderKind.DUE and due.ordinal == 1 and due.late and due.due_at == RESOLVES
    assert await send(reminders, due)
    assert await reminders.due(clock.now()) == []
    # The next one is a full interval after the late one went out, not a burst.
    assert await schedule(services, prediction_id) == (clock.now() + HOURS_72, 1)
    assert await reminders.deliveries(prediction_id) == [(ReminderKind.DUE, 1, True)]
    clock.advance(HOURS_72)
    [second] = await reminders.due(clock.now())
    assert second.ordinal == 2 and not second.late


async def test_a_few_minutes_behind_is_not_late_and_keeps_the_cadence(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    prediction_id = await create(services)
    clock.set(RESOLVES + timedelta(minutes=2))
    [due] = await reminders.due(clock.now())
    assert not due.late
    await send(reminders, due)
    assert await schedule(services, prediction_id) == (RESOLVES + HOURS_72, 1)
    [late] = await reminders.due(clock.now() + timedelta(hours=80), late_after=timedelta(0))
    assert late.late


async def test_record_is_idempotent(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    prediction_id = await create(services)
    clock.set(RESOLVES)
    [due] = await reminders.due(clock.now())
    assert await send(reminders, due) is True
    assert await send(reminders, due) is False
    assert await schedule(services, prediction_id) == (RESOLVES + HOURS_72, 1)
    assert await reminders.deliveries(prediction_id) == [(ReminderKind.DUE, 1, False)]


async def test_unrecorded_reminder_is_due_again_with_the_same_key(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    """A crash between sending and recording: the retry carries the same key (and nonce)."""
    await create(services)
    clock.set(RESOLVES)
    [first] = await reminders.due(clock.now())
    clock.advance(seconds=30)
    [again] = await reminders.due(clock.now())
    assert again.key == first.key and again.due_at == first.due_at


async def test_cancelled_and_resolved_predictions_are_never_due(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, close_warning=True)
    await create(services, closes="2026-11-30 12:00")
    resolved_id = await create(services, statement="Second", closes="2026-11-30 12:00")
    stale_id = await create(services, statement="Third", closes="2026-11-30 12:00")
    await services.predictions.cancel(GUILD, 1, Actor(AUTHOR))
    await ResolutionService(services.ctx).resolve(GUILD, 2, Actor(AUTHOR), "yes")
    async with services.ctx.sessions.begin() as session:  # resolved without clearing
        await session.execute(
            update(Prediction).where(Prediction.id == stale_id).values(status="resolved")
        )
    clock.set(RESOLVES + timedelta(days=1))
    assert await reminders.due(clock.now()) == []
    # Left-over schedule entries are cleared, so they leave the index range for good.
    async with services.ctx.sessions() as session:
        rows = await session.execute(
            select(Prediction.next_reminder_at, Prediction.close_warning_at).where(
                Prediction.id.in_([resolved_id, stale_id])
            )
        )
        assert list(rows) == [(None, None), (None, None)]


async def test_reopened_prediction_gets_fresh_keys(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    """Reopening (or moving the date) restarts the chain without colliding with old rows."""
    prediction_id = await create(services)
    clock.set(RESOLVES)
    [first] = await reminders.due(clock.now())
    await send(reminders, first)
    resolution = ResolutionService(services.ctx)
    await resolution.resolve(GUILD, 1, Actor(AUTHOR), "no")
    await resolution.reopen(GUILD, 1, Actor(AUTHOR))
    clock.advance(HOURS_72)
    [again] = await reminders.due(clock.now())
    assert (again.kind, again.ordinal, again.sequence) == (ReminderKind.DUE, 1, 2)
    assert await send(reminders, again)
    assert await schedule(services, prediction_id) == (clock.now() + HOURS_72, 1)


async def test_record_never_overwrites_a_change_made_meanwhile(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    prediction_id = await create(services)
    clock.set(RESOLVES)
    [due] = await reminders.due(clock.now())
    await services.predictions.edit(GUILD, 1, Actor(AUTHOR), resolves="2026-12-20 12:00")
    assert await send(reminders, due)  # it was sent, so it is recorded…
    moved = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    assert await schedule(services, prediction_id) == (moved, 0)  # …but the edit stands


async def test_close_warning_when_switched_on(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, close_warning=True, voters_follow=True)
    prediction_id = await create(services, closes="2026-11-30 12:00")
    await services.votes.vote(GUILD, prediction_id, VOTER, 400, "slash")
    clock.set(CLOSES - timedelta(hours=24, seconds=1))
    assert await reminders.due(clock.now()) == []
    clock.advance(seconds=1)
    [warning] = await reminders.due(clock.now())
    assert warning.key == (prediction_id, ReminderKind.CLOSE_WARNING, 1)
    assert warning.closes_at == CLOSES and warning.user_pings == (AUTHOR, VOTER)
    assert await send(reminders, warning)
    assert await reminders.due(clock.now()) == []
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None and row.close_warning_at is None
        assert row.next_reminder_at == RESOLVES  # the resolution chain is untouched


async def test_close_warning_skipped_and_cleared_when_off_or_too_late(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    off = await create(services, closes="2026-11-30 12:00")
    await services.server_config.update_guild(OTHER_GUILD, close_warning=True)
    missed = await create(services, guild_id=str(OTHER_GUILD), closes="2026-11-30 12:00")
    clock.set(CLOSES + timedelta(minutes=1))  # voting closed while the bot was offline
    assert await reminders.due(clock.now()) == []
    async with services.ctx.sessions() as session:
        rows = await session.execute(
            select(Prediction.close_warning_at).where(Prediction.id.in_([off, missed]))
        )
        assert list(rows) == [(None,), (None,)]


async def test_who_is_pinged(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, voters_follow=True)
    prediction_id = await create(services)
    for user in (VOTER, MOD):
        await services.votes.vote(GUILD, prediction_id, user, 500, "slash")
    async with services.ctx.sessions.begin() as session:
        await session.execute(
            update(Follower).where(Follower.user_id.in_([VOTER, AUTHOR])).values(following=False)
        )
    clock.set(RESOLVES)
    [due] = await reminders.due(clock.now())
    assert due.follower_ids == (MOD,)
    assert due.user_pings == (AUTHOR, MOD)  # the author resolves it, so is always pinged
    assert replace(due, kind=ReminderKind.CLOSE_WARNING).user_pings == (
        MOD,
    )  # only those who follow
    assert replace(due, kind=ReminderKind.MODERATOR).user_pings == ()  # the role alone
    # Repeats are for the author alone: only they (or a moderator) can act.
    assert replace(due, ordinal=2).user_pings == (AUTHOR,)


async def test_voting_does_not_follow_unless_the_server_turns_it_on(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    quiet = await create(services)
    await services.votes.vote(GUILD, quiet, VOTER, 500, "slash")
    await services.server_config.update_guild(GUILD, voters_follow=True)
    loud = await create(services, statement="Loud")
    await services.votes.vote(GUILD, loud, VOTER, 500, "slash")
    clock.set(RESOLVES)
    due = {d.prediction_id: d for d in await reminders.due(clock.now())}
    assert due[quiet].follower_ids == (AUTHOR,)  # the author follows their own prediction
    assert due[loud].follower_ids == (AUTHOR, VOTER)


async def test_notification_choices_shape_who_is_pinged_and_who_gets_a_dm(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, voters_follow=True)
    prediction_id = await create(services)
    for user in (VOTER, MOD):
        await services.votes.vote(GUILD, prediction_id, user, 500, "slash")
    await services.notifications.update(VOTER, where="dm")
    await services.notifications.update(MOD, topics={Topic.FOLLOWED_DUE: False})
    clock.set(RESOLVES)
    [due] = await reminders.due(clock.now())
    assert due.user_pings == (AUTHOR,) and due.dm_ids == (VOTER,)
    await services.notifications.update(AUTHOR, muted=True)
    await services.notifications.dm_failed([VOTER])  # closed DMs: the thread, quietly
    [due] = await reminders.due(clock.now())
    assert due.user_pings == (VOTER,) and due.dm_ids == ()


async def test_limit_keeps_the_oldest_first(
    services: Services, reminders: ReminderService, clock: FakeClock
) -> None:
    for day in (5, 3, 4, 2):
        await create(services, statement=f"Day {day}", resolves=f"2026-12-0{day} 12:00")
    clock.set(datetime(2026, 12, 10, tzinfo=UTC))
    # The stale close warnings (switched off) come first in time; clearing them makes room.
    due = await reminders.due(clock.now(), limit=3)
    assert [d.statement for d in due] == ["Day 2", "Day 3", "Day 4"]
