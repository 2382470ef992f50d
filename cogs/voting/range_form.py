"""Numeric and date questions from the message: the Forecast button opens a form with the
median and the 80 % interval's ends (prefilled with the member's current forecast); the
submit is routed by custom_id, so a form opened before a restart still submits after it.
The bot repeats back what it understood ("median 42 seats, 80 % between 30 and 60")."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.ext import commands

from bot.domain.errors import InvalidInput
from bot.domain.kinds import kind_for
from bot.domain.kinds.ranges import RangeForecast, RangeKind
from bot.domain.vocabulary import VoteSource
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import RANGE_BUTTON, RANGE_FORM
from bot.rendering.limits import truncate
from bot.rendering.replies import guild_id_of, reports_errors
from bot.runtime.client import AuguryBot, augury
from bot.services.core.dto import PredictionInfo
from cogs.voting.submit import submit_vote

#: A value typed in one field: a number or a date is short.
FIELD_MAX = 40


def range_kind_of(info: PredictionInfo | None) -> RangeKind:
    """The question's kind, if it takes a median and an interval."""
    kind = kind_for(info.kind, info.kind_spec) if info is not None else None
    if not isinstance(kind, RangeKind):
        raise InvalidInput("This question takes another kind of forecast: see its message.")
    return kind


def range_form(
    info: PredictionInfo, kind: RangeKind, current: RangeForecast | None
) -> discord.ui.Modal:
    """Three fields, in the order forecasters think: the middle, then how low, how high."""
    modal = discord.ui.Modal(
        title=f"Forecast #{info.number}", custom_id=RANGE_FORM.custom_id(info.id), timeout=None
    )
    modal.add_item(discord.ui.TextDisplay(truncate(f"**#{info.number}** · {info.statement}", 4000)))
    example = kind.show_value(kind.spec.from_unit(0.5), True)
    shown = (
        (
            kind.show_value(current.median),
            kind.show_value(current.p10),
            kind.show_value(current.p90),
        )
        if current is not None
        else (None, None, None)
    )
    labels = (
        "Median (as likely below as above)",
        "10th percentile (10 % chance below)",
        "90th percentile (10 % chance above)",
    )
    for custom_id, label, default in zip(("median", "p10", "p90"), labels, shown, strict=True):
        modal.add_item(
            discord.ui.TextInput(
                label=label,
                custom_id=custom_id,
                placeholder=f"e.g. {example}",
                default=default,
                max_length=FIELD_MAX,
            )
        )
    return modal


class RangeForecastButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=RANGE_BUTTON.template
):
    """Forecast: opens the form, prefilled with the member's current forecast."""

    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=RANGE_BUTTON.custom_id(prediction_id)))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RangeForecastButton:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        info = await bot.services.predictions.by_id(self.prediction_id)
        kind = range_kind_of(info)
        assert info is not None
        mine = await bot.services.votes.my_vote(guild_id, self.prediction_id, interaction.user.id)
        current = mine.current_forecast
        modal = range_form(info, kind, current if isinstance(current, RangeForecast) else None)
        await interaction.response.send_modal(modal)
        modal.stop()  # submits are routed by custom_id, also after a restart


class RangeFormRoute(commands.Cog):
    """Submits of the Forecast form, from any message and any time."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        prediction_id = RANGE_FORM.prediction_id(str(data.get("custom_id", "")))
        if prediction_id is not None:
            await self._submit(interaction, prediction_id)

    @reports_errors
    async def _submit(self, interaction: discord.Interaction, prediction_id: int) -> None:
        guild_id_of(interaction)
        values = submitted_values(interaction.data)
        info = await self.bot.services.predictions.by_id(prediction_id)
        kind = range_kind_of(info)
        forecast = kind.forecast_from_fields(
            values.get("median", ""), values.get("p10", ""), values.get("p90", "")
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        # The same path as /vote: recorded, the message redrawn, repeated back in words.
        await submit_vote(self.bot, interaction, prediction_id, forecast, VoteSource.MODAL)
