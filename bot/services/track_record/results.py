"""Telling members how they did: "How did I do?", the best callers, and the DM queue.

Members who chose DMs in /notifications get their result by DM. A popular prediction has
thousands of voters, so the DMs are not sent at once: resolving *queues* them
(``result_messages``, in the database, so a restart loses none and sends none twice) and a
sender drains the queue a few at a time, paced (:meth:`ResultsService.claim` /
:meth:`ResultsService.sent`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.kinds import kind_for
from bot.domain.kinds.words import forecast_words, outcome_words, pooled_words
from bot.domain.shards import ShardSet
from bot.domain.vocabulary import Outcome, Status
from bot.services.core.context import ServiceContext
from bot.services.core.dm_queue import mark_handled
from bot.services.core.notifications import DEFAULTS, Topic, Where, load_preferences
from bot.services.core.prediction_rows import community_for, prediction_in_guild
from bot.services.core.shards import on_shards
from bot.services.track_record.stats import StatsService
from db.models import Follower, Prediction, ResultMessage, Score, Vote
from db.upsert import insert_for

BEST_CALLERS = 3


@dataclass(frozen=True)
class QueuedResult:
    """A result DM owed; ``wanted``: the member has not muted results since it was queued."""

    prediction_id: int
    guild_id: int
    user_id: int
    wanted: bool = True


@dataclass(frozen=True)
class MyResult:
    """One member's result on one resolved prediction, and where they stand overall."""

    prediction_id: int
    guild_id: int
    number: int
    status: Status
    outcome: Outcome | None
    permille: int | None  # their forecast at the close, or the last they held (None: no vote)
    withdrawn: bool  # scored on a forecast they held, then retracted before the close
    brier: float | None
    relative_brier: float | None
    community_permille: float | None
    community_brier: float | None
    resolved: int  # their scored forecasts in this server
    mean_brier: float | None
    rank: int | None  # on the leaderboard (None: not ranked yet)
    ranked: int
    # In the kind's own words (every kind; yes/no: "70%", "YES"): the forecast, the
    # community's at the close, what happened. ``yes_no``: a per-mille kind's, whose penalty
    # is the Brier score.
    said: str | None = None
    community_said: str | None = None
    outcome_said: str = ""
    yes_no: bool = True
    mean_relative: float | None = None  # over every kind: the leaderboard's score


@dataclass(frozen=True)
class Caller:
    user_id: int
    permille: int | None  # yes/no; None for another kind (see ``said``)
    brier: float
    said: str = ""  # the forecast in the kind's words


