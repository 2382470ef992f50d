"""``/augury events``: resolution dates as Discord scheduled events, on or off."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral
from bot.runtime.client import AuguryBot, augury
from bot.runtime.shared_groups import join_group, leave_group
from bot.services.events import EventSetup
from cogs.events.interest import EVENT, RawInterest, listen_for_interest

log = logging.getLogger(__name__)
COMMAND = "events"
GROUP = "augury"
ON_OFF = [
    app_commands.Choice(name="on", value="on"),
    app_commands.Choice(name="off", value="off"),
]


def setup_text(setup: EventSetup, manage_events: bool | None) -> str:
    if not setup.enabled:
        return (
            "📆 Scheduled events are off: the events I made are being removed. "
            "`/augury events enabled:on` brings them back."
        )
    text = (
        "📆 Scheduled events are on: each open prediction's resolution date shows as a server "
        "event linking to it, moved when the date moves and removed when it is resolved or "
        "cancelled. Members who mark one **Interested** follow the prediction."
    )
    if manage_events is False:
        text += (
            "\n⚠️ I don't have the **Manage Events** permission yet, so I can't make them. "
            "Give it to my role, then run this again."
        )
    return text


def events_command() -> app_commands.Command[Any, ..., None]:
    @app_commands.command(
        name=COMMAND, description="Resolution dates as Discord events (Manage Server)"
    )
    @app_commands.describe(enabled="on: a server event per open prediction; off: none")
    @app_commands.choices(enabled=ON_OFF)
    async def events(interaction: discord.Interaction, enabled: app_commands.Choice[str]) -> None:
        bot = augury(interaction)
        on = enabled.value == "on"
        setup = await bot.services.events.set_enabled(
            guild_id_of(interaction), actor_of(interaction), on
        )
        guild = interaction.guild
        manage = guild.me.guild_permissions.manage_events if guild and guild.me else None
        await reply_ephemeral(interaction, setup_text(setup, manage))

    return events


class EventCommandsCog(commands.Cog):
    """Adds ``/augury events``, and follows members who mark an event Interested."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        listen_for_interest(self.bot)
        join_group(self.bot.tree, events_command(), GROUP)

    async def cog_unload(self) -> None:
        leave_group(self.bot.tree, COMMAND, GROUP)

    @commands.Cog.listener(f"on_{EVENT}")
    async def on_interest(self, raw: RawInterest) -> None:
        number = await self.bot.services.events.interested(
            raw.guild_id, raw.event_id, raw.user_id, raw.interested
        )
        if number is not None:
            verb = "follows" if raw.interested else "no longer follows"
            log.info("Member %s %s #%s (event Interested)", raw.user_id, verb, number)
