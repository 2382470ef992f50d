"""A reminder for a question of another kind than yes/no: its Resolve menu instead of YES/NO
buttons, and words that fit a question with an answer (a toy kind, registered here, stands for
the real ones)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import discord
import pytest

from bot.clock import FakeClock
from bot.domain.kinds import register, unregister
from bot.runtime.client import AuguryBot
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from cogs.reminders.scheduler import RemindersCog
from tests.cogs.helpers import custom_ids, uid
from tests.cogs.reminders.conftest import RESOLVES, stored
from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import caught_up
from tests.services.core.test_toy_kind import GUESS


@pytest.fixture(autouse=True)
def guess_kind() -> Iterator[None]:
    register(GUESS)
    yield
    unregister(GUESS.name)


async def test_a_reminder_for_another_kind_asks_for_the_answer_with_its_resolve_menu(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    guild_id = int(fake.guild_id)
    info = await services.predictions.create(
        NewPrediction(
            guild_id,
            uid(fake, "alice"),
            "How many boats enter the harbour?",
            resolves="2026-12-01 12:00",
            probability="40",
            kind=GUESS.name,
        )
    )
    channel = bot.get_channel(int(fake.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send(f"Prediction #{info.number}")
    thread = await message.create_thread(name=f"#{info.number}")
    await services.predictions.attach_message(
        info.id, channel_id=channel.id, message_id=message.id, thread_id=thread.id
    )
    await caught_up(fake, bot)

    clock.set(RESOLVES + timedelta(seconds=20))
    assert await cog.run_once() == 1
    [reminder] = stored(fake, thread.id)
    assert "What was the answer?" in reminder["content"]
    assert "Did it come true?" not in reminder["content"]
    assert "resolve it with **Resolve** below" in reminder["content"]
    # YES / NO / AMBIGUOUS would not resolve a guess: the message's own Resolve menu does.
    assert custom_ids(reminder) == [
        f"augury:resolvemenu:{info.id}",
        f"augury:reminder:{info.id}:due:1:0",
    ]
