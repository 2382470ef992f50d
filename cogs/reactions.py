"""Keycap reactions as votes, through the raw events so old, uncached messages work too."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.client import AuguryBot
from bot.errors import AuguryError
from bot.keycaps import keycap_emoji, keycap_for_permille, keycap_permille, keycap_value
from bot.rendering.permissions import can_manage_messages
from bot.services.vote_writer import Target

log = logging.getLogger(__name__)


class ReactionsCog(commands.Cog):
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def _remove(self, channel_id: int, message_id: int, tens: int, user_id: int) -> None:
        message = self.bot.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await message.remove_reaction(keycap_emoji(tens), discord.Object(id=user_id))
        except discord.HTTPException as error:
            log.info("Could not remove a reaction on %s: %s", message_id, error)

    def _is_open(self, target: Target) -> bool:
        return target.status == "open" and self.bot.clock.now() < target.closes_at

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        if payload.guild_id is None or self.bot.user is None:
            return
        if payload.user_id == self.bot.user.id or (payload.member and payload.member.bot):
            return
        tens = keycap_value(payload.emoji.name) if payload.emoji.is_unicode_emoji() else None
        if tens is None:
            return
        target = await self.bot.services.votes.target_by_message(payload.message_id)
        if target is None or target.guild_id != payload.guild_id:
            return
        can_manage = can_manage_messages(self.bot, payload.channel_id)
        if not self._is_open(target):
            if can_manage:
                await self._remove(payload.channel_id, payload.message_id, tens, payload.user_id)
            return
        hidden = target.visibility != "visible"
        if hidden and not can_manage:
            return  # a visible reaction would reveal the vote; the embed points to the buttons
        try:
            result = await self.bot.services.votes.vote(
                payload.guild_id, target.id, payload.user_id, keycap_permille(tens), "reaction"
            )
        except AuguryError as error:
            log.info("Reaction vote refused: %s", error)
            return
        self.bot.coalescer.request(target.id)
        if hidden:
            await self._remove(payload.channel_id, payload.message_id, tens, payload.user_id)
        elif can_manage and result.previous is not None and result.previous_source == "reaction":
            previous = keycap_for_permille(result.previous)
            if previous is not None and previous != tens:
                await self._remove(
                    payload.channel_id, payload.message_id, previous, payload.user_id
                )

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        if payload.guild_id is None or self.bot.user is None:
            return
        if payload.user_id == self.bot.user.id:
            return
        tens = keycap_value(payload.emoji.name) if payload.emoji.is_unicode_emoji() else None
        if tens is None:
            return
        target = await self.bot.services.votes.target_by_message(payload.message_id)
        if target is None or target.guild_id != payload.guild_id:
            return
        if target.visibility != "visible" or not self._is_open(target):
            return  # there the bot itself removes reactions; that is not a retraction
        try:
            result = await self.bot.services.votes.retract(
                payload.guild_id,
                target.id,
                payload.user_id,
                "reaction",
                only_if=keycap_permille(tens),
            )
        except AuguryError:
            return
        if result is not None:
            self.bot.coalescer.request(target.id)

    @commands.Cog.listener()
    async def on_prediction_published(self, prediction_id: int, message: discord.Message) -> None:
        """Seed the server's keycaps, unless reactions could not count there."""
        info = await self.bot.services.predictions.by_id(prediction_id)
        if info is None or info.guild_id is None:
            return
        if info.visibility != "visible" and not can_manage_messages(self.bot, message.channel.id):
            return
        config = await self.bot.services.settings.guild(info.guild_id)
        for tens in config.reaction_keycaps:
            try:
                await message.add_reaction(keycap_emoji(tens))
            except discord.Forbidden:
                log.info("No permission to add reactions in %s", message.channel.id)
                return
            except discord.HTTPException:
                log.warning("Adding keycap reactions failed", exc_info=True)
                return


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(ReactionsCog(bot))
