"""``/dispute``, ``/augury disputes`` and ``/augury dispute confirm|reopen``.

Checks, the window and the one-open-dispute rule are in :mod:`bot.services.disputes`; this
translates, posts the dispute in the prediction's thread and replies with what was stored.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.domain import option_limits as limit
from bot.domain.disputes import MAX_WINDOW_HOURS
from bot.rendering.replies import (
    UPDATE_FOLLOWS,
    actor_of,
    committed,
    guild_id_of,
    reply_ephemeral,
)
from bot.runtime.acting_member import keep_actors_name
from bot.runtime.autocomplete import PredictionNumber, prediction_numbers
from bot.runtime.channels import find_channel
from bot.runtime.client import AuguryBot, augury
from bot.services.disputes import Opened
from cogs.disputes.posts import dispute_mentions, dispute_post

log = logging.getLogger(__name__)


async def post_dispute(bot: AuguryBot, opened: Opened, who: str) -> int | None:
    """In the prediction's thread (else its channel); the message id, or None if refused."""
    for channel_id in (opened.thread_id, opened.channel_id):
        if channel_id is None:
            continue
        channel = await find_channel(bot, channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            continue
        try:
            message = await channel.send(
                dispute_post(opened, who), allowed_mentions=dispute_mentions(opened)
            )
        except discord.HTTPException as error:
            log.info("Dispute %s not posted in %s: %s", opened.dispute_id, channel_id, error)
            continue
        return message.id
    return None


def dispute_command() -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name="dispute", description="Dispute a recent resolution, saying why")
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        prediction="The prediction's number", reason="Why the resolution looks wrong"
    )
    @app_commands.autocomplete(prediction=prediction_numbers)
    async def dispute(
        interaction: discord.Interaction,
        prediction: PredictionNumber,
        reason: app_commands.Range[str, 1, limit.REASON_MAX],
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await record_dispute(augury(interaction), interaction, prediction, reason)

    return dispute


async def record_dispute(
    bot: AuguryBot, interaction: discord.Interaction, number: int, reason: str
) -> None:
    """Store the dispute, post it in the thread, and say truthfully what happened (the
    interaction is already deferred). ``/dispute`` and the Dispute form both end here."""
    opened = await bot.services.disputes.open(
        guild_id_of(interaction), number, interaction.user.id, reason, is_bot=interaction.user.bot
    )
    committed(interaction, f"Disputed #{number}")
    message_id = await post_dispute(bot, opened, interaction.user.display_name)
    if message_id is not None:
        await bot.services.disputes.posted(opened.dispute_id, message_id)
        where = "posted it in the prediction's thread for the moderators"
    else:
        where = (
            "could not post it in the prediction's thread (moderators still see the "
            "prediction marked disputed on the leaderboard)"
        )
    await reply_ephemeral(
        interaction,
        f"⚖️ Your dispute of #{number}'s resolution is recorded, and I {where}. Scores "
        "stand until a moderator keeps the resolution or reopens it.",
    )


def window_command() -> app_commands.Command[Any, ..., None]:
    @app_commands.command(
        name="disputes", description="How long members may dispute a resolution (Manage Server)"
    )
    @app_commands.describe(window="Hours after a resolution; 0 turns disputes off (default 24)")
    async def disputes(
        interaction: discord.Interaction,
        window: app_commands.Range[int, 0, MAX_WINDOW_HOURS] | None = None,
    ) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        if window is None:
            hours = await bot.services.disputes.window(guild_id)
        else:
            hours = await bot.services.disputes.set_window(guild_id, actor_of(interaction), window)
        await reply_ephemeral(interaction, window_text(hours, changed=window is not None))

    return disputes


def window_text(hours: int, *, changed: bool) -> str:
    lead = "⚖️ Done: members" if changed else "⚖️ Members"
    if hours == 0:
        return (
            "⚖️ Disputes are off: nobody can dispute a resolution. "
            "`/augury disputes window:24` turns them on."
        )
    span = "1 hour" if hours == 1 else f"{hours} hours"
    return f"{lead} can dispute a resolution for {span} after it, with `/dispute`."


def settle_group() -> app_commands.Group:
    group = app_commands.Group(name="dispute", description="Settle a disputed resolution")

    @group.command(name="confirm", description="Keep a disputed resolution (moderators)")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.describe(number="The prediction's number")
    @app_commands.autocomplete(number=prediction_numbers)
    async def confirm(interaction: discord.Interaction, number: PredictionNumber) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        settled = await bot.services.disputes.confirm(guild_id, number, actor_of(interaction))
        committed(interaction, f"Kept #{number}'s resolution")
        channel_id = settled.thread_id or settled.channel_id
        channel = await find_channel(bot, channel_id) if channel_id else None
        if isinstance(channel, discord.abc.Messageable):
            try:
                await channel.send(
                    f"⚖️ A moderator kept the resolution of **#{number}**: the dispute is settled.",
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as error:
                log.info("Could not post the settled dispute of #%s: %s", number, error)
        disputes = "1 dispute" if settled.disputes == 1 else f"{settled.disputes} disputes"
        await reply_ephemeral(
            interaction, f"⚖️ Kept #{number}'s resolution: {disputes} settled, the mark is gone."
        )

    @group.command(name="reopen", description="Reopen a disputed prediction (moderators)")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.describe(number="The prediction's number")
    @app_commands.autocomplete(number=prediction_numbers)
    async def reopen(interaction: discord.Interaction, number: PredictionNumber) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await keep_actors_name(interaction)  # the thread's notice names who reopened it
        reopened, count = await bot.services.disputes.reopen(
            guild_id, number, actor_of(interaction)
        )
        committed(interaction, f"Reopened #{number}")
        bot.dispatch("augury_reopened", reopened.prediction, interaction.user.id, reopened.reason)
        disputes = "1 dispute" if count == 1 else f"{count} disputes"
        await reply_ephemeral(
            interaction,
            f"↩️ Reopened #{number} for its {disputes}: its scores are removed until it is "
            f"resolved again. {UPDATE_FOLLOWS}",
        )

    return group
