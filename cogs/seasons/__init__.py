"""Seasons (issue 21): ``/augury season`` (start, end, list, earned roles), the scheduler
that ends seasons and posts each recap once, and the paced sender of earned roles.

The rules and the figures live in :mod:`bot.domain.seasons` and :mod:`bot.services.seasons`;
the season filter of ``/leaderboard`` and ``/stats`` in :mod:`bot.services.track_record`.
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.seasons.commands import SeasonCommandsCog
from cogs.seasons.role_sender import RoleSenderCog
from cogs.seasons.scheduler import SeasonSchedulerCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(SeasonCommandsCog(bot))
    await bot.add_cog(SeasonSchedulerCog(bot))
    await bot.add_cog(RoleSenderCog(bot))
