"""Keeps the web view's "who can read this channel" current (issue 20).

The web shows only predictions whose channel @everyone can read. The bot records that when it
posts a prediction (then redraws the message so it links to its page), when a server's channels
or its @everyone role change, and when a server becomes available (start, reconnect). Redraws
record it too (:class:`bot.runtime.public_messages.PublicMessages`).
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.runtime.client import AuguryBot
from bot.runtime.web_channels import everyone_reads, everyone_reads_id

log = logging.getLogger(__name__)


async def refresh_server(bot: AuguryBot, guild_id: int) -> int:
    """Look again at every channel the server's predictions live in (from the cache; a channel
    the bot cannot see keeps what was recorded). Returns the predictions changed."""
    readable: dict[int, bool] = {}
    for channel_id in await bot.services.web.channels(guild_id):
        seen = everyone_reads_id(bot, channel_id)
        if seen is not None:
            readable[channel_id] = seen
    return await bot.services.web.record_channels(guild_id, readable)


class WebListingCog(commands.Cog):
    """Listeners only: no commands (``/augury web`` turns the view on)."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_prediction_published(self, prediction_id: int, message: discord.Message) -> None:
        readable = everyone_reads(message.channel)
        if readable is None:
            return
        if await self.bot.services.web.record_prediction(prediction_id, readable):
            self.bot.public_messages.changed(prediction_id)  # add the "View on the web" link

    @commands.Cog.listener()
    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        if before.overwrites != after.overwrites or before.category != after.category:
            await self._refresh(after.guild.id)

    @commands.Cog.listener()
    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        if after.is_default() and before.permissions != after.permissions:
            await self._refresh(after.guild.id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        if await self.bot.services.web.server_on_web(guild.id):
            await self._refresh(guild.id)

    async def _refresh(self, guild_id: int) -> None:
        try:
            changed = await refresh_server(self.bot, guild_id)
        except Exception:  # a listener must not take the bot down; the next event retries
            log.exception("Could not refresh which channels of server %s are public", guild_id)
            return
        if changed:
            log.info(
                "Web view: %d prediction(s) of server %s changed visibility", changed, guild_id
            )
