"""Autocompletes several features share: prediction numbers, time zones and tags."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.domain.actor import Actor
from bot.domain.numbers import NUMBER_MAX
from bot.forecasting.timezones import timezone_choices
from bot.rendering.limits import CHOICE_NAME, truncate
from bot.runtime.client import augury
from bot.services.predictions.finding import Purpose


async def prediction_choices(
    interaction: discord.Interaction, current: str, purpose: Purpose, actor: Actor | None = None
) -> list[app_commands.Choice[int]]:
    """Predictions matching what was typed, for ``purpose`` (and what ``actor`` may manage)."""
    if interaction.guild_id is None:
        return []
    found = await augury(interaction).services.finder.search(
        interaction.guild_id, current, purpose, actor=actor
    )
    return [
        app_commands.Choice(name=truncate(f"#{n} [{state}] · {text}", CHOICE_NAME), value=n)
        for n, text, state in found
    ]


async def prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """The server's predictions by number and text, newest first, each with its state."""
    return await prediction_choices(interaction, current, Purpose.ANY)


async def open_prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """Only predictions open for voting (``/vote``)."""
    return await prediction_choices(interaction, current, Purpose.VOTE)


async def resolvable_prediction_numbers(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """Unresolved predictions, the due ones first (``/resolve``)."""
    return await prediction_choices(interaction, current, Purpose.RESOLVE)


async def time_zones(
    _interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """IANA zone names matching what the member typed."""
    return [app_commands.Choice(name=zone, value=zone) for zone in timezone_choices(current)]


async def tag_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The server's tags; in a comma-separated list, completes the last one and keeps the rest."""
    if interaction.guild_id is None:
        return []
    listed, last = split_tag_list(current)
    found = await augury(interaction).services.tags.search(interaction.guild_id, last)
    return tag_list_choices(listed, found)


def split_tag_list(current: str) -> tuple[list[str], str]:
    """A comma-separated list as typed: the tags done, and the last one, being typed."""
    done, _, last = current.rpartition(",")
    return [part.strip() for part in done.split(",") if part.strip()], last


def tag_list_choices(listed: list[str], found: list[str]) -> list[app_commands.Choice[str]]:
    """Each tag ``found`` completing the list (the listed ones kept, not offered again)."""
    prefix = ", ".join(listed)
    chosen = {name.casefold() for name in listed}
    choices = []
    for name in found:
        if name.casefold() in chosen:
            continue
        value = f"{prefix}, {name}" if prefix else name
        if len(value) <= CHOICE_NAME:
            choices.append(app_commands.Choice(name=value, value=value))
    return choices


#: A prediction number option: Discord's client refuses anything outside what can be stored.
PredictionNumber = app_commands.Range[int, 1, NUMBER_MAX]


async def season_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The server's seasons, the latest first (``/leaderboard season:``, ``/stats season:``)."""
    if interaction.guild_id is None:
        return []
    found = await augury(interaction).services.seasons.names(interaction.guild_id, current)
    return [
        app_commands.Choice(name=name, value=name) for name in found if len(name) <= CHOICE_NAME
    ]
