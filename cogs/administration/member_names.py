"""Remembering the display names of members the bot meets (interactions, reactions)."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.runtime.client import AuguryBot

log = logging.getLogger(__name__)


class MemberNamesCog(commands.Cog):
    """Feeds :class:`~bot.services.administration.member_names.MemberNameService`; never fails a
    click."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def _seen(self, guild_id: int | None, user: discord.abc.User | None) -> None:
        if guild_id is None or user is None or user.bot:
            return
        try:
            await self.bot.services.member_names.seen(guild_id, user.id, user.display_name)
        except Exception:
            log.warning("Could not keep the name of member %s", user.id, exc_info=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self._seen(interaction.guild_id, interaction.user)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self._seen(payload.guild_id, payload.member)
