"""Disputes of a resolution (issue 21): ``/dispute`` for members, the window and the settling
commands under ``/augury`` for moderators. The rules live in :mod:`bot.domain.disputes` and
:mod:`bot.services.disputes`; ``posts`` says what the thread sees and whom it pings."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.runtime.client import AuguryBot
from cogs.disputes.dispute_button import DisputeFormRoute
from cogs.disputes.dispute_commands import dispute_command, settle_group, window_command

GROUP = "augury"


class DisputesCog(commands.Cog):
    """``/dispute``; ``/augury disputes`` and ``/augury dispute`` join the settings group."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.tree.add_command(dispute_command())
        group = self.bot.tree.get_command(GROUP)
        if not isinstance(group, app_commands.Group):
            raise RuntimeError("load the administration feature (/augury) before disputes")
        group.add_command(window_command())
        group.add_command(settle_group())

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command("dispute")
        group = self.bot.tree.get_command(GROUP)
        if isinstance(group, app_commands.Group):
            group.remove_command("disputes")
            group.remove_command("dispute")


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(DisputesCog(bot))
    await bot.add_cog(DisputeFormRoute(bot))
