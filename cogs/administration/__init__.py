"""Administration: ``/augury`` (the server's settings, Manage Server) and ``/timezone``
(a member's own zone)."""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.administration.augury_commands import AdminCog
from cogs.administration.timezone_command import TimezoneCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(AdminCog(bot))
    await bot.add_cog(TimezoneCog(bot))
