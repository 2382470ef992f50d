"""Commands one feature adds to another feature's slash-command group.

``/predictions`` belongs to the predictions feature, yet ``reopen``, ``export`` and
``link-forecaster`` are other features' commands; no feature imports another, so each joins the
group by name when its cog loads and leaves it when it unloads.
"""

from __future__ import annotations

from typing import Any

from discord import app_commands

#: The group the predictions feature owns and others join.
PREDICTIONS_GROUP = "predictions"


def join_group(
    tree: app_commands.CommandTree[Any],
    command: app_commands.Command[Any, ..., Any],
    group_name: str = PREDICTIONS_GROUP,
) -> None:
    """Add ``command`` to the loaded group ``group_name`` (its feature must load first)."""
    group = tree.get_command(group_name)
    if not isinstance(group, app_commands.Group):
        raise RuntimeError(f"load the feature that owns /{group_name} before adding {command.name}")
    group.add_command(command)


def leave_group(
    tree: app_commands.CommandTree[Any], command_name: str, group_name: str = PREDICTIONS_GROUP
) -> None:
    """Remove ``command_name`` from ``group_name`` if both are still there."""
    group = tree.get_command(group_name)
    if isinstance(group, app_commands.Group):
        group.remove_command(command_name)
