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
from bot.rendering.community import KindRendering, forget_rendering, register_rendering
from bot.runtime.client import AuguryBot
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from cogs.reminders.scheduler import RemindersCog
from tests.cogs.helpers import custom_ids, uid
from tests.cogs.reminders.conftest import RESOLVES, stored
from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import caught_up
from tests.fakediscord.payloads import JSON
from tests.services.core.test_toy_kind import GUESS


@pytest.fixture(autouse=True)
def guess_kind() -> Iterator[None]:
    register(GUESS)
    yield
    unregister(GUESS.name)


async def remind_of_a_guess(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> JSON:
    """A guess question, posted with a thread, reminded of at its resolution date."""
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
    return reminder


async def test_a_reminder_for_another_kind_asks_for_the_answer_with_its_resolve_menu(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    reminder = await remind_of_a_guess(fake, bot, services, cog, clock)
    info_id = reminder_prediction_id(reminder)
    assert "What was the answer?" in reminder["content"]
    assert "Did it come true?" not in reminder["content"]
    assert "resolve it with **Resolve** below" in reminder["content"]
    # YES / NO / AMBIGUOUS would not resolve a guess: the message's own Resolve menu does.
    assert custom_ids(reminder) == [
        f"augury:resolvemenu:{info_id}",
        f"augury:reminder:{info_id}:due:1:0",
    ]


def reminder_prediction_id(reminder: JSON) -> int:
    """The prediction id the reminder's marker button names."""
    (marker,) = [c for c in custom_ids(reminder) if c.startswith("augury:reminder:")]
    return int(marker.split(":")[2])


async def test_a_reminder_asks_the_kinds_look_not_its_name(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    """Whether a reminder carries YES / NO / AMBIGUOUS and what it asks are the kind's
    rendering's: a kind that is not yes/no but resolves with those buttons gets them, with its
    own question, and nothing in the reminders knows it."""
    register_rendering(
        GUESS.name,
        KindRendering(outcome_buttons=True, reminder_question="Did the guess come true?"),
    )
    try:
        reminder = await remind_of_a_guess(fake, bot, services, cog, clock)
    finally:
        forget_rendering(GUESS.name)
    info_id = reminder_prediction_id(reminder)
    assert "Did the guess come true?" in reminder["content"]
    assert "What was the answer?" not in reminder["content"]
    assert "resolve it with the buttons below" in reminder["content"]
    assert custom_ids(reminder) == [
        f"augury:resolve:{info_id}:yes",
        f"augury:resolve:{info_id}:no",
        f"augury:resolve:{info_id}:ambiguous",
        f"augury:reminder:{info_id}:due:1:0",
    ]
