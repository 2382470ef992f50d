"""``/augury tags rename``: moderators rename a tag, or merge it into an existing one.

It joins the moderators' ``/augury`` group (hidden from members); the tag service refuses
anyone who is not a moderator, whichever way they reach it.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.domain import option_limits as limit
from bot.domain.text import code_span
from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral
from bot.rendering.words import plural
from bot.runtime.autocomplete import tag_names
from bot.runtime.client import augury


def tags_group() -> app_commands.Group:
    """The ``tags`` subgroup of ``/augury``, built per bot."""
    group = app_commands.Group(name="tags", description="The server's topic tags")

    @group.command(name="rename", description="Rename a tag, or merge it into another (moderators)")
    @app_commands.describe(old="The tag to rename", new="Its new name; an existing tag merges")
    @app_commands.autocomplete(old=tag_names, new=tag_names)
    async def rename(
        interaction: discord.Interaction,
        old: app_commands.Range[str, 1, limit.TAG_TEXT_MAX],
        new: app_commands.Range[str, 1, limit.TAG_TEXT_MAX],
    ) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await bot.services.tags.rename(guild_id, actor_of(interaction), old, new)
        verb = "Merged" if result.merged else "Renamed"
        await reply_ephemeral(
            interaction,
            f"🏷️ {verb} {code_span(result.old)} into {code_span(result.new)}: "
            f"{plural(result.predictions, 'prediction')} now "
            f"{'carries' if result.predictions == 1 else 'carry'} {code_span(result.new)}.",
        )

    return group
