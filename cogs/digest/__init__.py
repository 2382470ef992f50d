"""The weekly digest (issue 21): ``/augury digest`` and the poster that posts it once a week.

The schedule, the claim and the contents live in :mod:`bot.services.digest`; ``commands`` turns
the admin's choices into a service call, ``embed`` draws the digest, ``poster`` posts it.
"""

from __future__ import annotations

from discord.ext import commands

from bot.runtime.client import AuguryBot
from bot.runtime.shared_groups import join_group, leave_group
from cogs.digest.digest_command import COMMAND, digest_command
from cogs.digest.poster import DigestPosterCog

GROUP = "augury"


class DigestCommandsCog(commands.Cog):
    """Adds ``/augury digest`` to the settings group."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        join_group(self.bot.tree, digest_command(), GROUP)

    async def cog_unload(self) -> None:
        leave_group(self.bot.tree, COMMAND, GROUP)


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(DigestCommandsCog(bot))
    await bot.add_cog(DigestPosterCog(bot))
