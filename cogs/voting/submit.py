"""Recording a vote from a slash command or the vote form, and the private confirmation."""

from __future__ import annotations

import logging

import discord

from bot.domain.errors import AuguryError
from bot.domain.vocabulary import Visibility, VoteSource
from bot.forecasting.probability import format_probability
from bot.rendering.limits import MESSAGE_CONTENT, truncate
from bot.rendering.prediction_embed import forecast_text
from bot.rendering.replies import guild_id_of, reply_ephemeral
from bot.runtime.channels import find_channel
from bot.runtime.client import AuguryBot
from bot.services.core.dto import PredictionInfo

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
    """Record the vote, have the public message redrawn, confirm privately.

    A reason is posted in the prediction's thread under the member's name, so a member who may
    not write in that thread is refused before anything is stored (vote and reason alike)."""
    guild_id = guild_id_of(interaction)
    if reason and reason.strip():
        await check_may_post_reason(bot, interaction, prediction_id)
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
            else ("\nYour reason is kept with your forecast (I couldn't post it in the thread).")
        )
    await reply_ephemeral(interaction, text)


async def check_may_post_reason(
    bot: AuguryBot, interaction: discord.Interaction, prediction_id: int
) -> None:
    """Refuse a reason the member could not have written in the thread themselves (Send
    Messages in Threads in its parent channel, or a thread locked to them)."""
    info = await bot.services.predictions.by_id(prediction_id)
    thread = await find_channel(bot, info.thread_id) if info and info.thread_id else None
    member = interaction.user
    if info is None or not isinstance(thread, discord.Thread):
        return  # no thread: the reason is kept with the vote and the reply says so
    if not isinstance(member, discord.Member):
        return
    try:
        allowed = thread.permissions_for(member)
    except discord.ClientException:  # parent channel not cached: Discord decides on posting
        return
    if (
        allowed.send_messages_in_threads
        and allowed.view_channel
        and not (thread.locked and not allowed.manage_threads)
    ):
        return
    raise AuguryError(
        f"You can't write in the thread of #{info.number}, and a reason is posted there under "
        "your name, so nothing was recorded. Vote again without a reason."
    )


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
    name = discord.utils.escape_markdown(interaction.user.display_name)  # names are user text
    text = truncate(f"💬 **{name}**{shown} on #{info.number}: {reason}", MESSAGE_CONTENT)
    try:
        await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as error:
        log.info("Could not post a vote reason for #%s: %s", info.number, error)
        return False
    return True
