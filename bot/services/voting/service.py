"""Voting: every way to vote (slash, modal, reaction) ends in :meth:`VoteService.vote`.

Writes go through :class:`~bot.services.voting.writer.VoteWriter` (group commit); reads here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import PredictionGone, PredictionNotFound
from bot.domain.kinds import kind_for
from bot.domain.text import REASON_MAX, clean_optional
from bot.domain.vocabulary import VoteSource
from bot.services.core.context import ServiceContext
from bot.services.core.dto import Community, MyVote, VoteResult, VoteTarget
from bot.services.core.prediction_rows import community_for
from bot.services.voting.writer import TARGET_COLUMNS, VoteRequest, VoteWriter, target_from
from db.models import Follower, Prediction, Score, Vote, VoteEvent
from db.upsert import insert_for


class VoteService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._writer = VoteWriter(ctx)

    async def target_by_id(self, guild_id: int, prediction_id: int) -> VoteTarget:
        async with self._ctx.sessions() as session:
            return await _target(session, guild_id, Prediction.id == prediction_id, None)

    async def target_by_number(self, guild_id: int, number: int) -> VoteTarget:
        async with self._ctx.sessions() as session:
            return await _target(
                session,
                guild_id,
                (Prediction.guild_id == guild_id) & (Prediction.number == number),
                number,
            )

    async def target_by_message(self, message_id: int) -> VoteTarget | None:
        """The prediction whose public message this is (reactions arrive by message id)."""
        async with self._ctx.sessions() as session:
            row = (
                await session.execute(
                    select(*TARGET_COLUMNS).where(Prediction.message_id == message_id)
                )
            ).first()
            return None if row is None else target_from(row)

    async def vote(
        self,
        guild_id: int,
        prediction_id: int,
        user_id: int,
        forecast: object,
        source: VoteSource,
        reason: str | None = None,
    ) -> VoteResult:
        """Record or replace the member's vote (and its optional reason); durable on return.

        ``forecast`` is of the prediction's kind (yes/no: per-mille), checked by the kind.
        """
        reason = clean_optional(reason, REASON_MAX, "reason")
        return await self._writer.submit(
            VoteRequest(guild_id, prediction_id, user_id, forecast, source, reason=reason)
        )

    async def retract(
        self,
        guild_id: int,
        prediction_id: int,
        user_id: int,
        source: VoteSource,
        *,
        only_if: object = None,
    ) -> VoteResult | None:
        """Withdraw the member's vote (``only_if``: only when it currently equals that value).

        ``None`` when there was nothing to withdraw.
        """
        result = await self._writer.submit(
            VoteRequest(guild_id, prediction_id, user_id, None, source, only_if)
        )
        return result if result.changed else None

    async def community(self, prediction_id: int) -> Community:
        async with self._ctx.sessions() as session:
            return await community_for(session, prediction_id)

    async def my_vote(self, guild_id: int, prediction_id: int, user_id: int) -> MyVote:
        async with self._ctx.sessions() as session:
            target = await _target(session, guild_id, Prediction.id == prediction_id, None)
            kind = kind_for(target.kind, target.kind_spec)
            current_row = (
                await session.execute(
                    select(Vote.permille, Vote.forecast, Vote.reason).where(
                        Vote.prediction_id == prediction_id, Vote.user_id == user_id
                    )
                )
            ).first()
            current = current_row.permille if current_row else None
            events = (
                await session.execute(
                    select(
                        VoteEvent.created_at,
                        VoteEvent.permille,
                        VoteEvent.source,
                        VoteEvent.forecast,
                    )
                    .where(VoteEvent.prediction_id == prediction_id, VoteEvent.user_id == user_id)
                    .order_by(VoteEvent.created_at, VoteEvent.id)
                )
            ).all()
            following = await session.scalar(
                select(Follower.following).where(
                    Follower.prediction_id == prediction_id, Follower.user_id == user_id
                )
            )
            score = (
                await session.execute(
                    select(Score.brier, Score.relative_brier).where(
                        Score.prediction_id == prediction_id, Score.user_id == user_id
                    )
                )
            ).first()

            def loaded(permille: int | None, payload: object) -> object:
                if permille is None and payload is None:
                    return None  # a retraction
                return kind.load_forecast(permille, payload)

            return MyVote(
                target,
                current,
                tuple((e.created_at, e.permille, e.source) for e in events),
                bool(following),
                reason=current_row.reason if current_row else None,
                brier=score.brier if score else None,
                relative_brier=score.relative_brier if score else None,
                current_forecast=(
                    loaded(current_row.permille, current_row.forecast) if current_row else None
                ),
                history_forecasts=tuple(loaded(e.permille, e.forecast) for e in events),
            )

    async def set_following(
        self, guild_id: int, prediction_id: int, user_id: int, following: bool | None = None
    ) -> bool:
        """Follow, unfollow, or (``None``) toggle; returns whether the member now follows."""
        async with self._ctx.sessions.begin() as session:
            await _target(session, guild_id, Prediction.id == prediction_id, None)
            current = await session.scalar(
                select(Follower.following).where(
                    Follower.prediction_id == prediction_id, Follower.user_id == user_id
                )
            )
            wanted = (not current) if following is None else following
            stmt = insert_for(session, Follower).values(
                prediction_id=prediction_id, user_id=user_id, following=wanted
            )
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["prediction_id", "user_id"], set_={"following": wanted}
                )
            )
            return wanted


async def _target(
    session: AsyncSession, guild_id: int, condition: object, number: int | None
) -> VoteTarget:
    row = (await session.execute(select(*TARGET_COLUMNS).where(condition))).first()  # type: ignore[arg-type]
    if row is None or row.guild_id != guild_id:
        if number is not None:
            raise PredictionNotFound(number)
        raise PredictionGone()
    return target_from(row)
