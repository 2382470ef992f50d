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
from weakref import WeakKeyDictionary

from discord import app_commands

#: The group the predictions feature owns and others join.
PREDICTIONS_GROUP = "predictions"
#: The moderators' group (administration owns it): hidden from members.
AUGURY_GROUP = "augury"
#: Where a joining command waits until its group's feature loads (``/augury`` loads after
#: predictions, whose ``tags rename`` joins it): per tree, so test bots never share them.
GroupMember = app_commands.Command[Any, ..., Any] | app_commands.Group
_waiting: WeakKeyDictionary[app_commands.CommandTree[Any], dict[str, list[GroupMember]]] = (
    WeakKeyDictionary()
)


def join_group(
    tree: app_commands.CommandTree[Any],
    command: GroupMember,
    group_name: str = PREDICTIONS_GROUP,
) -> None:
    """Add ``command`` to the group ``group_name``; if its feature has not loaded yet, the
    command waits for :func:`group_loaded` (``/predictions`` must be loaded first)."""
    group = tree.get_command(group_name)
    if isinstance(group, app_commands.Group):
        group.add_command(command)
    elif group_name == PREDICTIONS_GROUP:
        raise RuntimeError(f"load the feature that owns /{group_name} before adding {command.name}")
    else:
        _waiting.setdefault(tree, {}).setdefault(group_name, []).append(command)


def group_loaded(tree: app_commands.CommandTree[Any], group_name: str) -> None:
    """The feature owning ``group_name`` has loaded it: add the commands waiting for it."""
    group = tree.get_command(group_name)
    if not isinstance(group, app_commands.Group):
        raise RuntimeError(f"/{group_name} is not loaded")
    for command in _waiting.get(tree, {}).pop(group_name, []):
        group.add_command(command)


def leave_group(
    tree: app_commands.CommandTree[Any], command_name: str, group_name: str = PREDICTIONS_GROUP
) -> None:
    """Remove ``command_name`` from ``group_name`` (or from its waiting list) if there."""
    group = tree.get_command(group_name)
    if isinstance(group, app_commands.Group):
        group.remove_command(command_name)
    waiting = _waiting.get(tree, {}).get(group_name, [])
    waiting[:] = [command for command in waiting if command.name != command_name]
