"""Roles through the fake: giving and taking a member's role as Discord allows it, and its
refusals (no Manage Roles, a role at or above the bot's, a managed role, unknown ids)."""

from __future__ import annotations

import discord
import pytest

from tests.fakediscord import FakeDiscord, perms
from tests.fakediscord.inprocess import caught_up
from tests.fakediscord.routes_roles import add_role, member_role_ids, update_role
from tests.fakediscord.world import BOT_NAME
from tests.fakediscord_selftests.minibot import MiniBot

pytestmark = pytest.mark.fakediscord_selftest


async def test_roles_are_given_and_taken_within_discords_rules(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    fake, bot = fake_discord, minibot
    guild, alice = int(fake.guild_id), int(fake.user_id("alice"))
    below = await add_role(fake, "Below", position=2)
    above = await add_role(fake, "Above", position=5)
    await caught_up(fake, bot)
    assert bot.get_guild(guild).get_role(int(below)) is not None  # GUILD_ROLE_CREATE was read

    with pytest.raises(discord.Forbidden) as refused:  # no Manage Roles yet
        await bot.http.add_role(guild, alice, int(below))
    assert refused.value.code == 50013
    await update_role(fake, BOT_NAME, permissions=perms.BOT | perms.MANAGE_ROLES)
    await bot.http.add_role(guild, alice, int(below))
    await bot.http.add_role(guild, alice, int(below))  # idempotent, as on Discord
    assert member_role_ids(fake, "alice") == [below]
    await bot.http.remove_role(guild, alice, int(below))
    assert member_role_ids(fake, "alice") == []

    bot_role = fake.state.world.role_ids[BOT_NAME]
    for role_id in (above, bot_role):  # at or above the bot's top role; managed
        with pytest.raises(discord.Forbidden):
            await bot.http.add_role(guild, alice, int(role_id))
    with pytest.raises(discord.NotFound) as unknown:
        await bot.http.add_role(guild, alice, 1234)
    assert unknown.value.code == 10011
    with pytest.raises(discord.NotFound) as gone:
        await bot.http.add_role(guild, 4321, int(below))
    assert gone.value.code == 10007
    assert fake.violations == []
