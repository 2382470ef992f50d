"""Forgetting a member: their identity leaves everything the bot stores, their forecasts stay.

In every server where the member appears, one anonymous outside forecaster is created for this
deletion (``outside_forecasters`` with no name), and each of the member's ids is replaced by
its negative id: current votes and the vote history (so past community forecasts and everyone
else's relative scores do not move), authorship, resolutions and the edit log. Their own score
rows, follows and personal settings are deleted. Negative ids are never pinged, listed or
ranked. All of it is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, delete, func, insert, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.services.context import ServiceContext
from bot.services.prediction_rows import mark_message_stale
from db.models import (
    Follower,
    MemberName,
    OutsideForecaster,
    Prediction,
    PredictionEdit,
    ReminderMessage,
    ResultMessage,
    Score,
    UserSettings,
    Vote,
    VoteEvent,
)


@dataclass(frozen=True)
class Forgotten:
    servers: int  # servers where the member had a record
    votes: int  # vote history entries now anonymous
    predictions: int  # predictions they authored, now anonymous
    scores_deleted: int
    follows_deleted: int
    stale_messages: tuple[int, ...]  # prediction ids whose public message names them


class PrivacyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def footprint(self, user_id: int) -> tuple[int, int]:
        """(predictions authored, forecasts made) across servers: what the confirmation says."""
        async with self._ctx.sessions() as session:
            authored = await session.scalar(
                select(func.count()).select_from(Prediction).where(Prediction.author_id == user_id)
            )
            votes = await session.scalar(
                select(func.count()).select_from(VoteEvent).where(VoteEvent.user_id == user_id)
            )
        return int(authored or 0), int(votes or 0)

    async def forget(self, user_id: int) -> Forgotten:
        if user_id <= 0:
            raise ValueError("only Discord members can be forgotten")
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            guilds = await _guilds_of(session, user_id)
            votes = predictions = 0
            stale: set[int] = set()
            anonymous_ids: list[int] = []
            for guild_id in sorted(guilds):
                anonymous = -int(
                    await session.scalar(
                        insert(OutsideForecaster)
                        .values(guild_id=guild_id, name=None, created_at=now)
                        .returning(OutsideForecaster.id)
                    )
                    or 0
                )
                anonymous_ids.append(anonymous)
                in_guild = select(Prediction.id).where(Prediction.guild_id == guild_id)
                stale |= set(
                    await session.scalars(
                        select(Prediction.id).where(
                            Prediction.guild_id == guild_id,
                            (Prediction.author_id == user_id) | (Prediction.resolver_id == user_id),
                        )
                    )
                )
                stale |= set(
                    await session.scalars(
                        select(Vote.prediction_id).where(
                            Vote.user_id == user_id, Vote.prediction_id.in_(in_guild)
                        )
                    )
                )
                votes += await _rewrite(
                    session,
                    VoteEvent.user_id,
                    VoteEvent.prediction_id,
                    user_id,
                    anonymous,
                    in_guild,
                )
                await _rewrite(
                    session, Vote.user_id, Vote.prediction_id, user_id, anonymous, in_guild
                )
                await _rewrite(
                    session,
                    PredictionEdit.editor_id,
                    PredictionEdit.prediction_id,
                    user_id,
                    anonymous,
                    in_guild,
                )
                result = await session.execute(
                    update(Prediction)
                    .where(Prediction.guild_id == guild_id, Prediction.author_id == user_id)
                    .values(author_id=anonymous)
                    .execution_options(synchronize_session=False)
                )
                predictions += result.rowcount  # type: ignore[attr-defined]
                await session.execute(
                    update(Prediction)
                    .where(Prediction.guild_id == guild_id, Prediction.resolver_id == user_id)
                    .values(resolver_id=anonymous)
                    .execution_options(synchronize_session=False)
                )
            # Their reasons are their words: deleted, not kept anonymously like the numbers.
            for model in (VoteEvent, Vote):
                await session.execute(
                    update(model)
                    .where(model.user_id.in_(anonymous_ids), model.reason.is_not(None))
                    .values(reason=None)
                    .execution_options(synchronize_session=False)
                )
            await session.execute(
                update(Prediction)
                .where(Prediction.claimant_id == user_id)
                .values(claimant_id=None)
                .execution_options(synchronize_session=False)
            )
            await session.execute(delete(MemberName).where(MemberName.user_id == user_id))
            await session.execute(delete(ResultMessage).where(ResultMessage.user_id == user_id))
            await session.execute(delete(ReminderMessage).where(ReminderMessage.user_id == user_id))
            scores = await session.execute(delete(Score).where(Score.user_id == user_id))
            follows = await session.execute(delete(Follower).where(Follower.user_id == user_id))
            await session.execute(delete(UserSettings).where(UserSettings.user_id == user_id))
            await mark_message_stale(session, stale)
            return Forgotten(
                servers=len(guilds),
                votes=votes,
                predictions=predictions,
                scores_deleted=scores.rowcount,  # type: ignore[attr-defined]
                follows_deleted=follows.rowcount,  # type: ignore[attr-defined]
                stale_messages=tuple(sorted(stale)),
            )


async def _guilds_of(session: AsyncSession, user_id: int) -> set[int]:
    """Every server where the member authored, resolved, voted, edited or followed."""
    guild = select(Prediction.guild_id)
    stmt = union(
        guild.where((Prediction.author_id == user_id) | (Prediction.resolver_id == user_id)),
        guild.join(VoteEvent, VoteEvent.prediction_id == Prediction.id).where(
            VoteEvent.user_id == user_id
        ),
        guild.join(Vote, Vote.prediction_id == Prediction.id).where(Vote.user_id == user_id),
        guild.join(PredictionEdit, PredictionEdit.prediction_id == Prediction.id).where(
            PredictionEdit.editor_id == user_id
        ),
        guild.join(Follower, Follower.prediction_id == Prediction.id).where(
            Follower.user_id == user_id
        ),
    )
    return {int(g) for g in (await session.execute(stmt)).scalars()}


async def _rewrite(
    session: AsyncSession,
    column: InstrumentedAttribute[int],
    prediction_column: InstrumentedAttribute[int],
    old: int,
    new: int,
    in_guild: Select[int],
) -> int:
    """``column``: old → new, on the rows of the guild's predictions."""
    result = await session.execute(
        update(column.class_)
        .where(column == old, prediction_column.in_(in_guild))
        .values({column.key: new})
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
