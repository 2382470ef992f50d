"""Opening, confirming and reopening disputes; every rule checked here, whatever the path.

A dispute names the resolution it contests (its ``resolved_at``): if the prediction is reopened
by any path (``/predictions reopen`` too) or resolved again, that dispute no longer marks it, so
nothing stays "disputed" by mistake. Reopening for a dispute goes through
:meth:`ResolutionService.reopen` with the dispute as the reason, so the reopen rules hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import disputes as rules
from bot.domain.actor import Actor
from bot.domain.disputes import DisputeStatus
from bot.domain.errors import InvalidState, NotAllowed
from bot.domain.text import REASON_MAX, clean_optional
from bot.domain.vocabulary import Outcome, Status
from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import get_prediction, prediction_in_guild
from bot.services.core.server_config import load_guild
from bot.services.resolution.service import Reopened, ResolutionService
from db.models import Dispute, DisputeSettings, Prediction
from db.upsert import insert_for


@dataclass(frozen=True)
class Opened:
    """A dispute as stored, and where to post it (the prediction's thread, else its channel)."""

    dispute_id: int
    prediction_id: int
    number: int
    statement: str
    outcome: Outcome | None
    reason: str
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    moderator_role_id: int | None
    window_closes: datetime


@dataclass(frozen=True)
class Settled:
    """How many open disputes a moderator's decision settled."""

    number: int
    disputes: int
    thread_id: int | None
    channel_id: int | None


def _current(prediction: type[Prediction] = Prediction) -> object:
    """Open disputes of the prediction's current resolution."""
    return and_(
        Dispute.status == DisputeStatus.OPEN.value,
        prediction.status == Status.RESOLVED,
        prediction.resolved_at == Dispute.resolved_at,
    )


async def disputed_prediction_ids(session: AsyncSession, guild_id: int) -> set[int]:
    """Resolved predictions of the server with an open dispute of their current resolution."""
    rows = await session.scalars(
        select(Dispute.prediction_id)
        .join(Prediction, Prediction.id == Dispute.prediction_id)
        .where(Dispute.guild_id == guild_id, _current())  # type: ignore[arg-type]
        .distinct()
    )
    return set(rows)


async def _close_stale(session: AsyncSession, row: Prediction, now: datetime) -> None:
    """Disputes of an earlier resolution (reopened since, by any path) are settled by it."""
    await session.execute(
        update(Dispute)
        .where(
            Dispute.prediction_id == row.id,
            Dispute.status == DisputeStatus.OPEN.value,
            true() if row.resolved_at is None else Dispute.resolved_at != row.resolved_at,
        )
        .values(status=DisputeStatus.REOPENED.value, settled_at=now)
    )


async def window_hours(session: AsyncSession, guild_id: int) -> int:
    value = await session.scalar(
        select(DisputeSettings.window_hours).where(DisputeSettings.guild_id == guild_id)
    )
    return rules.DEFAULT_WINDOW_HOURS if value is None else int(value)


async def _check_may_dispute(
    session: AsyncSession, row: Prediction, user_id: int, now: datetime, *, is_bot: bool
) -> int:
    """The rule (:func:`bot.domain.disputes.check_may_dispute`) with what it needs from the
    database: the server's window (returned, in hours) and whether this member has an open
    dispute of this resolution."""
    hours = await window_hours(session, row.guild_id)
    mine = await session.scalar(
        select(Dispute.id).where(
            Dispute.prediction_id == row.id,
            Dispute.user_id == user_id,
            Dispute.status == DisputeStatus.OPEN.value,
            Dispute.resolved_at == row.resolved_at,
        )
    )
    rules.check_may_dispute(
        number=row.number,
        status=row.status,
        resolved_at=row.resolved_at,
        window_hours=hours,
        now=now,
        is_bot=is_bot,
        has_open_dispute=mine is not None,
    )
    return hours


class DisputeService:
    def __init__(self, ctx: ServiceContext, resolution: ResolutionService) -> None:
        self._ctx = ctx
        self._resolution = resolution

    async def window(self, guild_id: int) -> int:
        async with self._ctx.sessions() as session:
            return await window_hours(session, guild_id)

    async def set_window(self, guild_id: int, actor: Actor, hours: int) -> int:
        """Manage Server only (the /augury settings' rule), 0…720 hours."""
        if not actor.manages_guild:
            raise NotAllowed("Only members with Manage Server can change the dispute window.")
        rules.check_window_hours(hours)
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, DisputeSettings).values(
                guild_id=guild_id, window_hours=hours
            )
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["guild_id"], set_={"window_hours": hours}
                )
            )
        return hours

    async def check(
        self, guild_id: int, prediction_id: int, user_id: int, *, is_bot: bool = False
    ) -> int:
        """The prediction's number if ``user_id`` may dispute it now (the Dispute button asks
        before the form opens, so nobody types a reason in vain); refused as :meth:`open`."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            row = await prediction_in_guild(session, guild_id, prediction_id)
            await _check_may_dispute(session, row, user_id, now, is_bot=is_bot)
            return row.number

    async def open(
        self, guild_id: int, number: int, user_id: int, reason: str | None, *, is_bot: bool = False
    ) -> Opened:
        """Dispute prediction ``number``'s resolution; refused with the reason why if not."""
        text = rules.check_reason(clean_optional(reason, REASON_MAX, "reason"))
        now = self._ctx.clock.now()
        try:
            async with self._ctx.sessions.begin() as session:
                row = await get_prediction(session, guild_id, number, for_update=True)
                await _close_stale(session, row, now)
                hours = await _check_may_dispute(session, row, user_id, now, is_bot=is_bot)
                assert row.resolved_at is not None
                dispute = Dispute(
                    prediction_id=row.id,
                    guild_id=guild_id,
                    user_id=user_id,
                    reason=text,
                    created_at=now,
                    resolved_at=row.resolved_at,
                    status=DisputeStatus.OPEN.value,
                )
                session.add(dispute)
                await session.flush()
                guild = await load_guild(session, guild_id)
                return Opened(
                    dispute_id=dispute.id,
                    prediction_id=row.id,
                    number=row.number,
                    statement=row.statement,
                    outcome=row.outcome,
                    reason=text,
                    channel_id=row.channel_id,
                    message_id=row.message_id,
                    thread_id=row.thread_id,
                    moderator_role_id=guild.moderator_role_id,
                    window_closes=rules.window_closes(row.resolved_at, hours),
                )
        except IntegrityError:  # a second click raced the first past the check
            raise InvalidState(
                f"You already disputed #{number}'s resolution; a moderator will confirm it or "
                "reopen the prediction."
            ) from None

    async def posted(self, dispute_id: int, message_id: int) -> None:
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(Dispute).where(Dispute.id == dispute_id).values(message_id=message_id)
            )

    async def confirm(self, guild_id: int, number: int, actor: Actor) -> Settled:
        """A moderator keeps the resolution: its open disputes are settled, the mark goes."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row = await get_prediction(session, guild_id, number, for_update=True)
            guild = await load_guild(session, guild_id)
            rules.check_may_settle(actor, guild.moderator_role_id)
            count = await self._settle(session, row, DisputeStatus.CONFIRMED, actor, now)
            if not count:
                raise InvalidState(f"#{number} has no open dispute to settle.")
            return Settled(number, count, row.thread_id, row.channel_id)

    async def reopen(self, guild_id: int, number: int, actor: Actor) -> tuple[Reopened, int]:
        """A moderator reopens the prediction for its disputes (the dispute is the reason);
        the reopen rules of :func:`bot.domain.rules.check_may_reopen` hold as for any reopen."""
        async with self._ctx.sessions() as session:
            row = await get_prediction(session, guild_id, number)
            guild = await load_guild(session, guild_id)
            rules.check_may_settle(actor, guild.moderator_role_id)
            first = await session.scalar(
                select(Dispute.reason)
                .join(Prediction, Prediction.id == Dispute.prediction_id)
                .where(Dispute.prediction_id == row.id, _current())  # type: ignore[arg-type]
                .order_by(Dispute.created_at, Dispute.id)
                .limit(1)
            )
        if first is None:
            raise InvalidState(f"#{number} has no open dispute to settle.")
        reason = f"Disputed: {first}"[:REASON_MAX]
        reopened = await self._resolution.reopen(guild_id, number, actor, reason=reason)
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            count = await session.execute(
                update(Dispute)
                .where(
                    Dispute.prediction_id == reopened.prediction.id,
                    Dispute.status == DisputeStatus.OPEN.value,
                )
                .values(
                    status=DisputeStatus.REOPENED.value, settled_by=actor.user_id, settled_at=now
                )
            )
        return reopened, int(count.rowcount or 0)  # type: ignore[attr-defined]

    async def _settle(
        self,
        session: AsyncSession,
        row: Prediction,
        status: DisputeStatus,
        actor: Actor,
        now: datetime,
    ) -> int:
        if row.status != Status.RESOLVED:
            return 0
        result = await session.execute(
            update(Dispute)
            .where(
                Dispute.prediction_id == row.id,
                Dispute.status == DisputeStatus.OPEN.value,
                Dispute.resolved_at == row.resolved_at,
            )
            .values(status=status.value, settled_by=actor.user_id, settled_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def disputed_numbers(self, guild_id: int) -> list[int]:
        """The numbers of the server's predictions marked disputed, in order."""
        async with self._ctx.sessions() as session:
            ids = await disputed_prediction_ids(session, guild_id)
            if not ids:
                return []
            rows = await session.scalars(
                select(Prediction.number).where(Prediction.id.in_(ids)).order_by(Prediction.number)
            )
            return list(rows)
