"""``/resolve``, the Yes / No / Ambiguous buttons on reminders, and ``/predictions reopen``."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.vocabulary import Outcome
from bot.rendering.custom_ids import RESOLVE_BUTTON_TEMPLATE
from bot.rendering.prediction_embed import outcome_label
from bot.rendering.replies import (
    actor_of,
    committed,
    guild_id_of,
    reply_ephemeral,
    reports_errors,
    shown_later,
)
from bot.rendering.resolution_buttons import resolve_button
from bot.runtime.autocomplete import PredictionNumber, prediction_numbers
from bot.runtime.client import AuguryBot, augury
from bot.services.resolution import Resolved
from cogs.resolution.announcement import announce_reopen, announce_resolution

OUTCOME_CHOICES = [
    app_commands.Choice(name="yes", value=Outcome.YES.value),
    app_commands.Choice(name="no", value=Outcome.NO.value),
    app_commands.Choice(name="ambiguous (not scored)", value=Outcome.AMBIGUOUS.value),
]
#: The group ``/predictions reopen`` joins (the predictions feature owns it).
PREDICTIONS_GROUP = "predictions"


async def confirm_and_announce(
    bot: AuguryBot, interaction: discord.Interaction, resolved: Resolved
) -> None:
    """Tell the resolver privately what is stored and shown, then make the resolution public."""
    info = resolved.prediction
    summary = f"Resolved #{info.number} {outcome_label(info.outcome)}"
    committed(interaction, summary)
    shown = await bot.public_messages.render_now(info.id)
    await reply_ephemeral(
        interaction,
        f"{summary}.{shown_later(shown)} "
        f"A mistake? `/predictions reopen number:{info.number}` undoes it.",
    )
    await announce_resolution(bot, resolved)


class ResolveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=RESOLVE_BUTTON_TEMPLATE
):
    """A resolve button on a reminder; only the author and moderators may use it."""

    def __init__(self, prediction_id: int, outcome: Outcome) -> None:
        super().__init__(resolve_button(prediction_id, outcome))
        self.prediction_id = prediction_id
        self.outcome = outcome

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ResolveButton:
        return cls(int(match["id"]), Outcome(match["outcome"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        actor = actor_of(interaction)
        number = await bot.services.resolution.can_resolve(guild_id, self.prediction_id, actor)
        await interaction.response.defer(ephemeral=True, thinking=True)
        resolved = await bot.services.resolution.resolve(guild_id, number, actor, self.outcome)
        await confirm_and_announce(bot, interaction, resolved)


def reopen_command() -> app_commands.Command[Any, ..., None]:
    """``/predictions reopen``, built per bot: the group it joins belongs to that bot."""

    @app_commands.command(name="reopen", description="Undo a resolution (author or moderator)")
    @app_commands.describe(number="The prediction's number")
    @app_commands.autocomplete(number=prediction_numbers)
    async def reopen(interaction: discord.Interaction, number: PredictionNumber) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        info = await bot.services.resolution.reopen(guild_id, number, actor_of(interaction))
        committed(interaction, f"Reopened #{number}")
        shown = await announce_reopen(bot, info)
        await reply_ephemeral(
            interaction,
            f"↩️ Reopened #{number}: its scores are removed until it is resolved again."
            + shown_later(shown),
        )

    return reopen


class ResolveCog(commands.Cog):
    """Resolving YES, NO or AMBIGUOUS, and undoing it."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ResolveButton)
        group = self.bot.tree.get_command(PREDICTIONS_GROUP)
        if not isinstance(group, app_commands.Group):
            raise RuntimeError("load cogs.predictions before cogs.resolution")
        group.add_command(reopen_command())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ResolveButton)
        group = self.bot.tree.get_command(PREDICTIONS_GROUP)
        if isinstance(group, app_commands.Group):
            group.remove_command("reopen")

    @app_commands.command(name="resolve", description="Resolve a prediction YES, NO or AMBIGUOUS")
    @app_commands.guild_only()
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        outcome="What happened",
        note="A short explanation (up to 1000 characters)",
        source="A link or reference that shows the outcome",
    )
    @app_commands.autocomplete(prediction=prediction_numbers)
    @app_commands.choices(outcome=OUTCOME_CHOICES)
    async def resolve(
        self,
        interaction: discord.Interaction,
        prediction: PredictionNumber,
        outcome: app_commands.Choice[str],
        note: app_commands.Range[str, 1, limit.NOTE_MAX] | None = None,
        source: app_commands.Range[str, 1, limit.SOURCE_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        resolved = await self.bot.services.resolution.resolve(
            guild_id, prediction, actor_of(interaction), outcome.value, note=note, source=source
        )
        await confirm_and_announce(self.bot, interaction, resolved)
