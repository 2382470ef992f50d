"""``/resolve`` and the persistent resolution buttons."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import AuguryBot
from bot.rendering.replies import actor_of, guild_id_of
from bot.rendering.resolve_buttons import ResolveButton, resolve_followup
from cogs.predictions import number_autocomplete

OUTCOME_CHOICES = [
    app_commands.Choice(name="yes", value="yes"),
    app_commands.Choice(name="no", value="no"),
    app_commands.Choice(name="ambiguous (not scored)", value="ambiguous"),
]


class ResolveCog(commands.Cog):
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        bot.add_dynamic_items(ResolveButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ResolveButton)

    @app_commands.command(name="resolve", description="Resolve a prediction YES, NO or AMBIGUOUS")
    @app_commands.guild_only()
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        outcome="What happened",
        note="A short explanation (up to 1000 characters)",
        source="A link or reference that shows the outcome",
    )
    @app_commands.autocomplete(prediction=number_autocomplete)
    @app_commands.choices(outcome=OUTCOME_CHOICES)
    async def resolve(
        self,
        interaction: discord.Interaction,
        prediction: int,
        outcome: app_commands.Choice[str],
        note: str | None = None,
        source: str | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        resolved = await self.bot.services.resolution.resolve(
            guild_id, prediction, actor_of(interaction), outcome.value, note=note, source=source
        )
        await resolve_followup(self.bot, interaction, resolved)


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(ResolveCog(bot))
