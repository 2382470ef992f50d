"""Track records: member and server statistics, calibration, leaderboards, vote history.

Everything here is an aggregate query over ``scores`` (written once, at resolution), so a
server with a million scored forecasts never loads them into Python.

Across kinds: every kind's score row holds its own penalty (Brier, multiclass Brier, CRPS) and
the relative penalty against the community over the same time. Only the relative one is on
one scale for every kind (0 = as good as the crowd), so it alone mixes kinds: the leaderboard's
default, and the "relative" figure of ``/stats``. The raw penalty and the log score are each
kind's own (a CRPS is not a Brier), so without a ``kind`` filter they are yes/no's figures;
with one, that kind's. Calibration is yes/no's only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, case, func, literal_column, select

from bot.domain.errors import InvalidInput
from bot.domain.kinds import DEFAULT_KIND, kind_for
from bot.domain.vocabulary import Outcome, Status, Visibility
from bot.forecasting.calibration import BUCKET_WIDTH_PERMILLE, Bucket, buckets_from_totals
from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import prediction_in_guild
from bot.services.predictions.tags import required_tag_id
from bot.services.track_record.choice_history import ChoiceHistory, choice_history
from bot.services.track_record.intervals import (
    IntervalCalibration,
    count_intervals,
    interval_rows,
)
from bot.services.track_record.range_history import RangeHistory, range_history
from bot.services.track_record.score_queries import (
    LeaderboardRow,
    as_float,
    checked_kind,
    count_since,
    members_in,
    min_resolved,
    ranked_rows,
    score_means,
    tagged,
    with_kind,
)
from bot.services.track_record.season_filter import (
    in_season,
    optional_window,
    predictions_in_season,
)
from bot.services.voting.history import load_events, summarise_off_loop
from db.models import Prediction, Score

PERIODS: dict[str, int | None] = {"30d": 30, "90d": 90, "365d": 365, "all": None}
#: Metric name → (scores column, whether higher is better).
METRICS: dict[str, tuple[Any, bool]] = {
    "relative": (Score.relative_brier, False),
    "brier": (Score.brier, False),
    "log": (Score.log_score, True),
}
LEADERBOARD_PAGE_SIZE = 10
#: Before any score: "all time" is spelt as a range so SQLite walks ix_scores_guild_resolved.
#: Rows are appended as predictions resolve, so that index visits the table almost in order;
#: ix_scores_guild_user would visit it at random, 3–4× slower on a million scores.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MemberStats:
    """A member's record in one server; the means are ``None`` when nothing is resolved."""

    guild_id: int
    user_id: int
    resolved: int
    mean_brier: float | None
    mean_time_brier: float | None
    mean_relative_brier: float | None
    mean_log: float | None
    #: The kind the Brier and log means are of (the filter, or yes/no when the relative mean
    #: mixes every kind); ``kind``: the filter asked for (None: every kind).
    scale_kind: str = DEFAULT_KIND
    kind: str | None = None
    other_kinds: bool = False  # some of these scores are of kinds other than yes/no


@dataclass(frozen=True)
class ServerStats:
    """The server's record: its members' scores, and the community forecast's own."""

    guild_id: int
    forecasts: int  # scored forecasts
    members: int  # members with at least one scored forecast
    resolved_predictions: int  # resolved with any outcome, AMBIGUOUS included
    mean_brier: float | None
    mean_time_brier: float | None
    mean_relative_brier: float | None
    mean_log: float | None
    community_scored: int  # resolved YES/NO with at least one vote at the end
    community_brier: float | None
    community_log: float | None
    scale_kind: str = DEFAULT_KIND  # as in MemberStats
    kind: str | None = None
    other_kinds: bool = False


@dataclass(frozen=True)
class Leaderboard:
    rows: tuple[LeaderboardRow, ...]
    page: int  # zero-based, clamped to the pages that exist
    pages: int
    total: int  # members ranked
    period: str
    metric: str
    min_resolved: int
    caller: LeaderboardRow | None  # the caller's row, on this page or not; None: not ranked
    caller_count: int  # the caller's scored forecasts in the period (to say how many are missing)
    #: The kind ranked (None: every kind, on the relative score). The raw metrics are each
    #: kind's own scale, so they rank one kind: yes/no when no kind was asked for.
    kind: str | None = None


@dataclass(frozen=True)
class History:
    """How a prediction's forecasts moved, for the history chart (no member ids)."""

    prediction_id: int
    number: int
    statement: str
    status: Status
    visibility: Visibility
    closes_at: datetime
    outcome: Outcome | None
    community: tuple[tuple[datetime, float], ...]  # median per-mille after each change
    votes: tuple[tuple[datetime, int], ...]  # every vote cast (retractions left out)
    voters: int  # members who ever voted


class StatsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def member(
        self,
        guild_id: int,
        user_id: int,
        tag: str | None = None,
        kind: str | None = None,
        season: str | None = None,
    ) -> MemberStats:
        kind = checked_kind(kind)
        stmt = select(func.count(), *score_means(kind)).where(
            Score.guild_id == guild_id, Score.user_id == user_id
        )
        stmt = with_kind(stmt, kind)
        async with self._ctx.sessions() as session:
            stmt = await tagged(session, stmt, guild_id, tag)
            stmt = in_season(stmt, await optional_window(session, guild_id, season))
            count, yes_no, brier, time_brier, relative, log = (await session.execute(stmt)).one()
        return MemberStats(
            guild_id,
            user_id,
            int(count),
            as_float(brier),
            as_float(time_brier),
            as_float(relative),
            as_float(log),
            scale_kind=kind or DEFAULT_KIND,
            kind=kind,
            other_kinds=yes_no < count,
        )

    async def server(
        self, guild_id: int, kind: str | None = None, season: str | None = None
    ) -> ServerStats:
        kind = checked_kind(kind)
        scores = with_kind(
            select(func.count(), *score_means(kind)).where(
                Score.guild_id == guild_id, Score.resolved_at >= EPOCH
            ),
            kind,
        )
        # Distinct members straight from ix_scores_guild_user: ordered, so no sort is needed.
        members = select(func.count()).select_from(
            with_kind(select(Score.user_id).where(Score.guild_id == guild_id), kind)
            .distinct()
            .subquery()
        )
        # The community's own record is on the kind's scale: yes/no's unless a kind is asked.
        community = select(
            func.count(),
            func.count(Prediction.community_brier),
            func.avg(Prediction.community_brier),
            func.avg(Prediction.community_log),
        ).where(
            Prediction.guild_id == guild_id,
            Prediction.status == Status.RESOLVED,
            Prediction.kind == (kind or DEFAULT_KIND),
        )
        resolved_any = select(func.count()).where(
            Prediction.guild_id == guild_id,
            Prediction.status == Status.RESOLVED,
            *([Prediction.kind == kind] if kind else []),
        )
        async with self._ctx.sessions() as session:
            window = await optional_window(session, guild_id, season)
            scores = in_season(scores, window)
            members = members_in(guild_id, window, members, kind)
            community = predictions_in_season(community, window)
            resolved_any = predictions_in_season(resolved_any, window)
            count, yes_no, brier, time_brier, relative, log = (await session.execute(scores)).one()
            member_count = await session.scalar(members)
            _, scored, c_brier, c_log = (await session.execute(community)).one()
            resolved = await session.scalar(resolved_any)
        return ServerStats(
            guild_id=guild_id,
            forecasts=int(count),
            members=int(member_count or 0),
            resolved_predictions=int(resolved or 0),
            mean_brier=as_float(brier),
            mean_time_brier=as_float(time_brier),
            mean_relative_brier=as_float(relative),
            mean_log=as_float(log),
            community_scored=int(scored),
            community_brier=as_float(c_brier),
            community_log=as_float(c_log),
            scale_kind=kind or DEFAULT_KIND,
            kind=kind,
            other_kinds=yes_no < count,
        )

    async def calibration(
        self,
        guild_id: int,
        user_id: int | None,
        tag: str | None = None,
        kind: str | None = None,
        season: str | None = None,
    ) -> list[Bucket]:
        """All eleven buckets, counted by the database (``None``: the whole server). Per-mille
        forecasts only (yes/no): a ``kind`` filter for a kind of another shape leaves every
        bucket empty.

        ``(permille + 50) / 100`` on integer columns is integer division on both SQLite and
        PostgreSQL (permille is never negative), matching
        :func:`bot.forecasting.calibration.bucket_index`.
        """
        half = literal_column(str(BUCKET_WIDTH_PERMILLE // 2), Integer)
        width = literal_column(str(BUCKET_WIDTH_PERMILLE), Integer)
        bucket = ((Score.permille + half) // width).label("bucket")
        stmt = select(
            bucket,
            func.count(),
            func.sum(case((Score.outcome.is_(True), 1), else_=0)),
            func.sum(Score.permille),
        ).where(Score.guild_id == guild_id, Score.permille.is_not(None))  # yes/no forecasts
        if user_id is None:
            stmt = stmt.where(Score.resolved_at >= EPOCH)
        else:
            stmt = stmt.where(Score.user_id == user_id)
        kind = checked_kind(kind)
        if kind is not None and not kind_for(kind).per_mille:
            return buckets_from_totals([])
        stmt = with_kind(stmt, kind).group_by(bucket)
        async with self._ctx.sessions() as session:
            stmt = await tagged(session, stmt, guild_id, tag)
            stmt = in_season(stmt, await optional_window(session, guild_id, season))
            rows = (await session.execute(stmt)).all()
        return buckets_from_totals(
            (int(index), int(count), int(yes), int(total)) for index, count, yes, total in rows
        )

    async def interval_calibration(
        self, guild_id: int, user_id: int, tag: str | None = None
    ) -> IntervalCalibration:
        """How often the member's 80 % intervals held the answer (numeric and date)."""
        async with self._ctx.sessions() as session:
            stmt = await tagged(session, interval_rows(guild_id, user_id), guild_id, tag)
            rows = (await session.execute(stmt)).all()
        return count_intervals(rows)

    async def range_history(self, guild_id: int, prediction_id: int) -> RangeHistory | None:
        """The fan and density charts' data of a numeric or date question; ``None`` for
        other kinds. Open or resolved alike; callers decide whether votes may be shown."""
        async with self._ctx.sessions() as session:
            return await range_history(session, guild_id, prediction_id)

    async def leaderboard(
        self,
        guild_id: int,
        *,
        period: str = "all",
        metric: str = "relative",
        page: int = 0,
        page_size: int = LEADERBOARD_PAGE_SIZE,
        caller_id: int | None = None,
        tag: str | None = None,
        kind: str | None = None,
        season: str | None = None,
    ) -> Leaderboard:
        """Members with enough scored forecasts in the period, best first, one page of them.

        One statement groups, ranks (window functions) and picks the page, the caller's row
        and the last row (which carries the total), so the scores are scanned once. ``kind``:
        only that kind's questions; without it the relative score ranks every kind together,
        and the raw metrics (each kind's own scale) rank yes/no.
        """
        kind = checked_kind(kind)
        if kind is None and metric != "relative":
            kind = DEFAULT_KIND
        if period not in PERIODS:
            raise InvalidInput(f"The period is one of {', '.join(PERIODS)}; `{period}` is not.")
        if metric not in METRICS:
            raise InvalidInput(f"The metric is one of {', '.join(METRICS)}; `{metric}` is not.")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        column, higher_is_better = METRICS[metric]
        days = PERIODS[period]
        since = EPOCH if days is None else self._ctx.clock.now() - timedelta(days=days)
        async with self._ctx.sessions() as session:
            minimum = await min_resolved(session, guild_id)
            tag_id = None if tag is None else await required_tag_id(session, guild_id, tag)
            window = await optional_window(session, guild_id, season)

            async def ranked(page: int) -> tuple[list[tuple[int, LeaderboardRow]], int]:
                return await ranked_rows(
                    session,
                    guild_id,
                    column,
                    higher_is_better,
                    since,
                    minimum,
                    page * page_size,
                    page_size,
                    caller_id,
                    tag_id,
                    kind,
                    window,
                )

            rows, total = await ranked(page)
            pages = max(1, math.ceil(total / page_size))
            clamped = min(max(page, 0), pages - 1)
            if clamped != page:  # past the end: show the last page instead
                rows, total = await ranked(clamped)
            caller = next((row for _, row in rows if row.user_id == caller_id), None)
            caller_count = caller.count if caller is not None else 0
            if caller is None and caller_id is not None:
                caller_count = await count_since(
                    session, guild_id, caller_id, since, tag_id, kind, window
                )
        start = clamped * page_size
        shown = tuple(row for position, row in rows if start < position <= start + page_size)
        return Leaderboard(
            rows=shown,
            page=clamped,
            pages=pages,
            total=total,
            period=period,
            metric=metric,
            min_resolved=minimum,
            caller=caller,
            caller_count=caller_count,
            kind=kind,
        )

    async def choice_history(self, guild_id: int, prediction_id: int) -> ChoiceHistory | None:
        """A multiple-choice question's pool over time (``None`` for another kind)."""
        async with self._ctx.sessions() as session:
            return await choice_history(session, guild_id, prediction_id)

    async def history(self, guild_id: int, prediction_id: int) -> History:
        """Open or resolved alike; callers decide whether the votes may be shown yet."""
        async with self._ctx.sessions() as session:
            row = await prediction_in_guild(session, guild_id, prediction_id)
            events = await load_events(session, prediction_id)
        community, votes, voters = await summarise_off_loop(events)
        return History(
            prediction_id=row.id,
            number=row.number,
            statement=row.statement,
            status=row.status,
            visibility=row.visibility,
            closes_at=row.closes_at,
            outcome=row.outcome,
            community=community,
            votes=votes,
            voters=voters,
        )
