"""A season as a filter on scores: a ``resolved_at`` window and, for a season with tags, the
predictions carrying one of them.

The window is a range on ``scores.resolved_at``, so the leaderboard keeps walking
ix_scores_guild_resolved (and one member's record ix_scores_guild_user_cover); the tags are an
``EXISTS`` on prediction_tags' primary key, so a prediction with two of the season's tags still
counts once. A running season's window is open at the end (up to now).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import NotFound
from bot.domain.seasons import season_name
from bot.domain.text import code_span
from db.models import Prediction, PredictionTag, Score, Season, Tag

S = TypeVar("S", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class SeasonWindow:
    season_id: int
    name: str
    start: datetime
    end: datetime | None  # None: still running
    tag_ids: tuple[int, ...] | None  # None: every prediction counts

    def contains(self, moment: datetime) -> bool:
        return moment >= self.start and (self.end is None or moment < self.end)


async def window_of(session: AsyncSession, season: Season) -> SeasonWindow:
    """The season's window; its tags are looked up by name now (a tag created after the season
    started still counts, one never created matches nothing)."""
    names = list(season.tags or []) if isinstance(season.tags, list) else []
    tag_ids: tuple[int, ...] | None = None
    if names:
        found = await session.scalars(
            select(Tag.id).where(Tag.guild_id == season.guild_id, Tag.name.in_(names))
        )
        tag_ids = tuple(sorted(found))
    end = season.ended_at
    return SeasonWindow(season.id, season.name, season.started_at, end, tag_ids)


async def season_window(session: AsyncSession, guild_id: int, name: str) -> SeasonWindow:
    """The server's season called ``name`` (as typed), or an error saying how to find one."""
    wanted = season_name(name)
    row = await session.scalar(
        select(Season).where(Season.guild_id == guild_id, Season.name == wanted)
    )
    if row is None:
        raise NotFound(
            f"This server has no season called {code_span(wanted)}. Type in the `season` "
            "option to pick one of the server's seasons."
        )
    return await window_of(session, row)


def _tagged(prediction_id: Any, tag_ids: tuple[int, ...]) -> ColumnElement[bool]:
    return exists().where(
        PredictionTag.prediction_id == prediction_id, PredictionTag.tag_id.in_(tag_ids)
    )


def in_season(stmt: S, window: SeasonWindow | None) -> S:
    """Only scores of predictions resolved in the season (and carrying one of its tags)."""
    if window is None:
        return stmt
    stmt = stmt.where(Score.resolved_at >= window.start)
    if window.end is not None:
        stmt = stmt.where(Score.resolved_at < window.end)
    if window.tag_ids is not None:
        stmt = stmt.where(_tagged(Score.prediction_id, window.tag_ids))
    return stmt


def predictions_in_season(stmt: S, window: SeasonWindow | None) -> S:
    """The same filter on predictions (the community's own record)."""
    if window is None:
        return stmt
    stmt = stmt.where(Prediction.resolved_at >= window.start)
    if window.end is not None:
        stmt = stmt.where(Prediction.resolved_at < window.end)
    if window.tag_ids is not None:
        stmt = stmt.where(_tagged(Prediction.id, window.tag_ids))
    return stmt


async def optional_window(
    session: AsyncSession, guild_id: int, season: str | None
) -> SeasonWindow | None:
    return None if season is None else await season_window(session, guild_id, season)
