"""The **Dispute** button on a resolution post, and the form it opens for the reason.

The click asks the service first (window, one per member), so a member who may not dispute is
told why before typing; the form's submit is routed by its custom_id, so a form opened before
a restart still submits after it. Both end in the same service call as ``/dispute``.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.ext import commands

from bot.domain.text import REASON_MAX
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import DISPUTE_BUTTON, DISPUTE_FORM, DISPUTE_FORM_REASON
from bot.rendering.replies import guild_id_of, reports_errors
from bot.runtime.client import AuguryBot, augury
from cogs.disputes.dispute_commands import record_dispute


def dispute_form(prediction_id: int, number: int) -> discord.ui.Modal:
    modal = discord.ui.Modal(
        title=f"Dispute #{number}'s resolution",
        custom_id=DISPUTE_FORM.custom_id(prediction_id),
        timeout=None,
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Why does the resolution look wrong?",
            custom_id=DISPUTE_FORM_REASON,
            style=discord.TextStyle.paragraph,
            min_length=10,
            max_length=REASON_MAX,
        )
    )
    return modal


class DisputeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=DISPUTE_BUTTON.template
):
    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=DISPUTE_BUTTON.custom_id(prediction_id)))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DisputeButton:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        number = await bot.services.disputes.check(
            guild_id_of(interaction),
            self.prediction_id,
            interaction.user.id,
            is_bot=interaction.user.bot,
        )
        modal = dispute_form(self.prediction_id, number)
        await interaction.response.send_modal(modal)
        modal.stop()  # submits are routed by custom_id, also after a restart


class DisputeFormRoute(commands.Cog):
    """Submits of the dispute form, from any resolution post and any time."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DisputeButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DisputeButton)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        prediction_id = DISPUTE_FORM.prediction_id(str(data.get("custom_id", "")))
        if prediction_id is not None:
            await self._submit(interaction, prediction_id)

    @reports_errors
    async def _submit(self, interaction: discord.Interaction, prediction_id: int) -> None:
        guild_id = guild_id_of(interaction)
        reason = submitted_values(interaction.data).get(DISPUTE_FORM_REASON, "")
        await interaction.response.defer(ephemeral=True, thinking=True)
        number = await self.bot.services.disputes.check(
            guild_id, prediction_id, interaction.user.id, is_bot=interaction.user.bot
        )
        await record_dispute(self.bot, interaction, number, reason)
