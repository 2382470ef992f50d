"""The set-up message is claimed once per server, even by racing processes; the servers
holding development commands are remembered until a global sync clears them."""

from __future__ import annotations

import asyncio

from bot.services.registry import Services
from tests.conftest import GUILD


async def test_racing_claims_of_a_greeting_exactly_one_wins(services: Services) -> None:
    """Two processes (here: ten sessions at once) see the same join: one posts."""
    wins = await asyncio.gather(*(services.guild_state.claim_greeting(GUILD) for _ in range(10)))
    assert sorted(wins) == [False] * 9 + [True]
    assert await services.guild_state.claim_greeting(GUILD) is False  # a restart, later
    assert await services.guild_state.claim_greeting(GUILD + 1) is True  # another server


async def test_where_the_greeting_went_is_recorded(services: Services) -> None:
    assert await services.guild_state.greeting_of(GUILD) is None
    await services.guild_state.claim_greeting(GUILD)
    assert await services.guild_state.greeting_of(GUILD) == "nowhere"
    await services.guild_state.greeting_delivered(GUILD, "system channel")
    assert await services.guild_state.greeting_of(GUILD) == "system channel"


async def test_guilds_with_development_commands_until_cleared(services: Services) -> None:
    state = services.guild_state
    assert await state.guilds_with_commands() == []
    await state.commands_synced_to(GUILD)
    await state.commands_synced_to(GUILD)  # every start re-syncs: still one row
    await state.commands_synced_to(GUILD + 5)
    assert await state.guilds_with_commands() == [GUILD, GUILD + 5]
    await state.commands_cleared(GUILD)
    assert await state.guilds_with_commands() == [GUILD + 5]
