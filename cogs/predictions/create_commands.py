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
from bot.domain.kinds import DEFAULT_KIND, kind_for, kinds
from bot.domain.text import code_span
from bot.domain.vocabulary import Visibility
from bot.forecasting.dates import find_date_in_text, warm_up_date_search
from bot.rendering.choices import VISIBILITY_CHOICES
from bot.rendering.community import choice_label, rendering_for
from bot.rendering.custom_ids import CREATE_FORM_TEMPLATE, CREATE_KIND_FORM_TEMPLATE
from bot.rendering.date_echo import understood
from bot.rendering.limits import truncate
from bot.rendering.replies import error_text, guild_id_of, reply_ephemeral, reports_errors
from bot.rendering.timestamps import discord_timestamp
from bot.runtime.acting_member import keep_actors_name
from bot.runtime.autocomplete import tag_names
from bot.runtime.client import AuguryBot
from bot.runtime.cooldowns import member_cooldown
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.service import NewPrediction
from cogs.predictions.create_form import KIND_QUESTION, KindChooser, form_inputs, from_form
from cogs.predictions.publishing import target_channel

log = logging.getLogger(__name__)

#: Each /predict posts a message, a thread and reactions: bounded per member.
PREDICT_RATE, PREDICT_PER = 5, 60.0
DATE_DETECT_TIMEOUT = 1.5  # seconds: the answer must come within Discord's 3 s window


#: /predict's kind: every registered kind, yes/no first (the default when left out).
def _choice_name(label: str) -> str:
    """Choices share one case style (lower-case first letter, as every other command's)."""
    return label[:1].lower() + label[1:]


KIND_CHOICES = [
    app_commands.Choice(name=_choice_name(choice_label(kind)), value=kind.name) for kind in kinds()
]
OPEN_ENDS_CHOICES = [
    app_commands.Choice(name="neither: the answer is within the range", value="neither"),
    app_commands.Choice(name="low: it may fall below the lowest value", value="low"),
    app_commands.Choice(name="high: it may fall above the highest value", value="high"),
    app_commands.Choice(name="both", value="both"),
]


