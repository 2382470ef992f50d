"""Voting by ``/vote``, by the Vote button's modal, and following by ``/predictions follow``."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import AuguryBot
from bot.probability import format_probability, parse_probability
from bot.rendering.buttons import (
    PERSISTENT_ITEMS,
    VOTE_INPUT_ID,
    VOTE_MODAL_ID,
    modal_values,
)
from bot.rendering.embeds import forecast_text
from bot.rendering.replies import guild_id_of, reply_ephemeral, report_error
from cogs.predictions import number_autocomplete


class VotingCog(commands.Cog):
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        bot.add_dynamic_items(*PERSISTENT_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*PERSISTENT_ITEMS)

    @app_commands.command(name="vote", description="Say how likely a prediction is")
    @app_commands.guild_only()
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        probability="1–99 %: 70, 70% or 0.7 (one decimal allowed)",
    )
    @app_commands.autocomplete(prediction=number_autocomplete)
    async def vote(
        self, interaction: discord.Interaction, prediction: int, probability: str
    ) -> None:
        guild_id = guild_id_of(interaction)
        permille = parse_probability(probability)
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await self.bot.services.votes.target_by_number(guild_id, prediction)
        await submit_vote(self.bot, interaction, target.id, permille, "slash")

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Vote-modal submits, routed by custom_id so they survive restarts."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        match = VOTE_MODAL_ID.match(str(data.get("custom_id", "")))
        if match is None:
            return
        try:
            guild_id_of(interaction)
            text = modal_values(interaction.data).get(VOTE_INPUT_ID, "")
            permille = parse_probability(text)
            await interaction.response.defer(ephemeral=True, thinking=True)
            await submit_vote(self.bot, interaction, int(match["id"]), permille, "modal")
        except Exception as error:
            await report_error(interaction, error)


async def submit_vote(
    bot: AuguryBot, interaction: discord.Interaction, prediction_id: int, permille: int, source: str
) -> None:
    """Record the vote, schedule the re-render, confirm privately."""
    guild_id = guild_id_of(interaction)
    result = await bot.services.votes.vote(
        guild_id, prediction_id, interaction.user.id, permille, source
    )
    bot.coalescer.request(prediction_id)
    text = f"🗳️ Your forecast on #{result.target.number} is now **{format_probability(permille)}**"
    if result.previous is not None and result.previous != permille:
        text += f" (was {format_probability(result.previous)})"
    text += "."
    if result.target.visibility == "hidden_until_vote":
        info = await bot.services.predictions.by_id(prediction_id)
        if info is not None:
            text += "\nCommunity: " + forecast_text(info, show_votes=True)
    await reply_ephemeral(interaction, text)


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(VotingCog(bot))
