"""Reminder delivery through the real discord.py against the fake Discord (REST + gateway).

Each test posts a prediction message and its thread through the bot, then drives the scheduler
with ``run_once()`` on the FakeClock and reads what the fake received and stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.vocabulary import ReminderKind
from bot.runtime.client import AuguryBot
from bot.services.registry import Services
from bot.services.reminders.service import DueReminder, ReminderService
from cogs.reminders.composition import NONCE_MAX, reminder_nonce
from cogs.reminders.scheduler import RemindersCog
from db.models import Follower, ReminderDelivery
from tests.cogs.helpers import custom_ids, pinged, uid
from tests.cogs.reminders.conftest import (
    HOURS_72,
    POLL,
    RESOLVES,
    forbid_posting,
    post_prediction,
    posts,
    stored,
)
from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import caught_up


async def test_due_reminder_in_the_thread_pings_author_and_followers_with_buttons(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
) -> None:
    posted = await post_prediction(fake, bot, services)
    clock.set(RESOLVES - timedelta(seconds=1))
    assert await cog.run_once() == 0
    clock.set(RESOLVES + timedelta(seconds=20))
    assert await cog.run_once() == 1

    [message] = stored(fake, posted.thread_id)
    assert pinged(message) == {uid(fake, w) for w in ("alice", "bob", "carol")}
    assert message["mention_roles"] == [] and message["mention_everyone"] is False
    assert "reached its resolution date" in message["content"] and "late" not in message["content"]
    assert message["embeds"][0]["title"] == "#1 · The bridge opens"
    outcomes = ("yes", "no", "ambiguous")
    assert custom_ids(message) == [
        *(f"augury:resolve:{posted.prediction_id}:{o}" for o in outcomes),
        f"augury:reminder:{posted.prediction_id}:due:1:0",  # the delivery's marker
    ]
    [body] = posts(fake, posted.thread_id)
    assert body["nonce"] == f"rm{posted.prediction_id}d1.0" and body["enforce_nonce"] is True
    assert await reminders.deliveries(posted.prediction_id) == [(ReminderKind.DUE, 1, False)]
    assert await cog.run_once() == 0  # recorded: not sent again


async def test_user_text_never_pings(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    sneaky = f"@everyone <@{uid(fake, 'mod')}> <@&{fake.moderator_role_id}> wins"
    posted = await post_prediction(fake, bot, services, statement=sneaky)
    clock.set(RESOLVES)
    await cog.run_once()
    [message] = stored(fake, posted.thread_id)
    assert sneaky not in message["content"] and sneaky in message["embeds"][0]["title"]
    assert pinged(message) == {uid(fake, w) for w in ("alice", "bob", "carol")}
    assert message["mention_roles"] == [] and message["mention_everyone"] is False
    [body] = posts(fake, posted.thread_id)
    assert body["allowed_mentions"]["parse"] == []
    assert sorted(body["allowed_mentions"]["users"]) == sorted(pinged(message))


async def test_an_archived_locked_thread_is_unarchived_first(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    posted = await post_prediction(fake, bot, services)
    thread = bot.get_channel(posted.thread_id)
    assert isinstance(thread, discord.Thread)
    await thread.edit(archived=True, locked=True)  # posting alone would fail (50083)
    await caught_up(fake, bot)
    assert bot.get_channel(posted.thread_id) is None  # THREAD_UPDATE: archived, uncached
    mark = fake.mark()
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    requests = fake.find_requests(path=rf"/{posted.thread_id}", after=mark)
    calls = [(r.method, r.json) for r in requests]
    assert calls[0] == ("GET", None)
    assert calls[1][0] == "PATCH" and calls[1][1]["archived"] is False
    assert calls[2][0] == "POST"
    assert len(stored(fake, posted.thread_id)) == 1


async def test_falls_back_to_the_parent_channel(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
) -> None:
    posted = await post_prediction(fake, bot, services)
    fake.fail("POST", rf"^/channels/{posted.thread_id}/messages$", 403, times=None)
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    message = stored(fake, posted.channel_id)[-1]
    assert "reached its resolution date" in message["content"]
    assert pinged(message) == {uid(fake, w) for w in ("alice", "bob", "carol")}
    async with services.ctx.sessions() as session:
        where = await session.scalar(
            select(ReminderDelivery.channel_id).where(
                ReminderDelivery.prediction_id == posted.prediction_id
            )
        )
    assert where == posted.channel_id


async def test_falls_back_to_a_dm_to_the_author(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    posted = await post_prediction(fake, bot, services)
    forbid_posting(fake, posted)
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    dm = await fake.wait_for_request(method="POST", path=r"^/users/@me/channels$")
    assert dm.json == {"recipient_id": uid(fake, "alice")}
    [message] = stored(fake, dm.response["id"])
    assert "your prediction **#1**" in message["content"].lower()
    assert f"/channels/{fake.guild_id}/{posted.channel_id}/" in message["content"]  # jump link
    # A DM stands on its own (issue 23): the server, why it came, and how to stop such DMs
    # (this test bot syncs no commands, so /notifications is named as code, not a mention).
    assert "-# From **Augury Test Server**. You wrote this prediction" in message["content"]
    assert "Change or stop these messages with `/notifications`." in message["content"]
    assert message["embeds"][0]["title"].startswith("#1 · ")  # the statement
    assert custom_ids(message) == [f"augury:reminder:{posted.prediction_id}:due:1:0"]
    assert pinged(message) == set()


async def test_nowhere_to_deliver_is_retried_after_a_backoff(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
) -> None:
    posted = await post_prediction(fake, bot, services)
    forbid_posting(fake, posted)
    fake.close_dms("alice")
    clock.set(RESOLVES)
    assert await cog.run_once() == 0
    assert await reminders.deliveries(posted.prediction_id) == []
    fake.clear_faults()
    clock.advance(seconds=POLL)
    assert await cog.run_once() == 0  # the next attempt is 5 minutes later
    clock.advance(minutes=5)
    assert await cog.run_once() == 1
    assert len(stored(fake, posted.thread_id)) == 1
    assert await reminders.deliveries(posted.prediction_id) == [(ReminderKind.DUE, 1, False)]


async def test_a_crash_before_recording_is_found_and_not_sent_again(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posted = await post_prediction(fake, bot, services)
    real_record = reminders.record
    calls = 0

    async def record_fails_once(delivery: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database went away")  # as if the process died here
        return await real_record(delivery)

    monkeypatch.setattr(reminders, "record", record_fails_once)
    clock.set(RESOLVES)
    assert await cog.run_once() == 0
    clock.advance(seconds=POLL)
    assert await cog.run_once() == 0  # still claimed: nothing is sent again
    clock.advance(minutes=10)  # the claim expired: the marker is found in the thread
    assert await cog.run_once() == 1
    [first] = posts(fake, posted.thread_id)
    assert first["enforce_nonce"] is True
    clock.advance(hours=72)
    assert await cog.run_once() == 1
    assert posts(fake, posted.thread_id)[-1]["nonce"] == f"rm{posted.prediction_id}d2.0"


async def test_late_reminder_goes_out_once_and_says_so(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    posted = await post_prediction(fake, bot, services)
    clock.set(RESOLVES + timedelta(days=10))  # the bot was offline past three intervals
    assert await cog.run_once() == 1
    assert await cog.run_once() == 0
    [message] = stored(fake, posted.thread_id)
    due = int(RESOLVES.timestamp())
    assert message["content"].startswith(f"⏰ (late: this was due <t:{due}:R>, I was offline)")


async def test_escalation_pings_only_the_moderator_role(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    role = int(fake.moderator_role_id)
    await services.server_config.update_guild(
        int(fake.guild_id), reminder_count=0, moderator_role_id=role
    )
    posted = await post_prediction(fake, bot, services)
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    [message] = stored(fake, posted.thread_id)
    assert message["mention_roles"] == [str(role)] and pinged(message) == set()
    [body] = posts(fake, posted.thread_id)
    assert body["allowed_mentions"] == {"parse": [], "roles": [role]}
    assert body["nonce"] == f"rm{posted.prediction_id}m1.0"


async def test_escalation_without_a_role_explains_how_to_set_one(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    await services.server_config.update_guild(int(fake.guild_id), reminder_count=0)
    posted = await post_prediction(fake, bot, services)
    clock.set(RESOLVES)
    await cog.run_once()
    [message] = stored(fake, posted.thread_id)
    assert "/augury moderator-role" in message["content"]
    assert message["mention_roles"] == [] and pinged(message) == set()


async def test_close_warning_pings_followers_without_buttons(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    await services.server_config.update_guild(int(fake.guild_id), close_warning=True)
    posted = await post_prediction(fake, bot, services)
    clock.set(RESOLVES - timedelta(hours=24))
    assert await cog.run_once() == 1
    [message] = stored(fake, posted.thread_id)
    assert "Voting on prediction **#1** closes" in message["content"]
    assert pinged(message) == {uid(fake, w) for w in ("alice", "bob", "carol")}
    assert custom_ids(message) == [f"augury:reminder:{posted.prediction_id}:close_warning:1:0"]
    assert posts(fake, posted.thread_id)[0]["nonce"] == f"rm{posted.prediction_id}w1.0"


async def test_many_followers_get_one_message_that_counts_the_rest(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    posted = await post_prediction(fake, bot, services)
    crowd = [3_000_000_000_000_000_000 + i for i in range(250)]
    async with services.ctx.sessions.begin() as session:
        session.add_all(Follower(prediction_id=posted.prediction_id, user_id=u) for u in crowd)
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    [body] = posts(fake, posted.thread_id)  # one message of mentions, never a wall of them
    assert body["nonce"] == f"rm{posted.prediction_id}d1.0" and body["components"]
    users = body["allowed_mentions"]["users"]
    assert len(body["content"]) <= 2000 and 0 < len(users) <= 90
    assert body["content"].count("<@") == len(users)
    assert all(f"<@{u}>" in body["content"] for u in users)
    assert int(users[0]) == uid(fake, "alice")  # the author first
    rest = 253 - len(users)
    assert f"…and {rest} more follow it (not pinged here)." in body["content"]


async def test_ping_etiquette_first_reminder_repeats_and_escalation(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    """First: author and followers. Repeats: the author alone. Escalation: the role alone."""
    await services.server_config.update_guild(
        int(fake.guild_id), reminder_count=2, moderator_role_id=int(fake.moderator_role_id)
    )
    posted = await post_prediction(fake, bot, services)
    alice, bob, carol = (uid(fake, w) for w in ("alice", "bob", "carol"))
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    clock.set(RESOLVES + HOURS_72)
    assert await cog.run_once() == 1
    clock.set(RESOLVES + 2 * HOURS_72)
    assert await cog.run_once() == 1
    first, repeat, escalation = stored(fake, posted.thread_id)
    assert pinged(first) == {alice, bob, carol}
    assert pinged(repeat) == {alice} and "Reminder 2 of 2" in repeat["content"]
    assert pinged(escalation) == set()
    assert escalation["mention_roles"] == [fake.moderator_role_id]


async def test_the_loop_survives_an_exception_and_sleeps_on_the_clock(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posted = await post_prediction(fake, bot, services)
    clock.set(RESOLVES)
    real_due = reminders.due
    calls = 0

    async def due_fails_once(*args: Any, **kwargs: Any) -> list[DueReminder]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return await real_due(*args, **kwargs)

    monkeypatch.setattr(reminders, "due", due_fails_once)
    cog = RemindersCog(bot, service=reminders)
    await bot.add_cog(cog)  # cog_load starts the scheduler
    try:
        await fake.wait_for(lambda: cog.completed_cycles >= 1)
        assert cog.running and stored(fake, posted.thread_id) == []  # failed, sent nothing…
        clock.advance(seconds=POLL)  # …and the next cycle, a poll interval later, delivers
        await fake.wait_for(lambda: cog.completed_cycles >= 2)
        assert len(stored(fake, posted.thread_id)) == 1
    finally:
        await bot.remove_cog(cog.qualified_name)
    assert not cog.running


def test_nonce_is_deterministic_and_fits_discord() -> None:
    when = datetime(2027, 1, 1, tzinfo=UTC)
    reminder = DueReminder(
        prediction_id=2_147_483_647,
        guild_id=1,
        number=1,
        statement="s",
        author_id=1,
        follower_ids=(),
        channel_id=None,
        thread_id=None,
        message_id=None,
        kind="close_warning",
        sequence=999,
        ordinal=0,
        reminder_count=20,
        interval_hours=1,
        due_at=when,
        late=False,
        moderator_role_id=None,
        resolves_at=when,
        closes_at=when,
    )
    nonces = {reminder_nonce(reminder, part) for part in range(30)}
    assert len(nonces) == 30 and max(len(n) for n in nonces) <= NONCE_MAX
    assert reminder_nonce(reminder, 3) == reminder_nonce(reminder, 3) == "rm2147483647w999.3"
