"""``/resolve``, ``/predictions reopen``, and the registration of the resolve buttons."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.vocabulary import Outcome
from bot.rendering.replies import actor_of, committed, guild_id_of, reply_ephemeral, shown_later
from bot.runtime.autocomplete import (
    PredictionNumber,
    resolvable_prediction_numbers,
)
from bot.runtime.client import AuguryBot, augury
from bot.runtime.manage_autocomplete import reopenable_prediction_numbers
from bot.runtime.shared_groups import join_group, leave_group
from cogs.resolution.announcement import announce_reopen
from cogs.resolution.confirmation import RESOLVE_ITEMS, confirm_and_announce
from cogs.resolution.results import HowDidIDoButton

OUTCOME_CHOICES = [
    app_commands.Choice(name="yes", value=Outcome.YES.value),
    app_commands.Choice(name="no", value=Outcome.NO.value),
    app_commands.Choice(name="ambiguous (not scored)", value=Outcome.AMBIGUOUS.value),
]


def reopen_command() -> app_commands.Command[Any, ..., None]:
    """``/predictions reopen``, built per bot: the group it joins belongs to that bot."""

    @app_commands.command(name="reopen", description="Undo a resolution (author or moderator)")
    @app_commands.describe(
        number="The prediction's number",
        reason="Why; a moderator must give one once others have voted (the history shows it)",
    )
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=reopenable_prediction_numbers)
    async def reopen(
        interaction: discord.Interaction,
        number: PredictionNumber,
        reason: app_commands.Range[str, 1, limit.REASON_MAX] | None = None,
    ) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        reopened = await bot.services.resolution.reopen(
            guild_id, number, actor_of(interaction), reason=reason
        )
        committed(interaction, f"Reopened #{number}")
        shown = await announce_reopen(
            bot, reopened.prediction, interaction.user.id, reopened.reason
        )
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
        self.bot.add_dynamic_items(*RESOLVE_ITEMS, HowDidIDoButton)
        join_group(self.bot.tree, reopen_command())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*RESOLVE_ITEMS, HowDidIDoButton)
        leave_group(self.bot.tree, "reopen")

    @app_commands.command(name="resolve", description="Resolve a prediction YES, NO or AMBIGUOUS")
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        outcome="What happened",
        note="A short explanation (up to 1000 characters)",
        source="A link or reference that shows the outcome",
    )
    @app_commands.autocomplete(prediction=resolvable_prediction_numbers)
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
