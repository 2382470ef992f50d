"""The reminder cog tests' scene: a bot connected to the fake Discord with no background
scheduler (each test runs the cycles itself), and a prediction posted with its thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from pydantic import SecretStr

from bot.clock import FakeClock
from bot.runtime.client import AuguryBot
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.reminders.service import ReminderService
from bot.settings import Settings
from cogs.reminders.scheduler import RemindersCog
from tests.cogs.helpers import uid
from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import caught_up, pointed_at

RESOLVES = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HOURS_72 = timedelta(hours=72)
POLL = 30.0


@pytest.fixture
async def fake(fake_discord: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    yield fake_discord
    assert fake_discord.violations == [], fake_discord.violations  # nothing Discord would refuse


@pytest.fixture
async def bot(fake: FakeDiscord, services: Services, clock: FakeClock) -> AsyncIterator[AuguryBot]:
    settings = Settings(
        discord_token=SecretStr(fake.token), reminder_poll_seconds=POLL, guild_ready_timeout=0.05
    )
    # No extensions: the only scheduler is the one a test runs, so cycles never race.
    bot = AuguryBot(
        settings=settings, services=services, clock=clock, sync_commands=False, extensions=()
    )
    with pointed_at(fake):
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect(reconnect=False))
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
        await bot.close()
        await asyncio.wait_for(task, 10)


@pytest.fixture
def reminders(services: Services) -> ReminderService:
    return ReminderService(services.ctx)


@pytest.fixture
def cog(bot: AuguryBot, reminders: ReminderService) -> RemindersCog:
    """Not added to the bot: tests run cycles themselves, no background task competes."""
    return RemindersCog(bot, service=reminders)


@dataclass
class Posted:
    prediction_id: int
    channel_id: int
    thread_id: int


async def post_prediction(
    fake: FakeDiscord, bot: AuguryBot, services: Services, statement: str = "The bridge opens"
) -> Posted:
    """Like /predict: a row, a public message, its thread; bob and carol vote and press 🔔
    (voting alone does not follow)."""
    guild_id = int(fake.guild_id)
    info = await services.predictions.create(
        NewPrediction(guild_id, uid(fake, "alice"), statement, resolves="2026-12-01 12:00")
    )
    for who in ("bob", "carol"):
        await services.votes.vote(guild_id, info.id, uid(fake, who), 400, "slash")
        await services.votes.set_following(guild_id, info.id, uid(fake, who), True)
    channel = bot.get_channel(int(fake.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send(f"Prediction #{info.number}")
    thread = await message.create_thread(name=f"#{info.number}")
    await services.predictions.attach_message(
        info.id, channel_id=channel.id, message_id=message.id, thread_id=thread.id
    )
    await caught_up(fake, bot)
    assert bot.get_channel(thread.id) is not None  # THREAD_CREATE reached the cache
    return Posted(info.id, channel.id, thread.id)


def posts(fake: FakeDiscord, channel_id: int | str, after: int = 0) -> list[Any]:
    """What the bot asked to post in a channel (request bodies), oldest first."""
    found = fake.find_requests("POST", rf"^/channels/{channel_id}/messages$", after=after)
    return [r.json for r in found if r.status == 200]


def forbid_posting(fake: FakeDiscord, posted: Posted) -> None:
    """The bot may post neither in the prediction's thread nor in its channel (403)."""
    for channel_id in (posted.thread_id, posted.channel_id):
        fake.fail("POST", rf"^/channels/{channel_id}/messages$", 403, times=None)


def stored(fake: FakeDiscord, channel_id: int | str) -> list[dict[str, Any]]:
    return fake.messages_in(str(channel_id))
