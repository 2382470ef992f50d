"""The vote form behind the Vote button, routed by custom_id so it survives restarts.

The form object is stopped right after it is sent: its submit is matched by custom_id in an
``on_interaction`` listener, so a form opened before a restart still submits after it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

from bot.domain.kinds import kind_for
from bot.domain.text import REASON_MAX
from bot.domain.vocabulary import VoteSource
from bot.rendering.community import rendering_for
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import VOTE_FORM, VOTE_FORM_PROBABILITY, VOTE_FORM_REASON
from bot.rendering.limits import truncate
from bot.rendering.replies import guild_id_of, reports_errors
from bot.runtime.client import AuguryBot
from bot.services.core.dto import VoteTarget
from cogs.voting.submit import read_forecast, submit_vote

TEXT_INPUT_LABEL = 45  # Discord's limits on a text input's label and placeholder
TEXT_INPUT_PLACEHOLDER = 100
SHORT_INPUT = 100  # longer forecasts (one number per option) get a paragraph field


def vote_form(target: VoteTarget, current: object = None, statement: str = "") -> discord.ui.Modal:
    """The form: the statement being voted on, the forecast as its kind asks for it
    (prefilled with the member's current one) and an optional reason."""
    number = target.number
    kind = kind_for(target.kind, target.kind_spec)
    shown = rendering_for(kind.name)
    modal = discord.ui.Modal(
        title=f"Vote on #{number}", custom_id=VOTE_FORM.custom_id(target.id), timeout=None
    )
    if statement:
        modal.add_item(discord.ui.TextDisplay(truncate(f"**#{number}** · {statement}", 4000)))
    prefilled = shown.prefill(kind, current) if current is not None else shown.starter(kind)
    modal.add_item(
        discord.ui.TextInput(
            label=truncate(shown.forecast_label, TEXT_INPUT_LABEL),
            custom_id=VOTE_FORM_PROBABILITY,
            placeholder=truncate(shown.forecast_placeholder, TEXT_INPUT_PLACEHOLDER) or None,
            default=truncate(prefilled, shown.forecast_max_length) if prefilled else None,
            max_length=shown.forecast_max_length,
            style=discord.TextStyle.short
            if shown.forecast_max_length <= SHORT_INPUT
            else discord.TextStyle.paragraph,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Why? (optional, posted in the thread)",
            custom_id=VOTE_FORM_REASON,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=REASON_MAX,
        )
    )
    return modal


class VoteFormRoute(commands.Cog):
    """Submits of the vote form, from any message and any time."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        prediction_id = VOTE_FORM.prediction_id(custom_id)
        if prediction_id is not None:
            await self._submit(interaction, prediction_id)

    @reports_errors
    async def _submit(self, interaction: discord.Interaction, prediction_id: int) -> None:
        guild_id = guild_id_of(interaction)
        values = submitted_values(interaction.data)
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await self.bot.services.votes.target_by_id(guild_id, prediction_id)
        read = read_forecast(target, values.get(VOTE_FORM_PROBABILITY, ""))
        await submit_vote(
            self.bot,
            interaction,
            prediction_id,
            read.forecast,
            VoteSource.MODAL,
            reason=values.get(VOTE_FORM_REASON),
            note=read.note,
        )
