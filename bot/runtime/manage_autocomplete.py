"""Autocompletes that fit the command: only what the member can act on with it.

``edit`` and ``cancel`` offer the open predictions the member may manage (their own; a
moderator's: all), ``reopen`` the resolved ones they may manage, and ``remove_tags`` the tags
the chosen prediction carries. The rules (who manages what, which states are final) are the
services'; these only translate the interaction and shape the choices.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.rendering.limits import CHOICE_NAME, truncate
from bot.rendering.replies import actor_of
from bot.runtime.client import augury
from bot.services.predictions.finding import Purpose


async def _managed(
    interaction: discord.Interaction, current: str, purpose: Purpose
) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    found = await augury(interaction).services.finder.search(
        interaction.guild_id, current, purpose, actor=actor_of(interaction)
    )
    return [
        app_commands.Choice(name=truncate(f"#{n} [{state}] · {text}", CHOICE_NAME), value=n)
        for n, text, state in found
    ]


async def editable_prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """Open predictions the member may edit or cancel, newest first (``edit``, ``cancel``)."""
    return await _managed(interaction, current, Purpose.MANAGE)


async def reopenable_prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """Resolved predictions the member may reopen, the latest to resolve first (``reopen``)."""
    return await _managed(interaction, current, Purpose.REOPEN)


async def own_tag_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """``remove_tags``: the chosen prediction's tags not listed yet; in a comma-separated list,
    completes the last one and keeps the rest. Nothing until a prediction is chosen."""
    number = getattr(interaction.namespace, "prediction", None)
    if interaction.guild_id is None or not isinstance(number, int):
        return []
    done, _, last = current.rpartition(",")
    listed = [part.strip() for part in done.split(",") if part.strip()]
    found = await augury(interaction).services.tags.of_prediction(
        interaction.guild_id, number, last
    )
    prefix = ", ".join(listed)
    chosen = {name.casefold() for name in listed}
    choices = []
    for name in found:
        if name in chosen:
            continue
        value = f"{prefix}, {name}" if prefix else name
        if len(value) <= CHOICE_NAME:
            choices.append(app_commands.Choice(name=value, value=value))
    return choices
