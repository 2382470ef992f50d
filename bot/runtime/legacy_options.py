"""Option names a command had in an earlier release, still read when a payload sends them.

0.2.0 settled on one spelling for the prediction a command acts on (``prediction``; several
``/predictions`` subcommands said ``number``). Discord's client only ever sends the names last
synced, but a script, a bridge or a client that has not refreshed its command list may still
send the old one: it is read as the new name instead of failing as a missing option.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.option_checks import leaf_options

#: old option name → the name it became
RENAMED = {"number": "prediction"}


def adopt_renamed_options(interaction: discord.Interaction) -> None:
    """Rename, in place, options sent under an old name the command no longer has."""
    data = interaction.data
    if not data or not data.get("options"):
        return
    try:
        command = interaction.command
    except Exception:  # an unknown command: discord.py answers it as such later
        return
    if not isinstance(command, app_commands.Command):
        return
    names = {parameter.display_name for parameter in command.parameters}
    for option in leaf_options(data):
        new = RENAMED.get(str(option.get("name")))
        if new is not None and new in names and option["name"] not in names:
            option["name"] = new
