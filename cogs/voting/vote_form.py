"""The vote form behind the Vote button, routed by custom_id so it survives restarts.

The form object is stopped right after it is sent: its submit is matched by custom_id in an
``on_interaction`` listener, so a form opened before a restart still submits after it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.text import REASON_MAX
from bot.domain.vocabulary import VoteSource
from bot.forecasting.probability import format_probability, read_probability
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import VOTE_FORM, VOTE_FORM_PROBABILITY, VOTE_FORM_REASON
from bot.rendering.limits import truncate
from bot.rendering.replies import guild_id_of, reports_errors
from bot.runtime.client import AuguryBot
from cogs.voting.submit import submit_vote


def vote_form(
    prediction_id: int, number: int, current: int | None, statement: str = ""
) -> discord.ui.Modal:
    """The form: the statement being voted on, the probability (prefilled with the member's
    current vote) and an optional reason."""
    modal = discord.ui.Modal(
        title=f"Vote on #{number}", custom_id=VOTE_FORM.custom_id(prediction_id), timeout=None
    )
    if statement:
        modal.add_item(discord.ui.TextDisplay(truncate(f"**#{number}** · {statement}", 4000)))
    modal.add_item(
        discord.ui.TextInput(
            label="How likely is it? (1–99 %)",
            custom_id=VOTE_FORM_PROBABILITY,
            placeholder="e.g. 70, 70%, 0.7, or odds 3:1 or 1 in 5",
            default=format_probability(current).rstrip("%") if current else None,
            max_length=limit.PROBABILITY_TEXT_MAX,
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
        guild_id_of(interaction)
        values = submitted_values(interaction.data)
        read = read_probability(values.get(VOTE_FORM_PROBABILITY, ""))
        await interaction.response.defer(ephemeral=True, thinking=True)
        await submit_vote(
            self.bot,
            interaction,
            prediction_id,
            read.permille,
            VoteSource.MODAL,
            reason=values.get(VOTE_FORM_REASON),
            note=read.note,
        )
