"""Keycap reactions as votes, through the raw events so old, uncached messages work too.

Whether a keycap counts is decided in one place
(:func:`bot.runtime.public_messages.reactions_count_for`): on hidden predictions only where the
bot can remove the reaction at once. A keycap that did not
count (refused, the bot busy, the database failing) is taken away, so nobody believes it was
recorded; nothing is said publicly, and a failure is logged, never raised out of the listener.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.domain.errors import AuguryError
from bot.domain.vocabulary import Visibility, VoteSource
from bot.forecasting.keycaps import keycap_emoji, keycap_for_permille, keycap_permille, keycap_value
from bot.rendering.community import rendering_for
from bot.runtime.channels import can_manage_messages
from bot.runtime.client import AuguryBot
from bot.runtime.public_messages import reactions_count_for
from bot.services.core.dto import VoteTarget

log = logging.getLogger(__name__)


class KeycapReactionsCog(commands.Cog):
    """0️⃣ … 🔟 on a prediction message vote 0 % … 100 % (clamped to 1–99 %)."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def _keycap_on_prediction(
        self, payload: discord.RawReactionActionEvent
    ) -> tuple[int, VoteTarget, int] | None:
        """A member's keycap on a prediction message of this server: (tens, target, guild)."""
        guild_id = payload.guild_id
        if guild_id is None or self.bot.user is None:
            return None
        if payload.user_id == self.bot.user.id or (payload.member and payload.member.bot):
            return None
        tens = keycap_value(payload.emoji.name) if payload.emoji.is_unicode_emoji() else None
        if tens is None:
            return None
        target = await self.bot.services.votes.target_by_message(payload.message_id)
        if target is None or target.guild_id != guild_id:
            return None
        return tens, target, guild_id

    async def _remove(self, channel_id: int, message_id: int, tens: int, user_id: int) -> None:
        message = self.bot.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await message.remove_reaction(keycap_emoji(tens), discord.Object(id=user_id))
        except discord.HTTPException as error:
            log.info("Could not remove a reaction on %s: %s", message_id, error)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        try:
            await self._vote_by_reaction(payload)
        except Exception:
            log.exception("A reaction vote on message %s failed", payload.message_id)
            tens = keycap_value(payload.emoji.name) if payload.emoji.is_unicode_emoji() else None
            if tens is not None and can_manage_messages(self.bot, payload.channel_id):
                await self._remove(payload.channel_id, payload.message_id, tens, payload.user_id)

    async def _vote_by_reaction(self, payload: discord.RawReactionActionEvent) -> None:
        found = await self._keycap_on_prediction(payload)
        if found is None:
            return
        tens, target, guild_id = found
        can_manage = can_manage_messages(self.bot, payload.channel_id)
        if not target.voting_open(self.bot.clock.now()):
            if can_manage:
                await self._remove(payload.channel_id, payload.message_id, tens, payload.user_id)
            return
        if not reactions_count_for(self.bot, target.visibility, payload.channel_id):
            return  # a visible reaction would reveal the vote; the embed points to the buttons
        try:
            result = await self.bot.services.votes.vote(
                guild_id,
                target.id,
                payload.user_id,
                keycap_permille(tens),
                VoteSource.REACTION,
            )
        except AuguryError as error:
            log.info("Reaction vote refused: %s", error)
            if can_manage:  # the keycap would otherwise look like a vote that counted
                await self._remove(payload.channel_id, payload.message_id, tens, payload.user_id)
            return
        self.bot.public_messages.changed(target.id)
        if target.visibility != Visibility.VISIBLE:
            await self._remove(payload.channel_id, payload.message_id, tens, payload.user_id)
        elif (
            can_manage
            and result.previous is not None
            and result.previous_source == VoteSource.REACTION
        ):
            previous = keycap_for_permille(result.previous)
            if previous is not None and previous != tens:
                await self._remove(
                    payload.channel_id, payload.message_id, previous, payload.user_id
                )

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        try:
            await self._retract_by_reaction(payload)
        except Exception:
            log.exception("A reaction retraction on message %s failed", payload.message_id)

    async def _retract_by_reaction(self, payload: discord.RawReactionActionEvent) -> None:
        found = await self._keycap_on_prediction(payload)
        if found is None:
            return
        tens, target, guild_id = found
        if target.visibility != Visibility.VISIBLE or not target.voting_open(self.bot.clock.now()):
            return  # there the bot itself removes reactions; that is not a retraction
        try:
            result = await self.bot.services.votes.retract(
                guild_id,
                target.id,
                payload.user_id,
                VoteSource.REACTION,
                only_if=keycap_permille(tens),
            )
        except AuguryError:
            return
        if result is not None:
            self.bot.public_messages.changed(target.id)

    @commands.Cog.listener()
    async def on_prediction_published(self, prediction_id: int, message: discord.Message) -> None:
        """Seed the server's keycaps, unless reactions could not count there."""
        info = await self.bot.services.predictions.by_id(prediction_id)
        if info is None or not rendering_for(info.kind).keycaps:
            return  # keycaps are probabilities: only yes/no questions are voted on by them
        if not reactions_count_for(self.bot, info.visibility, message.channel.id):
            return
        config = await self.bot.services.server_config.guild(info.guild_id)
        for tens in config.reaction_keycaps:
            try:
                await message.add_reaction(keycap_emoji(tens))
            except discord.Forbidden:
                log.info("No permission to add reactions in %s", message.channel.id)
                return
            except discord.HTTPException:
                log.warning("Adding keycap reactions failed", exc_info=True)
                return
