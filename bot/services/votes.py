"""Voting: every way to vote (slash, modal, reaction) ends in :meth:`VoteService.vote`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import InvalidState, NotFound, PredictionNotFound, VotingClosed
from bot.services.base import ServiceContext
from bot.services.dto import Community
from bot.services.records import community_for
from bot.services.vote_store import retract_vote, upsert_vote
from db.models import Follower, Prediction, Status, Vote, VoteEvent
from db.upsert import insert_for


@dataclass(frozen=True)
class Target:
    """The few facts about a prediction that voting needs."""

    id: int
    guild_id: int
    number: int
    author_id: int
    status: str
    closes_at: datetime
    visibility: str
    channel_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class VoteResult:
    target: Target
    previous: int | None
    permille: int | None  # None: retracted
    previous_source: str | None = None


@dataclass(frozen=True)
class MyVote:
    target: Target
    current: int | None
    history: tuple[tuple[datetime, int | None, str], ...]
    following: bool


_TARGET_COLUMNS = (
    Prediction.id, Prediction.guild_id, Prediction.number, Prediction.author_id,
    Prediction.status, Prediction.closes_at, Prediction.visibility, Prediction.channel_id,
    Prediction.message_id,
)


class VoteService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def target_by_id(self, guild_id: int, prediction_id: int) -> Target:
        async with self._ctx.sessions() as session:
            return await _target(session, guild_id, Prediction.id == prediction_id, None)

    async def target_by_number(self, guild_id: int, number: int) -> Target:
        async with self._ctx.sessions() as session:
            return await _target(
                session, guild_id,
                (Prediction.guild_id == guild_id) & (Prediction.number == number), number,
            )

    async def target_by_message(self, message_id: int) -> Target | None:
        """The prediction whose public message this is (reactions arrive by message id)."""
        async with self._ctx.sessions() as session:
            row = (
                await session.execute(
                    select(*_TARGET_COLUMNS).where(Prediction.message_id == message_id)
                )
            ).first()
            return None if row is None else Target(*row)

    async def vote(
        self, guild_id: int, prediction_id: int, user_id: int, permille: int, source: str
    ) -> VoteResult:
        """Record or replace the member's vote; one transaction, safe under any interleaving."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            target = await _target(session, guild_id, Prediction.id == prediction_id, None)
            _check_open(target, now)
            previous = (
                await session.execute(
                    select(Vote.permille, Vote.source).where(
                        Vote.prediction_id == prediction_id, Vote.user_id == user_id
                    )
                )
            ).first()
            await upsert_vote(
                session, prediction_id=prediction_id, user_id=user_id, permille=permille,
                source=source, now=now,
            )
        if previous is None:
            return VoteResult(target, None, permille)
        return VoteResult(target, previous[0], permille, previous[1])

    async def retract(
        self, guild_id: int, prediction_id: int, user_id: int, source: str,
        *, only_if: int | None = None,
    ) -> VoteResult | None:
        """Withdraw the member's vote (``only_if``: only when it currently equals that value)."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            target = await _target(session, guild_id, Prediction.id == prediction_id, None)
            _check_open(target, now)
            current = await session.scalar(
                select(Vote.permille).where(
                    Vote.prediction_id == prediction_id, Vote.user_id == user_id
                )
            )
            if current is None or (only_if is not None and current != only_if):
                return None
            await retract_vote(
                session, prediction_id=prediction_id, user_id=user_id, source=source, now=now
            )
        return VoteResult(target, current, None)

    async def community(self, prediction_id: int) -> Community:
        async with self._ctx.sessions() as session:
            return await community_for(session, prediction_id)

    async def my_vote(self, guild_id: int, prediction_id: int, user_id: int) -> MyVote:
        async with self._ctx.sessions() as session:
            target = await _target(session, guild_id, Prediction.id == prediction_id, None)
            current = await session.scalar(
                select(Vote.permille).where(
                    Vote.prediction_id == prediction_id, Vote.user_id == user_id
                )
            )
            events = await session.execute(
                select(VoteEvent.created_at, VoteEvent.permille, VoteEvent.source)
                .where(VoteEvent.prediction_id == prediction_id, VoteEvent.user_id == user_id)
                .order_by(VoteEvent.created_at, VoteEvent.id)
            )
            following = await session.scalar(
                select(Follower.following).where(
                    Follower.prediction_id == prediction_id, Follower.user_id == user_id
                )
            )
            return MyVote(target, current, tuple(tuple(e) for e in events), bool(following))  # type: ignore[misc]

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
) -> Target:
    row = (await session.execute(select(*_TARGET_COLUMNS).where(condition))).first()  # type: ignore[arg-type]
    if row is None or row.guild_id != guild_id:
        if number is not None:
            raise PredictionNotFound(number)
        raise NotFound("That prediction no longer exists in this server.")
    return Target(*row)


def _check_open(target: Target, now: datetime) -> None:
    if target.status == Status.CANCELLED:
        raise InvalidState(f"Prediction #{target.number} was cancelled; votes are closed.")
    if target.status == Status.RESOLVED:
        raise InvalidState(f"Prediction #{target.number} is already resolved; votes are closed.")
    if now >= target.closes_at:
        raise VotingClosed(
            f"Voting on #{target.number} closed <t:{int(target.closes_at.timestamp())}:R>; "
            "your vote was not recorded."
        )
