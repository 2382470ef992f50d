"""Creating predictions: ``/predict`` and the message context menu "Track as prediction".

Both end in :func:`create_and_publish`: validate and store, post publicly (undoing the
creation if it cannot be posted), then tell the author what the bot understood.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.errors import AuguryError
from bot.domain.rules import reactions_count
from bot.domain.text import STATEMENT_MAX
from bot.domain.vocabulary import Visibility
from bot.forecasting.dates import find_date_in_text
from bot.rendering.choices import VISIBILITY_CHOICES
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import (
    CREATE_FORM_DETAILS,
    CREATE_FORM_PROBABILITY,
    CREATE_FORM_RESOLVES,
    CREATE_FORM_STATEMENT,
    CREATE_FORM_TEMPLATE,
    create_form_id,
)
from bot.rendering.limits import MODAL_TITLE, TEXT_INPUT, truncate
from bot.rendering.prediction_message import message_parts
from bot.rendering.replies import guild_id_of, reply_ephemeral, reports_errors
from bot.rendering.timestamps import discord_timestamp
from bot.runtime.autocomplete import tag_names
from bot.runtime.channels import can_manage_messages
from bot.runtime.client import AuguryBot
from bot.services.dto import PredictionInfo
from bot.services.predictions import NewPrediction
from cogs.predictions.publishing import PostableChannel, publish

log = logging.getLogger(__name__)

DATE_DETECT_TIMEOUT = 1.5  # seconds: the modal must open within Discord's 3 s window
DATE_HINT = "e.g. 2027-06-30, in 3 months, next friday 17:00, end of 2027"


class PredictCog(commands.Cog):
    """Preregistering predictions: the slash command and the message menu."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        self.track_menu = app_commands.ContextMenu(
            name="Track as prediction", callback=self.track_as_prediction
        )
        self.track_menu.guild_only = True
        bot.tree.add_command(self.track_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.track_menu.name, type=self.track_menu.type)

    @app_commands.command(name="predict", description="Preregister a prediction for the server")
    @app_commands.guild_only()
    @app_commands.describe(
        statement="What will happen (1–256 characters), e.g. 'The bridge opens before June'",
        resolves="When it can be judged: 2027-06-30, in 3 months, next friday 17:00, end of 2027",
        probability="Your own forecast, 1–99 % (e.g. 70, 70% or 0.7)",
        details="Resolution criteria, context, sources (up to 4000 characters)",
        closes="When voting stops (default: the resolution date)",
        visibility="Whether votes are shown before you vote / before close",
        tags="Topics, comma-separated (up to 5), e.g. climate, europe",
    )
    @app_commands.choices(visibility=VISIBILITY_CHOICES)
    @app_commands.autocomplete(tags=tag_names)
    async def predict(
        self,
        interaction: discord.Interaction,
        statement: app_commands.Range[str, 1, limit.STATEMENT_MAX],
        resolves: app_commands.Range[str, 1, limit.DATE_PHRASE_MAX],
        probability: app_commands.Range[str, 1, limit.PROBABILITY_TEXT_MAX] | None = None,
        details: app_commands.Range[str, 1, limit.DETAILS_MAX] | None = None,
        closes: app_commands.Range[str, 1, limit.DATE_PHRASE_MAX] | None = None,
        visibility: app_commands.Choice[str] | None = None,
        tags: app_commands.Range[str, 0, 200] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        new = NewPrediction(
            guild_id=guild_id,
            author_id=interaction.user.id,
            statement=statement,
            resolves=resolves,
            closes=closes,
            probability=probability,
            details=details,
            visibility=Visibility(visibility.value) if visibility else None,
            channel_id=interaction.channel_id,
            tags=tags,
        )
        await create_and_publish(self.bot, interaction, new)

    async def track_as_prediction(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        guild_id = guild_id_of(interaction)
        text = message.content or ""
        found = None
        if text.strip():
            tz = await self.bot.services.timezones.zone_for(interaction.user.id, guild_id)
            try:
                found = await asyncio.wait_for(
                    asyncio.to_thread(find_date_in_text, text, now=self.bot.clock.now(), tz=tz),
                    timeout=DATE_DETECT_TIMEOUT,
                )
            except TimeoutError:
                log.info("Date detection timed out on message %s", message.id)
        modal = create_form(
            statement=text,
            resolves=found[0] if found else "",
            channel_id=message.channel.id,
            message_id=message.id,
        )
        await interaction.response.send_modal(modal)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Submits of the create form, from any message and any time (also after a restart)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        match = re.fullmatch(CREATE_FORM_TEMPLATE, str(data.get("custom_id", "")))
        if match is not None:
            await self._submit(interaction, int(match["channel"]), int(match["message"]))

    @reports_errors
    async def _submit(
        self, interaction: discord.Interaction, channel_id: int, message_id: int
    ) -> None:
        guild_id = guild_id_of(interaction)
        values = submitted_values(interaction.data)
        await interaction.response.defer(ephemeral=True, thinking=True)
        new = NewPrediction(
            guild_id=guild_id,
            author_id=interaction.user.id,
            statement=values.get(CREATE_FORM_STATEMENT, ""),
            resolves=values.get(CREATE_FORM_RESOLVES, ""),
            probability=values.get(CREATE_FORM_PROBABILITY) or None,
            details=values.get(CREATE_FORM_DETAILS) or None,
            channel_id=interaction.channel_id,
            source_message_url=message_url(guild_id, channel_id, message_id),
        )
        await create_and_publish(self.bot, interaction, new)


def message_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def create_form(
    *, statement: str, resolves: str, channel_id: int, message_id: int
) -> discord.ui.Modal:
    """The create form behind "Track as prediction", prefilled from the message.

    Stopped once sent: its submit is routed by custom_id (:meth:`PredictCog.on_interaction`),
    and everything is rebuilt from the submitted values, so it survives a restart.
    """
    modal = discord.ui.Modal(
        title=truncate("Track as prediction", MODAL_TITLE),
        custom_id=create_form_id(channel_id, message_id),
        timeout=None,
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Statement",
            custom_id=CREATE_FORM_STATEMENT,
            default=truncate(" ".join(statement.split()), STATEMENT_MAX) or None,
            max_length=STATEMENT_MAX,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Resolution date",
            custom_id=CREATE_FORM_RESOLVES,
            default=resolves or None,
            placeholder=None if resolves else f"No date found in the message: {DATE_HINT}",
            max_length=limit.DATE_PHRASE_MAX,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Your forecast (optional)",
            custom_id=CREATE_FORM_PROBABILITY,
            placeholder="1–99 %, e.g. 70",
            required=False,
            max_length=limit.PROBABILITY_TEXT_MAX,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Details (optional)",
            custom_id=CREATE_FORM_DETAILS,
            style=discord.TextStyle.paragraph,
            default=truncate(statement.strip(), TEXT_INPUT)
            if len(statement) > STATEMENT_MAX
            else None,
            required=False,
            max_length=TEXT_INPUT,
        )
    )
    modal.stop()
    return modal


async def create_and_publish(
    bot: AuguryBot, interaction: discord.Interaction, new: NewPrediction
) -> None:
    """Create, post publicly, remember where; undo the creation if it cannot be posted."""
    channel, warnings = await _target_channel(bot, interaction)
    info = await bot.services.predictions.create(new)
    try:
        counted = reactions_count(info.visibility, can_manage_messages(bot, channel.id))
        parts = message_parts(info, bot.clock.now(), reactions_count=counted)
        published = await publish(channel, info, **parts)
    except BaseException:
        await bot.services.predictions.discard(info.id)
        raise
    await bot.services.predictions.attach_message(
        info.id,
        channel_id=published.channel_id,
        message_id=published.message_id,
        thread_id=published.thread_id,
    )
    bot.dispatch("prediction_published", info.id, published.message)
    await reply_ephemeral(
        interaction, _created_reply(info, published.message.jump_url, warnings + published.warnings)
    )


def _created_reply(info: PredictionInfo, url: str, warnings: list[str]) -> str:
    lines = [
        f"✅ Posted prediction **#{info.number}**: {url}",
        f"I understood the resolution date as {discord_timestamp(info.resolves_at, 'F')} "
        f"({discord_timestamp(info.resolves_at, 'R')}).",
    ]
    if info.closes_at != info.resolves_at:
        lines.append(f"Voting closes {discord_timestamp(info.closes_at, 'F')}.")
    if info.tags:
        lines.append(f"Tagged {', '.join(f'`{tag}`' for tag in info.tags)}.")
    lines.extend(f"⚠️ {warning}" for warning in warnings)
    return "\n".join(lines)


async def _target_channel(
    bot: AuguryBot, interaction: discord.Interaction
) -> tuple[PostableChannel, list[str]]:
    """The server's prediction channel if set and reachable, else where the command was used."""
    guild_id = guild_id_of(interaction)
    config = await bot.services.server_config.guild(guild_id)
    warnings: list[str] = []
    if config.prediction_channel_id:
        channel = bot.get_channel(config.prediction_channel_id)
        if isinstance(channel, discord.TextChannel | discord.ForumChannel):
            return channel, warnings
        warnings.append(
            "The server's prediction channel no longer exists, so I posted here. "
            "An admin can set a new one with `/augury channel`."
        )
    here = interaction.channel
    if isinstance(here, discord.TextChannel | discord.ForumChannel):
        return here, warnings
    raise AuguryError(
        "I can only post predictions in a text or forum channel. Use `/predict` in one, "
        "or ask an admin to set a prediction channel with `/augury channel`."
    )
