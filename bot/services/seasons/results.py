"""A season's results: what the recap shows and earned roles are decided from.

Every figure is a query over ``scores`` and ``predictions`` filtered to the season (a window
on the resolution time, and its tags), so it is the same figure ``/leaderboard season:`` and
``/stats season:`` show:

- the top forecasters: the first places of the season's leaderboard (its score: the relative
  Brier, the server's minimum number of resolved forecasts);
- the best calls: on YES/NO questions *most got wrong* (the community forecast, the median,
  was on the wrong side of 50 %), the forecasts on the right side with the best Brier score;
- the biggest surprises: resolved YES/NO questions whose community forecast was furthest from
  the outcome (at least 50 % off: the community did not see it coming);
- the calibration of the season's YES/NO forecasts, and how many members took part.

Disputes (issue 21's other half) mark a prediction "disputed" until moderators settle it;
:data:`DisputedLookup` is where that feature plugs in: ``Services.build`` passes its
``disputed_prediction_ids(session, guild_id)`` (bot/services/disputes/service.py on the
``rituals`` branch), so the results carry a ``disputed`` flag per prediction without this module
knowing how disputes work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.vocabulary import Outcome, Status
from bot.forecasting.calibration import Bucket
from bot.services.core.context import ServiceContext
from bot.services.seasons.service import SeasonInfo
from bot.services.track_record.score_queries import LeaderboardRow
from bot.services.track_record.season_filter import (
    SeasonWindow,
    in_season,
    predictions_in_season,
    window_of,
)
from bot.services.track_record.stats import StatsService
from db.models import Prediction, Score, Season

TOP_SHOWN = 5
CALLS_SHOWN = 3
SURPRISES_SHOWN = 3
#: The community forecast at least this far from the outcome (Brier ≥ 0.25): a surprise.
SURPRISE_BRIER = 0.25

#: ``(session, guild id) → the server's disputed prediction ids``; the disputes feature's.
DisputedLookup = Callable[[AsyncSession, int], Awaitable[Collection[int]]]


async def nothing_disputed(_session: AsyncSession, _guild_id: int) -> Collection[int]:
    """Until a disputes feature is wired in (``Services.build``), no result is disputed."""
    return ()


@dataclass(frozen=True)
class BestCall:
    user_id: int
    prediction_id: int
    number: int
    statement: str
    permille: int  # their forecast of YES
    outcome: bool
    community_permille: float
    brier: float
    disputed: bool = False


@dataclass(frozen=True)
class Surprise:
    prediction_id: int
    number: int
    statement: str
    community_permille: float
    outcome: bool
    disputed: bool = False


@dataclass(frozen=True)
class SeasonResults:
    season: SeasonInfo
    top: tuple[LeaderboardRow, ...]
    min_resolved: int
    best_calls: tuple[BestCall, ...]
    surprises: tuple[Surprise, ...]
    buckets: tuple[Bucket, ...]
    participants: int  # members with at least one scored forecast in the season
    forecasts: int  # scored forecasts in the season
    resolved: int  # predictions resolved in the season (AMBIGUOUS included)
    disputed: frozenset[int] = field(default_factory=frozenset)  # prediction ids


def _wrong_side() -> ColumnElement[bool]:
    """The community forecast (median) was on the wrong side of 50 %: most got it wrong."""
    return or_(
        and_(Prediction.outcome == Outcome.YES, Prediction.community_permille < 500),
        and_(Prediction.outcome == Outcome.NO, Prediction.community_permille > 500),
    )


class SeasonResultsService:
    def __init__(
        self,
        ctx: ServiceContext,
        stats: StatsService,
        disputed: DisputedLookup = nothing_disputed,
    ) -> None:
        self._ctx = ctx
        self._stats = stats
        self._disputed = disputed

    async def results(self, season: SeasonInfo) -> SeasonResults:
        guild_id, name = season.guild_id, season.name
        board = await self._stats.leaderboard(guild_id, season=name, page_size=TOP_SHOWN)
        server = await self._stats.server(guild_id, season=name)
        buckets = await self._stats.calibration(guild_id, None, season=name)
        async with self._ctx.sessions() as session:
            row = await session.get(Season, season.id)
            assert row is not None
            window = await window_of(session, row)
            calls = await self._best_calls(session, guild_id, window)
            surprises = await self._surprises(session, guild_id, window)
            ids = {c.prediction_id for c in calls} | {s.prediction_id for s in surprises}
            disputed = frozenset(await self._disputed(session, guild_id)) & ids
        return SeasonResults(
            season=season,
            top=board.rows,
            min_resolved=board.min_resolved,
            best_calls=tuple(
                BestCall(**{**c.__dict__, "disputed": c.prediction_id in disputed}) for c in calls
            ),
            surprises=tuple(
                Surprise(**{**s.__dict__, "disputed": s.prediction_id in disputed})
                for s in surprises
            ),
            buckets=tuple(buckets),
            participants=server.members,
            forecasts=server.forecasts,
            resolved=server.resolved_predictions,
            disputed=disputed,
        )

    async def _best_calls(
        self, session: AsyncSession, guild_id: int, window: SeasonWindow
    ) -> list[BestCall]:
        p = Prediction
        stmt = (
            select(
                Score.user_id,
                p.id,
                p.number,
                p.statement,
                Score.permille,
                Score.outcome,
                p.community_permille,
                Score.brier,
            )
            .join(p, p.id == Score.prediction_id)
            .where(
                Score.guild_id == guild_id,
                Score.permille.is_not(None),
                Score.user_id > 0,
                p.community_permille.is_not(None),
                _wrong_side(),
                or_(
                    and_(Score.outcome.is_(True), Score.permille > 500),
                    and_(Score.outcome.is_(False), Score.permille < 500),
                ),
            )
            .order_by(Score.brier, p.number, Score.user_id)
            .limit(CALLS_SHOWN)
        )
        stmt = in_season(stmt, window)
        return [
            BestCall(int(u), int(i), int(n), s, int(f or 0), bool(o), float(c or 0), float(b))
            for u, i, n, s, f, o, c, b in await session.execute(stmt)
        ]

    async def _surprises(
        self, session: AsyncSession, guild_id: int, window: SeasonWindow
    ) -> list[Surprise]:
        p = Prediction
        stmt = (
            select(p.id, p.number, p.statement, p.community_permille, p.outcome)
            .where(
                p.guild_id == guild_id,
                p.status == Status.RESOLVED,
                p.outcome.in_((Outcome.YES, Outcome.NO)),
                p.community_permille.is_not(None),
                p.community_brier >= SURPRISE_BRIER,
            )
            .order_by(p.community_brier.desc(), p.number)
            .limit(SURPRISES_SHOWN)
        )
        stmt = predictions_in_season(stmt, window)
        return [
            Surprise(int(i), int(n), s, float(c or 0), o == Outcome.YES)
            for i, n, s, c, o in await session.execute(stmt)
        ]
