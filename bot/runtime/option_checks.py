"""Slash options checked before any handler runs: numbers within their declared range, no NUL.

Discord's client enforces ``min_value``/``max_value`` (``app_commands.Range``), but a payload
is only data: a number past the database's range would reach a query and fail there with an
apology. NUL cannot be stored by PostgreSQL and nothing legitimate contains it. Both get a
clear answer here, once, for every command.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import InvalidInput
from bot.domain.text import NUL_REFUSED

SUBCOMMAND_TYPES = (1, 2)  # SUB_COMMAND, SUB_COMMAND_GROUP
INTEGER, NUMBER = 4, 10


def leaf_options(data: Any) -> Iterator[dict[str, Any]]:
    """The options the member gave, below any subcommand (group)."""
    for option in (data or {}).get("options") or ():
        if option.get("type") in SUBCOMMAND_TYPES:
            yield from leaf_options(option)
        else:
            yield option


def check_options(interaction: discord.Interaction) -> None:
    """Raise :class:`InvalidInput` naming the option that cannot be used."""
    command = interaction.command
    parameters: dict[str, app_commands.Parameter] = {}
    if isinstance(command, app_commands.Command):
        parameters = {p.display_name: p for p in command.parameters}
    for option in leaf_options(interaction.data):
        name, value = str(option.get("name", "")), option.get("value")
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput(f"`{name}`: {NUL_REFUSED}")
        parameter = parameters.get(name)
        if parameter is None or option.get("type") not in (INTEGER, NUMBER):
            continue
        low, high = parameter.min_value, parameter.max_value
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise InvalidInput(f"`{name}` must be a number.")
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidInput(
                f"`{name}` must be between {low if low is not None else '…'} and "
                f"{high if high is not None else '…'}; `{value}` is outside that range."
            )