class PredictCog(commands.Cog):
    """Preregistering predictions: the slash command and the message menu."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        self.track_menu = app_commands.ContextMenu(
            name="Track as prediction", callback=self.track_as_prediction
        )
        self.track_menu.allowed_contexts = app_commands.AppCommandContext(
            guild=True, dm_channel=False, private_channel=False
        )
        self.track_menu.allowed_installs = app_commands.AppInstallationType(guild=True, user=False)
        bot.tree.add_command(self.track_menu)

    async def cog_load(self) -> None:
        await asyncio.to_thread(warm_up_date_search, self.bot.clock.now())

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.track_menu.name, type=self.track_menu.type)

    @app_commands.command(name="predict", description="Preregister a prediction for the server")
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        statement="What will happen (1–256 characters), e.g. 'The bridge opens before June'",
        resolves="When it can be judged: 2027-06-30, in 3 months, next friday 17:00, end of 2027",
        probability="Your own forecast: 1–99 % or odds 3:1 on yes/no; other kinds as in /vote",
        details="Resolution criteria, context, sources (up to 4000 characters)",
        closes="When voting stops (default: the resolution date)",
        visibility="Whether votes are shown before you vote / before close",
        tags="Topics, comma-separated (up to 5), e.g. climate, europe",
        kind="What kind of answer: yes/no (the default), multiple choice…",
        options="Multiple choice: 2–10 options, separated by |, e.g. OpenAI | Anthropic | Other",
        low="Numeric: the lowest value (date: the earliest date)",
        high="Numeric: the highest value (date: the latest date)",
        unit="Numeric: the unit, e.g. seats, km (optional)",
        open_ends="Numeric or date: may the answer fall outside the range? (default: neither)",
    )
    @app_commands.choices(
        visibility=VISIBILITY_CHOICES, kind=KIND_CHOICES, open_ends=OPEN_ENDS_CHOICES
    )
    @app_commands.autocomplete(tags=tag_names)
    @member_cooldown("predict", rate=PREDICT_RATE, per=PREDICT_PER)
    async def predict(
        self,
        interaction: discord.Interaction,
        statement: app_commands.Range[str, 1, limit.STATEMENT_MAX],
        resolves: app_commands.Range[str, 1, limit.DATE_PHRASE_MAX],
        probability: app_commands.Range[str, 1, limit.FORECAST_TEXT_MAX] | None = None,
        details: app_commands.Range[str, 1, limit.DETAILS_MAX] | None = None,
        closes: app_commands.Range[str, 1, limit.DATE_PHRASE_MAX] | None = None,
        visibility: app_commands.Choice[str] | None = None,
        tags: app_commands.Range[str, 0, limit.TAG_LIST_TEXT_MAX] | None = None,
        kind: app_commands.Choice[str] | None = None,
        options: app_commands.Range[str, 1, limit.OPTIONS_TEXT_MAX] | None = None,
        low: app_commands.Range[str, 1, limit.RANGE_END_MAX] | None = None,
        high: app_commands.Range[str, 1, limit.RANGE_END_MAX] | None = None,
        unit: app_commands.Range[str, 1, limit.UNIT_MAX] | None = None,
        open_ends: app_commands.Choice[str] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        typed = {
            "options": options,
            "low": low,
            "high": high,
            "unit": unit,
            "open_ends": open_ends.value if open_ends else None,
        }
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
            kind=kind.value if kind else DEFAULT_KIND,
            kind_fields={name: text for name, text in typed.items() if text},  # the kind checks
        )
        await create_or_offer_form(self.bot, interaction, new)

    async def track_as_prediction(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        guild_id = guild_id_of(interaction)
        await target_channel(self.bot, interaction)  # refused before the form if it can't post
        tracked = await self.bot.services.votes.target_by_message(message.id)
        if tracked is not None and tracked.guild_id == guild_id:
            raise AuguryError(
                f"That message is prediction #{tracked.number} already: vote on it with its "
                f"buttons or `/vote prediction:{tracked.number}`."
            )
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
        claimant = message.author
        if not claimant.bot:
            await self.bot.services.member_names.seen(guild_id, claimant.id, claimant.display_name)
        chooser = KindChooser(
            statement=text,
            resolves=found[0] if found else "",
            channel_id=message.channel.id,
            message_id=message.id,
            claimant_id=None if claimant.bot else claimant.id,
        )
        await reply_ephemeral(interaction, KIND_QUESTION, view=chooser)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Submits of the create form, from any message and any time (also after a restart)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        match = re.fullmatch(CREATE_FORM_TEMPLATE, custom_id) or re.fullmatch(
            CREATE_KIND_FORM_TEMPLATE, custom_id
        )
        if match is not None:
            claimant = int(match["claimant"]) if match["claimant"] else None
            kind = match.groupdict().get("kind") or DEFAULT_KIND
            await self._submit(
                interaction, int(match["channel"]), int(match["message"]), claimant, kind
            )

    @reports_errors
    async def _submit(
        self,
        interaction: discord.Interaction,
        channel_id: int,
        message_id: int,
        claimant_id: int | None,
        kind: str = DEFAULT_KIND,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        new = from_form(
            interaction,
            guild_id,
            kind,
            source_message_url=message_url(guild_id, channel_id, message_id),
            claimant_id=claimant_id,
        )
        await create_or_offer_form(self.bot, interaction, new)


def message_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


class FixForm(discord.ui.Modal):
    """The form again after a refused ``/predict``, filled with what the member typed.

    In memory (for 15 minutes) because it also keeps the options a form has no field for
    (close date, visibility, tags); after a restart the expired-interaction answer says so.
    """

    def __init__(self, bot: AuguryBot, new: NewPrediction) -> None:
        super().__init__(title="Fix and post your prediction", timeout=900)
        self.bot = bot
        self.new = new
        kind = kind_for(new.kind)
        fields = form_inputs(
            new.statement,
            new.resolves,
            new.probability,
            new.details,
            kind=kind,
            kind_fields=new.kind_fields,
        )
        for item in fields:
            self.add_item(item)

    @reports_errors
    async def on_submit(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        old = self.new
        new = from_form(
            interaction,
            guild_id,
            old.kind,
            closes=old.closes,
            visibility=old.visibility,
            tags=old.tags,
            source_message_url=old.source_message_url,
            claimant_id=old.claimant_id,
        )
        await create_or_offer_form(self.bot, interaction, new)


class FormAgain(discord.ui.View):
    """One button under a refused /predict: the form, filled with what the member typed."""

    def __init__(self, bot: AuguryBot, new: NewPrediction) -> None:
        super().__init__(timeout=900)
        self.bot = bot
        self.new = new

    @discord.ui.button(label="Fix it in a form", emoji="✏️", style=discord.ButtonStyle.primary)
    async def reopen(
        self, interaction: discord.Interaction, _button: discord.ui.Button[FormAgain]
    ) -> None:
        await interaction.response.send_modal(FixForm(self.bot, self.new))


async def create_or_offer_form(
    bot: AuguryBot, interaction: discord.Interaction, new: NewPrediction
) -> None:
    """Create and publish; if refused (nothing was stored), keep what the member typed."""
    await keep_actors_name(interaction)  # the message names its author
    try:
        await create_and_publish(bot, interaction, new)
    except AuguryError as error:
        await offer_form_again(bot, interaction, new, error)


async def offer_form_again(
    bot: AuguryBot, interaction: discord.Interaction, new: NewPrediction, error: AuguryError
) -> None:
    """The refusal names the fix, says the zone dates are read in, and keeps the text."""
    zone = await bot.services.timezones.zone_for(new.author_id, new.guild_id)
    kept = truncate(" ".join(new.statement.split()), 300)
    date = truncate(new.resolves.replace("`", "'"), 100)
    await reply_ephemeral(
        interaction,
        f"⚠️ {error_text(error)}\nNothing was posted. Dates are read in **{zone.key}**. "
        f"Your text is kept: press **Fix it in a form** to correct it and post.\n> {kept}\n"
        f"> resolves: `{date}`",
        view=FormAgain(bot, new),
    )


async def create_and_publish(
    bot: AuguryBot, interaction: discord.Interaction, new: NewPrediction
) -> None:
    """Create, post publicly, remember where; undo the creation if it cannot be posted."""
    channel, warnings = await target_channel(bot, interaction)
    info = await bot.services.predictions.create(new)
    try:
        published = await bot.public_messages.publish(channel, info)
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
    zone = await bot.services.timezones.zone_for(new.author_id, new.guild_id)
    text = _created_reply(
        info, published.message.jump_url, warnings + published.warnings, zone.key, new.resolves
    )
    note = None
    if new.probability:
        kind = kind_for(info.kind, info.kind_spec)
        note = rendering_for(kind.name).read_forecast(kind, new.probability).note
    await reply_ephemeral(interaction, text + (f"\nℹ️ Your forecast: {note}" if note else ""))


def _created_reply(
    info: PredictionInfo, url: str, warnings: list[str], zone: str, phrase: str = ""
) -> str:
    lines = [
        f"✅ Posted prediction **#{info.number}**: {url}",
        f"I understood the resolution date as {understood(info.resolves_at, phrase, zone)} "
        "(`/timezone` to change yours).",
    ]
    if info.closes_at != info.resolves_at:
        lines.append(f"Voting closes {discord_timestamp(info.closes_at, 'F')}.")
    if info.tags:
        lines.append(f"Tagged {', '.join(code_span(tag) for tag in info.tags)}.")
    lines.extend(f"⚠️ {warning}" for warning in warnings)
    return "\n".join(lines)
