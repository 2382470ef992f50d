"""The standings a digest shows: the running season's when a season runs, else all time.

Read in the digest's own session with the leaderboard's ranking query (relative Brier, the
server's minimum), not through ``StatsService.leaderboard``: that looks the season up again
by name, and the digest's statement budget (a fixed few, whatever the server's size) has no
room for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.digest import STANDINGS_SIZE
from bot.services.track_record.score_queries import LeaderboardRow, min_resolved, ranked_rows
from bot.services.track_record.season_filter import window_of
from bot.services.track_record.stats import EPOCH, METRICS
from db.models import Season


@dataclass(frozen=True)
class DigestStandings:
    rows: tuple[LeaderboardRow, ...]
    season: str | None  # the running season's name; None: all time


async def digest_standings(session: AsyncSession, guild_id: int) -> DigestStandings:
    """The top of the leaderboard: in the running season (its window and tags), or all time."""
    running = await session.scalar(
        select(Season).where(Season.guild_id == guild_id, Season.ended_at.is_(None))
    )
    window = None if running is None else await window_of(session, running)
    column, higher_is_better = METRICS["relative"]
    minimum = await min_resolved(session, guild_id)
    rows, _ = await ranked_rows(
        session,
        guild_id,
        column,
        higher_is_better,
        EPOCH,
        minimum,
        0,
        STANDINGS_SIZE,
        None,
        window=window,
    )
    top = tuple(row for position, row in rows if position <= STANDINGS_SIZE)
    return DigestStandings(top, None if running is None else running.name)
