"""Autocompletes that fit the command: only what the member can act on with it.

``edit`` and ``cancel`` offer the open predictions the member may manage (their own; a
moderator's: all), ``reopen`` the resolved ones they may manage, and ``remove_tags`` the tags
the chosen prediction carries. The rules (who manages what, which states are final) are the
services'; these only translate the interaction and shape the choices.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.rendering.replies import actor_of
from bot.runtime.autocomplete import prediction_choices, split_tag_list, tag_list_choices
from bot.runtime.client import augury
from bot.services.predictions.finding import Purpose


async def editable_prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """Open predictions the member may edit or cancel, newest first (``edit``, ``cancel``)."""
    return await prediction_choices(interaction, current, Purpose.MANAGE, actor_of(interaction))


async def reopenable_prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """Resolved predictions the member may reopen, the latest to resolve first (``reopen``)."""
    return await prediction_choices(interaction, current, Purpose.REOPEN, actor_of(interaction))


async def own_tag_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """``remove_tags``: the chosen prediction's tags not listed yet; in a comma-separated list,
    completes the last one and keeps the rest. Nothing until a prediction is chosen."""
    number = getattr(interaction.namespace, "prediction", None)
    if interaction.guild_id is None or not isinstance(number, int):
        return []
    listed, last = split_tag_list(current)
    found = await augury(interaction).services.tags.of_prediction(
        interaction.guild_id, number, last
    )
    return tag_list_choices(listed, found)