class ResultsService:
    def __init__(self, ctx: ServiceContext, stats: StatsService) -> None:
        self._ctx = ctx
        self._stats = stats

    async def my_result(self, guild_id: int, prediction_id: int, user_id: int) -> MyResult:
        async with self._ctx.sessions() as session:
            row = await prediction_in_guild(session, guild_id, prediction_id)
            score = (
                await session.execute(
                    select(Score.permille, Score.forecast, Score.brier, Score.relative_brier).where(
                        Score.prediction_id == prediction_id, Score.user_id == user_id
                    )
                )
            ).first()
            current = (
                await session.execute(
                    select(Vote.permille, Vote.forecast).where(
                        Vote.prediction_id == prediction_id, Vote.user_id == user_id
                    )
                )
            ).first()
            # Unscored (AMBIGUOUS, or no vote): show the vote they have.
            held = score or current
            permille = held.permille if held else None
            said = (
                forecast_words(row.kind, row.kind_spec, held.permille, held.forecast)
                if held
                else None
            )
            # A per-mille kind (yes/no) is scored by Brier on plain ints and keeps its pool at
            # the close on the row; other kinds keep none: the votes held (frozen since).
            yes_no = kind_for(row.kind, row.kind_spec).per_mille
            if yes_no:
                pooled: object = row.community_permille
            else:
                pooled = (await community_for(session, prediction_id)).pooled
            community_said = pooled_words(row.kind, row.kind_spec, pooled)
        member = await self._stats.member(guild_id, user_id)
        board = await self._stats.leaderboard(guild_id, page_size=1, caller_id=user_id)
        return MyResult(
            prediction_id=prediction_id,
            guild_id=guild_id,
            number=row.number,
            status=row.status,
            outcome=row.outcome,
            permille=permille,
            withdrawn=score is not None and current is None,
            said=said,
            community_said=community_said,
            outcome_said=outcome_words(row.kind, row.kind_spec, row.outcome, row.outcome_value),
            yes_no=yes_no,
            mean_relative=member.mean_relative_brier,
            brier=score.brier if score else None,
            relative_brier=score.relative_brier if score else None,
            community_permille=row.community_permille,
            community_brier=row.community_brier,
            resolved=member.resolved,
            mean_brier=member.mean_brier,
            rank=board.caller.rank if board.caller else None,
            ranked=board.total,
        )

    async def best_callers(self, prediction_id: int, n: int = BEST_CALLERS) -> list[Caller]:
        """The top ``n`` by the kind's penalty on this prediction (ties: better time-averaged
        penalty), each with their forecast in the kind's words."""
        async with self._ctx.sessions() as session:
            setup = (
                await session.execute(
                    select(Prediction.kind, Prediction.kind_spec).where(
                        Prediction.id == prediction_id
                    )
                )
            ).first()
            if setup is None:
                return []
            rows = await session.execute(
                select(Score.user_id, Score.permille, Score.forecast, Score.brier)
                .where(Score.prediction_id == prediction_id)
                .order_by(Score.brier, Score.time_brier, Score.user_id)
                .limit(n)
            )
            return [
                Caller(
                    user_id,
                    permille,
                    brier,
                    forecast_words(setup.kind, setup.kind_spec, permille, forecast),
                )
                for user_id, permille, forecast, brier in rows
            ]

    async def enqueue(self, prediction_id: int, *, tell_again: bool = True) -> int:
        """Queue a result DM for each voter or follower who chose DMs for resolutions.

        ``tell_again=False`` (resolved again to the outcome members were already told): only
        those never sent a result of this prediction are queued, nobody twice.
        """
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            people = await _voters_and_followers(session, prediction_id)
            prefs = await load_preferences(session, people)
            wanted = [
                uid
                for uid in people
                if (p := prefs.get(uid)) is not None
                and p.wants(Topic.RESOLUTIONS)
                and p.where == Where.DM
                and not p.dm_failed
            ]
            if not tell_again:
                told = set(
                    await session.scalars(
                        select(ResultMessage.user_id).where(
                            ResultMessage.prediction_id == prediction_id
                        )
                    )
                )
                wanted = [uid for uid in wanted if uid not in told]
            if not wanted:
                return 0
            insert = insert_for(session, ResultMessage)
            keys = ["prediction_id", "user_id"]
            stmt = (
                insert.on_conflict_do_update(
                    index_elements=keys,
                    set_={"queued_at": insert.excluded.queued_at, "sent_at": None},
                )
                if tell_again
                else insert.on_conflict_do_nothing(index_elements=keys)
            )
            for start in range(0, len(wanted), 1000):
                await session.execute(
                    stmt,
                    [
                        {"prediction_id": prediction_id, "user_id": uid, "queued_at": now}
                        for uid in wanted[start : start + 1000]
                    ],
                )
            return len(wanted)

    async def withdraw(self, prediction_id: int) -> None:
        """A reopen: results not yet sent are no longer true."""
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                delete(ResultMessage).where(
                    ResultMessage.prediction_id == prediction_id, ResultMessage.sent_at.is_(None)
                )
            )

    async def queued(self, limit: int, shards: ShardSet | None = None) -> list[QueuedResult]:
        """The oldest unsent result DMs. With ``shards``, only those of servers on these shards:
        each process sends its own servers' DMs, so two processes never send one twice."""
        async with self._ctx.sessions() as session:
            rows = list(
                await session.execute(
                    select(ResultMessage.prediction_id, Prediction.guild_id, ResultMessage.user_id)
                    .join(Prediction, Prediction.id == ResultMessage.prediction_id)
                    .where(ResultMessage.sent_at.is_(None), on_shards(Prediction.guild_id, shards))
                    .order_by(ResultMessage.queued_at, ResultMessage.prediction_id)
                    .limit(limit)
                )
            )
            prefs = await load_preferences(session, {uid for _, _, uid in rows})
        return [
            QueuedResult(pid, gid, uid, prefs.get(uid, DEFAULTS).wants(Topic.RESOLUTIONS))
            for pid, gid, uid in rows
        ]

    async def pending(self) -> int:
        async with self._ctx.sessions() as session:
            count = await session.scalar(
                select(func.count()).where(ResultMessage.sent_at.is_(None))
            )
            return int(count or 0)

    async def sent(self, done: Iterable[tuple[int, int]]) -> None:
        """Mark (prediction id, member id) pairs as sent (or given up: closed DMs, muted)."""
        now = self._ctx.clock.now()
        pairs = list(done)
        if not pairs:
            return
        async with self._ctx.sessions.begin() as session:
            keys = (ResultMessage.prediction_id, ResultMessage.user_id)
            await mark_handled(session, ResultMessage, keys, pairs, now)


async def _voters_and_followers(session: AsyncSession, prediction_id: int) -> list[int]:
    """Current voters, members scored on it (a retracted forecast is scored too), followers."""
    voters = await session.scalars(select(Vote.user_id).where(Vote.prediction_id == prediction_id))
    scored = await session.scalars(
        select(Score.user_id).where(Score.prediction_id == prediction_id)
    )
    followers = await session.scalars(
        select(Follower.user_id).where(
            Follower.prediction_id == prediction_id, Follower.following.is_(True)
        )
    )
    return list(dict.fromkeys([*voters, *scored, *followers]))
