"""The queries under the track-record figures: scores filtered by kind, tag and season, the
means, and the leaderboard's ranking in one statement (:class:`~bot.services.track_record.
stats.StatsService` puts them together)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import server_defaults as defaults
from bot.domain.kinds import DEFAULT_KIND, kind_for
from bot.services.predictions.tags import required_tag_id
from bot.services.track_record.season_filter import SeasonWindow, in_season
from db.models import GuildSettings, Prediction, PredictionTag, Score


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int  # ties share a rank
    user_id: int
    value: float  # the mean of the metric over the period
    count: int  # scored forecasts in the period


def score_means(kind: str | None) -> tuple[Any, ...]:
    """The four means. Every kind: the relative mean mixes them, the others are yes/no's
    (AVG skips the NULLs the CASE gives other kinds' rows). One kind: all four of it."""

    def own(column: Any) -> Any:
        return column if kind is not None else case((Score.permille.is_not(None), column))

    return (
        func.count(Score.permille),  # yes/no's scores among them
        func.avg(own(Score.brier)),
        func.avg(own(Score.time_brier)),
        func.avg(Score.relative_brier),
        func.avg(own(Score.log_score)),
    )


def checked_kind(kind: str | None) -> str | None:
    """A kind filter, refused with the kinds' names when it is not one of them."""
    if kind is None:
        return None
    return kind_for(kind).name


S = TypeVar("S", bound="Select[*tuple[Any, ...]]")


def with_kind(stmt: S, kind: str | None) -> S:
    """Only scores of predictions of ``kind`` (yes/no: its per-mille column, no join)."""
    if kind is None:
        return stmt
    if kind == DEFAULT_KIND:
        return stmt.where(Score.permille.is_not(None))
    return stmt.join(Prediction, Prediction.id == Score.prediction_id).where(
        Prediction.kind == kind
    )


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)


async def min_resolved(session: AsyncSession, guild_id: int) -> int:
    """The guild's leaderboard minimum, or the column default for a guild never configured."""
    value = await session.scalar(
        select(GuildSettings.leaderboard_min_resolved).where(GuildSettings.guild_id == guild_id)
    )
    return int(defaults.LEADERBOARD_MIN_RESOLVED if value is None else value)


async def ranked_rows(
    session: AsyncSession,
    guild_id: int,
    column: Any,
    higher_is_better: bool,
    since: datetime,
    minimum: int,
    offset: int,
    limit: int,
    caller_id: int | None,
    tag_id: int | None = None,
    kind: str | None = None,
    window: SeasonWindow | None = None,
) -> tuple[list[tuple[int, LeaderboardRow]], int]:
    """(position, row) for the page, the caller and the last place; and the ranked total."""
    grouped = select(Score.user_id, func.avg(column).label("value"), func.count().label("n")).where(
        Score.guild_id == guild_id, Score.resolved_at >= since
    )
    grouped = in_season(with_kind(with_tag(grouped, tag_id), kind), window)
    scored = grouped.group_by(Score.user_id).having(func.count() >= minimum).subquery()
    best_first = scored.c.value.desc() if higher_is_better else scored.c.value.asc()
    ranked = select(
        scored.c.user_id,
        scored.c.value,
        scored.c.n,
        func.row_number().over(order_by=(best_first, scored.c.user_id)).label("position"),
        func.rank().over(order_by=best_first).label("rank"),
        func.count().over().label("total"),
    ).subquery()
    wanted = [
        ranked.c.position.between(offset + 1, offset + limit),
        ranked.c.position == ranked.c.total,
    ]
    if caller_id is not None:
        wanted.append(ranked.c.user_id == caller_id)
    stmt = select(ranked).where(or_(*wanted)).order_by(ranked.c.position)
    rows: list[tuple[int, LeaderboardRow]] = []
    total = 0
    for user_id, value, count, position, rank, total_ in await session.execute(stmt):
        rows.append(
            (int(position), LeaderboardRow(int(rank), int(user_id), float(value), int(count)))
        )
        total = int(total_)
    return rows, total


async def count_since(
    session: AsyncSession,
    guild_id: int,
    user_id: int,
    since: datetime,
    tag_id: int | None = None,
    kind: str | None = None,
    window: SeasonWindow | None = None,
) -> int:
    """The member's scores since ``since``; the date is tested per row, not in WHERE, so
    SQLite looks the member up in ix_scores_guild_user instead of scanning the period."""
    stmt = select(func.sum(case((Score.resolved_at >= since, 1), else_=0))).where(
        Score.guild_id == guild_id, Score.user_id == user_id
    )
    stmt = in_season(with_kind(with_tag(stmt, tag_id), kind), window)
    return int(await session.scalar(stmt) or 0)


def members_in(
    guild_id: int, window: SeasonWindow | None, everyone: S, kind: str | None = None
) -> Any:
    """Members with a scored forecast in the season (``everyone`` without one)."""
    if window is None:
        return everyone
    inner = in_season(
        with_kind(select(Score.user_id).where(Score.guild_id == guild_id), kind), window
    )
    return select(func.count()).select_from(inner.distinct().subquery())


def with_tag(stmt: S, tag_id: int | None) -> S:
    """Only scores of predictions carrying the tag: a join on the indexed link table."""
    if tag_id is None:
        return stmt
    return stmt.join(PredictionTag, PredictionTag.prediction_id == Score.prediction_id).where(
        PredictionTag.tag_id == tag_id
    )


async def tagged(session: AsyncSession, stmt: S, guild_id: int, tag: str | None) -> S:
    if tag is None:
        return stmt
    return with_tag(stmt, await required_tag_id(session, guild_id, tag))
