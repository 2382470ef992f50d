"""``/augury link-forecaster``: a moderator says which member an imported name is.

The logic and the moderator rule live in :mod:`bot.services.records.link`; this checks the
options, calls it and says what moved, what was rescored and where the member's own forecast
won. Names are offered by autocomplete from the server's unlinked outside forecasters. It sits
in the moderators' ``/augury`` group, hidden from members.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.limits import CHOICE_NAME
from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral
from bot.rendering.words import plural
from bot.runtime.client import AuguryBot, augury
from bot.runtime.shared_groups import AUGURY_GROUP, join_group, leave_group
from bot.services.records.link import LinkResult

COMMAND = "link-forecaster"
#: An outside forecaster's name is at most 100 characters (as stored).
NAME_MAX = 100


async def outside_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The server's imported names not yet linked, containing what was typed."""
    if interaction.guild_id is None:
        return []
    names = await augury(interaction).services.records_link.names(interaction.guild_id, current)
    return [app_commands.Choice(name=n, value=n) for n in names if len(n) <= CHOICE_NAME]


def link_text(result: LinkResult) -> str:
    """What the moderator reads: what moved, what was scored, what stayed."""
    member = f"<@{result.member_id}>"
    lines = [
        f"🔗 “{result.name}” is now {member}: {plural(result.forecasts, 'forecast')} on "
        f"{plural(result.predictions, 'prediction')} moved to them, and "
        f"{plural(result.rescored, 'resolved prediction')} "
        f"{'was' if result.rescored == 1 else 'were'} scored again, so those count on their "
        "record and leaderboard."
    ]
    if result.kept_native:
        lines.append(
            f"On {plural(result.kept_native, 'prediction')} {member} had also forecast themselves: "
            f"their own forecast counts there, and “{result.name}”'s stays as history only."
        )
    lines.append("Later imports of this name will be theirs too.")
    return "\n".join(lines)


def link_command() -> app_commands.Command[Any, ..., None]:
    """Built per bot: the group it joins belongs to that bot."""

    @app_commands.command(
        name=COMMAND, description="Link an imported forecaster's name to a member (moderators)"
    )
    @app_commands.describe(
        name="The name from an imported Fatebook or PredictionBook file",
        member="The member whose record it is",
    )
    @app_commands.autocomplete(name=outside_names)
    async def link(
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, NAME_MAX],
        member: discord.User,
    ) -> None:
        bot = augury(interaction)
        if member.bot:
            await reply_ephemeral(interaction, "⚠️ A bot has no record: pick a member.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await bot.services.records_link.link(
            actor_of(interaction), guild_id_of(interaction), name, member.id
        )
        for prediction_id in result.with_messages:
            bot.public_messages.changed(prediction_id)
        await reply_ephemeral(interaction, link_text(result))

    return link


class LinkCog(commands.Cog):
    """Adds ``/augury link-forecaster`` to the moderators' group."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        join_group(self.bot.tree, link_command(), AUGURY_GROUP)

    async def cog_unload(self) -> None:
        leave_group(self.bot.tree, COMMAND, AUGURY_GROUP)
