"""Recording a vote from a slash command or the vote form, and the private confirmation."""

from __future__ import annotations

import discord

from bot.domain.vocabulary import Visibility, VoteSource
from bot.forecasting.probability import format_probability
from bot.rendering.prediction_embed import forecast_text
from bot.rendering.replies import guild_id_of, reply_ephemeral
from bot.runtime.client import AuguryBot


async def submit_vote(
    bot: AuguryBot,
    interaction: discord.Interaction,
    prediction_id: int,
    permille: int,
    source: VoteSource,
) -> None:
    """Record the vote, have the public message redrawn, confirm privately."""
    guild_id = guild_id_of(interaction)
    result = await bot.services.votes.vote(
        guild_id, prediction_id, interaction.user.id, permille, source
    )
    bot.public_messages.changed(prediction_id)
    text = f"🗳️ Your forecast on #{result.target.number} is now **{format_probability(permille)}**"
    if result.previous is not None and result.previous != permille:
        text += f" (was {format_probability(result.previous)})"
    text += "."
    if result.target.visibility == Visibility.HIDDEN_UNTIL_VOTE:
        info = await bot.services.predictions.by_id(prediction_id)
        if info is not None:
            text += "\nCommunity: " + forecast_text(info, show_votes=True)
    await reply_ephemeral(interaction, text)
