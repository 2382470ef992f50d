"""Reminder DMs for members who chose DMs: queued with the reminder's record and sent from the
queue, paced, so they never hold up other reminders, survive a restart and are never sent twice.

The fixtures are in this folder's conftest.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.runtime.client import AuguryBot
from bot.services.core.notifications import Topic
from bot.services.registry import Services
from cogs.reminders.dm_sender import ReminderDMSenderCog
from cogs.reminders.scheduler import RemindersCog
from tests.cogs.helpers import pinged, uid
from tests.cogs.reminders.conftest import RESOLVES, post_prediction, stored
from tests.fakediscord import FakeDiscord

DM_OPENS = r"^/users/@me/channels$"
CROWD = 300
CROWD_IDS = [4_100_000_000_000_000_000 + i for i in range(CROWD)]


def dms_opened(fake: FakeDiscord) -> int:
    return len(fake.find_requests("POST", DM_OPENS))


async def test_members_who_chose_dms_get_one_from_the_queue_and_closed_dms_fall_back(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    posted = await post_prediction(fake, bot, services)
    alice, bob, carol = (uid(fake, w) for w in ("alice", "bob", "carol"))
    await services.notifications.update(bob, where="dm")
    await services.notifications.update(carol, where="dm")
    fake.close_dms("carol")
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    [message] = stored(fake, posted.thread_id)
    assert pinged(message) == {alice}  # bob and carol asked for DMs instead
    # The cycle only queued them: it is never held up by DMs.
    assert dms_opened(fake) == 0 and await services.reminder_dms.pending() == 2

    sender = ReminderDMSenderCog(bot)
    assert await sender.run_once() == 2
    [dm] = stored(fake, fake.dm_channel_id("bob"))
    assert "Prediction #1 has reached its resolution date" in dm["content"]
    assert dm["embeds"][0]["title"] == "#1 · The bridge opens"
    assert dm["mentions"] == []
    assert (await services.notifications.preferences(carol)).dm_failed
    # From now on carol is mentioned in the thread instead: no retry of a closed DM.
    told = await services.notifications.split([bob, carol], Topic.FOLLOWED_DUE)
    assert told.pings == (carol,) and told.dms == (bob,)
    assert await sender.run_once() == 0 and len(stored(fake, fake.dm_channel_id("bob"))) == 1


async def test_a_crowd_of_dm_followers_is_paced_and_restart_safe_and_others_are_not_held_up(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    crowded = await post_prediction(fake, bot, services, "The crowded one")
    other = await post_prediction(fake, bot, services, "The quiet one")
    guild_id = int(fake.guild_id)
    for member in CROWD_IDS:
        fake.state.world.users[str(member)] = {**fake.user("bob"), "id": str(member)}
        await services.votes.set_following(guild_id, crowded.prediction_id, member, True)
        await services.notifications.update(member, where="dm")

    clock.set(RESOLVES)
    assert await cog.run_once() == 2  # both reminders in one cycle, no DM sent by it
    assert len(stored(fake, other.thread_id)) == 1
    assert dms_opened(fake) == 0
    assert await services.reminder_dms.pending() == CROWD

    sender = ReminderDMSenderCog(bot, batch=25)
    assert await sender.run_once() == 25 and dms_opened(fake) == 25  # a batch per turn
    restarted = ReminderDMSenderCog(bot, batch=25)  # a new process continues the queue
    while await restarted.run_once():
        pass
    assert dms_opened(fake) == CROWD  # each member once, none twice
    assert await services.reminder_dms.pending() == 0


@pytest.mark.parametrize("change", ["resolved", "date moved later", "muted"])
async def test_a_dm_no_longer_true_by_its_turn_is_dropped(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    cog: RemindersCog,
    clock: FakeClock,
    change: str,
) -> None:
    posted = await post_prediction(fake, bot, services)
    await services.notifications.update(uid(fake, "bob"), where="dm")
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    assert await services.reminder_dms.pending() == 1
    clock.advance(timedelta(minutes=1))
    number = (await services.predictions.by_id(posted.prediction_id)).number  # type: ignore[union-attr]
    alice = Actor(uid(fake, "alice"))
    if change == "resolved":
        await services.resolution.resolve(int(fake.guild_id), number, alice, "no")
    elif change == "muted":
        await services.notifications.update(uid(fake, "bob"), muted=True)
    else:
        moderator = Actor(uid(fake, "admin"), manages_guild=True)  # others voted: theirs to move
        await services.predictions.edit(
            int(fake.guild_id), number, moderator, resolves="2027-03-01"
        )

    assert await ReminderDMSenderCog(bot).run_once() == 1  # handled: dropped, not sent
    assert dms_opened(fake) == 0 and await services.reminder_dms.pending() == 0


async def test_the_sender_runs_with_the_bot_and_stops_with_it(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    await post_prediction(fake, bot, services)
    await services.notifications.update(uid(fake, "bob"), where="dm")
    clock.set(RESOLVES)
    assert await cog.run_once() == 1
    sender = ReminderDMSenderCog(bot)
    await bot.add_cog(sender)  # cog_load starts the paced loop
    try:
        await fake.wait_for(lambda: dms_opened(fake) == 1)
    finally:
        await bot.remove_cog(sender.qualified_name)
    assert await services.reminder_dms.pending() == 0
