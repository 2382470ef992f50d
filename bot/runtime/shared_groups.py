"""Commands one feature adds to another feature's slash-command group.

``/predictions`` belongs to the predictions feature, yet ``reopen`` and ``export`` are other
features' commands; ``/augury`` belongs to administration, yet moderators' ``tags rename``,
``export`` (the whole server) and ``link-forecaster`` belong to predictions and records. No
feature imports another, so each joins the group by name when its cog loads and leaves it when
it unloads.

Discord sets who sees a command per top-level command: a moderator action joins ``/augury``
(listed for Manage Server by default) so members never see it; its service still refuses
whoever is not a moderator, on every path.
"""

from __future__ import annotations

from typing import Any

from discord import app_commands

#: The group the predictions feature owns and others join.
PREDICTIONS_GROUP = "predictions"
#: The moderators' group (administration owns it; it loads first): hidden from members.
AUGURY_GROUP = "augury"


def join_group(
    tree: app_commands.CommandTree[Any],
    command: app_commands.Command[Any, ..., Any] | app_commands.Group,
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
