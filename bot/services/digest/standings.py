"""The standings a digest shows: the one place to point at the running season.

Today it is the all-time leaderboard (relative Brier); when seasons exist, this function is
the one to change so the digest shows the season's standings instead.
"""

from __future__ import annotations

from bot.domain.digest import STANDINGS_SIZE
from bot.services.track_record.stats import Leaderboard, StatsService


async def digest_standings(stats: StatsService, guild_id: int) -> Leaderboard:
    """The top of the server's leaderboard for the digest (all time, relative Brier)."""
    return await stats.leaderboard(guild_id, page_size=STANDINGS_SIZE)
