"""Fixtures for the fake Discord's self-tests: ``minibot``, a small discord.py bot run in-process
against the ``fake_discord`` fixture (tests/conftest.py). Neither the bot package nor a bot
process is involved."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord_selftests.minibot import MiniBot, running_minibot


@pytest.fixture
async def minibot(fake_discord: FakeDiscord) -> AsyncIterator[MiniBot]:
    """A small in-process discord.py bot, ready, connected to ``fake_discord``."""
    async with running_minibot(fake_discord) as bot:
        yield bot
