"""Forgetting a member: their identity leaves everything the bot stores, their past stays.

In every server where the member appears, one anonymous outside forecaster is created for this
deletion (``outside_forecasters`` with no name), and each of the member's ids is replaced by
its negative id: the vote history (so past community forecasts and everyone else's relative
scores do not move), current votes where voting has closed, authorship, resolutions and the
edit log. Their own score rows, follows and personal settings are deleted. Negative ids are
never pinged, listed or ranked. All of it is one transaction.

Where voting is still open (:func:`bot.domain.rules.voting_open`), the current vote is
withdrawn instead, recorded as the anonymous forecaster's retraction at the moment of
forgetting: the community counted them until then and no longer does. Otherwise a member
could vote, forget and vote again and count twice (then three, four times) under new names.
The past is not rewritten: the history still shows their forecast for the time it stood.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, insert, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.domain.rules import voting_open
from bot.domain.vocabulary import VoteSource
from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import mark_message_stale
from db.models import (
    EarnedRoleHolder,
    Follower,
    MemberName,
    OutsideForecaster,
    Prediction,
    PredictionEdit,
    ReminderMessage,
    ResultMessage,
    RoleChange,
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
    withdrawn: int = 0  # current votes on predictions still open, withdrawn from now on


class PrivacyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def footprint(self, user_id: int) -> tuple[int, int]:
        """(predictions authored, predictions forecast on) across servers: what the confirmation
        says. Both are index lookups (``ix_predictions_author``, ``ix_votes_user``)."""
        async with self._ctx.sessions() as session:
            authored = await session.scalar(authored_count(user_id))
            votes = await session.scalar(forecast_count(user_id))
        return int(authored or 0), int(votes or 0)

    async def forget(self, user_id: int) -> Forgotten:
        if user_id <= 0:
            raise ValueError("only Discord members can be forgotten")
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            guilds = await _guilds_of(session, user_id)
            votes = predictions = withdrawn = 0
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
                withdraw = await _open_votes(session, guild_id, user_id, now)
                withdrawn += len(withdraw)
                votes += await _rewrite(
                    session,
                    VoteEvent.user_id,
                    VoteEvent.prediction_id,
                    user_id,
                    anonymous,
                    in_guild,
                )
                await _withdraw(session, withdraw, user_id, anonymous, now)
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
            # Earned roles (seasons): who the bot gave a role to, and changes still queued.
            await session.execute(
                delete(EarnedRoleHolder).where(EarnedRoleHolder.user_id == user_id)
            )
            await session.execute(delete(RoleChange).where(RoleChange.user_id == user_id))
            await mark_message_stale(session, stale)
            return Forgotten(
                servers=len(guilds),
                votes=votes,
                predictions=predictions,
                scores_deleted=scores.rowcount,  # type: ignore[attr-defined]
                follows_deleted=follows.rowcount,  # type: ignore[attr-defined]
                stale_messages=tuple(sorted(stale)),
                withdrawn=withdrawn,
            )


def authored_count(user_id: int) -> Select[int]:
    return select(func.count()).select_from(Prediction).where(Prediction.author_id == user_id)


def forecast_count(user_id: int) -> Select[int]:
    """Predictions the member has a current forecast on (one per prediction)."""
    return select(func.count()).select_from(Vote).where(Vote.user_id == user_id)


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


async def _open_votes(
    session: AsyncSession, guild_id: int, user_id: int, now: datetime
) -> list[int]:
    """The member's current votes in the guild on predictions whose voting is still open.

    The predictions are locked first (as the vote writer does), so a resolution racing the
    forget either committed before (the vote stays, anonymous, and is scored for others) or
    waits and sees the withdrawal."""
    voted = select(Vote.prediction_id).where(Vote.user_id == user_id)
    await session.execute(
        update(Prediction)
        .where(Prediction.guild_id == guild_id, Prediction.id.in_(voted))
        .values(status=Prediction.status)
        .execution_options(synchronize_session=False)
    )
    rows = await session.execute(
        select(Prediction.id, Prediction.status, Prediction.closes_at).where(
            Prediction.guild_id == guild_id, Prediction.id.in_(voted)
        )
    )
    return sorted(pid for pid, status, closes_at in rows if voting_open(status, closes_at, now))


async def _withdraw(
    session: AsyncSession, prediction_ids: list[int], user_id: int, anonymous: int, now: datetime
) -> None:
    """Remove the current votes and record each as the anonymous forecaster's retraction now
    (the history before it, rewritten to ``anonymous``, keeps the forecast for the time it
    stood)."""
    for start in range(0, len(prediction_ids), 500):
        chunk = prediction_ids[start : start + 500]
        await session.execute(
            delete(Vote)
            .where(Vote.user_id == user_id, Vote.prediction_id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            insert(VoteEvent),
            [
                {
                    "prediction_id": pid,
                    "user_id": anonymous,
                    "permille": None,
                    "source": VoteSource.FORGOTTEN,
                    "created_at": now,
                }
                for pid in chunk
            ],
        )


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
