"""``/vote``: a forecast by number, and the registration of the vote buttons' handlers."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.text import REASON_MAX
from bot.domain.vocabulary import VoteSource
from bot.forecasting.probability import read_probability
from bot.rendering.replies import guild_id_of
from bot.runtime.autocomplete import PredictionNumber, open_prediction_numbers
from bot.runtime.client import AuguryBot
from cogs.voting.buttons import PREDICTION_BUTTONS
from cogs.voting.submit import submit_vote


class VotingCog(commands.Cog):
    """Voting by slash command and by the buttons on a prediction message."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        bot.add_dynamic_items(*PREDICTION_BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*PREDICTION_BUTTONS)

    @app_commands.command(name="vote", description="Say how likely a prediction is")
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        probability="1–99 %: 70, 70% or 0.7 (one decimal allowed; 0 and 100 count as 1 and 99)",
        reason="Why you think so (optional, up to 1000 characters; posted in the thread)",
    )
    @app_commands.autocomplete(prediction=open_prediction_numbers)
    async def vote(
        self,
        interaction: discord.Interaction,
        prediction: PredictionNumber,
        probability: app_commands.Range[str, 1, limit.PROBABILITY_TEXT_MAX],
        reason: app_commands.Range[str, None, REASON_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        read = read_probability(probability)
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await self.bot.services.votes.target_by_number(guild_id, prediction)
        await submit_vote(
            self.bot,
            interaction,
            target.id,
            read.permille,
            VoteSource.SLASH,
            reason=reason,
            note=read.note,
        )
