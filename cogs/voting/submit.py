"""Recording a vote from a slash command or the vote form, and the private confirmation."""

from __future__ import annotations

import logging

import discord

from bot.domain.vocabulary import Visibility, VoteSource
from bot.forecasting.probability import format_probability
from bot.rendering.limits import MESSAGE_CONTENT, truncate
from bot.rendering.prediction_embed import forecast_text
from bot.rendering.replies import guild_id_of, reply_ephemeral
from bot.runtime.channels import find_channel
from bot.runtime.client import AuguryBot
from bot.services.dto import PredictionInfo

log = logging.getLogger(__name__)


async def submit_vote(
    bot: AuguryBot,
    interaction: discord.Interaction,
    prediction_id: int,
    permille: int,
    source: VoteSource,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> None:
    """Record the vote, have the public message redrawn, confirm privately."""
    guild_id = guild_id_of(interaction)
    result = await bot.services.votes.vote(
        guild_id, prediction_id, interaction.user.id, permille, source, reason
    )
    bot.public_messages.changed(prediction_id)
    text = f"🗳️ Your forecast on #{result.target.number} is now **{format_probability(permille)}**"
    if result.previous is not None and result.previous != permille:
        text += f" (was {format_probability(result.previous)})"
    text += "."
    if note:
        text += f" ({note})"
    info = await bot.services.predictions.by_id(prediction_id)
    if result.target.visibility == Visibility.HIDDEN_UNTIL_VOTE and info is not None:
        text += "\nCommunity: " + forecast_text(info, show_votes=True)
    if reason and reason.strip() and info is not None:
        posted = await _post_reason(bot, interaction, info, permille, reason.strip())
        text += (
            "\nYour reason is posted in the thread."
            if posted
            else ("\nYour reason is kept with your vote (I couldn't post it in the thread).")
        )
    await reply_ephemeral(interaction, text)


async def _post_reason(
    bot: AuguryBot,
    interaction: discord.Interaction,
    info: PredictionInfo,
    permille: int,
    reason: str,
) -> bool:
    """The reason in the thread, under the member's name; it pings nobody, whatever it says.
    Hidden votes stay hidden: the number is left out."""
    channel = await find_channel(bot, info.thread_id) if info.thread_id else None
    if not isinstance(channel, discord.abc.Messageable):
        return False
    shown = f" ({format_probability(permille)})" if info.visibility == Visibility.VISIBLE else ""
    name = interaction.user.display_name
    text = truncate(f"💬 **{name}**{shown} on #{info.number}: {reason}", MESSAGE_CONTENT)
    try:
        await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as error:
        log.info("Could not post a vote reason for #%s: %s", info.number, error)
        return False
    return True
