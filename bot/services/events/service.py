"""Which predictions' scheduled events need writing, claimed so one process writes each.

With ``/augury events`` on, every open prediction whose resolution date is ahead has a Discord
scheduled event; ``prediction_events`` records each event as last written. The work is the
difference between the two, found by two bounded queries (the open predictions of servers that
turned events on, and the events written): a new prediction or a reopened one wants an event,
a moved date or an edited statement an edit, a resolved or cancelled prediction (or events
turned off) a deletion. So nothing has to remember to queue the work: a restart, a crash
mid-write or another process's change is found again on the next pass. Each item is claimed
(``claimed_until``) before it is done, and a failure is retried later, backing off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Row, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actor import Actor
from bot.domain.errors import NotAllowed
from bot.domain.shards import ShardSet
from bot.domain.vocabulary import Status
from bot.services.core.context import ServiceContext
from bot.services.core.shards import on_shards
from bot.services.voting.service import VoteService
from db.models import EventSettings, Prediction, PredictionEvent
from db.upsert import insert_for

#: Discord wants an event's start in the future: no event for a date closer than this.
START_MARGIN = timedelta(minutes=5)
#: A claim holds this long; then another pass (or process) may take the item over.
LEASE = timedelta(minutes=2)
#: Waits after the 1st, 2nd, … failure of one item (the last repeats).
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=6),
)
MISSING_PERMISSION = "missing the Manage Events permission"
#: Only resolution dates this close get an event: a server holds at most 100 scheduled events
#: (Discord's limit), and a date months away is not an event anyone plans around yet.
HORIZON = timedelta(days=30)
#: At most this many of a server's events are Augury's (the soonest dates), leaving room for
#: the server's own events under Discord's 100.
MAX_EVENTS = 50


class Action(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"


@dataclass(frozen=True)
class EventWork:
    """One event to write, as the prediction is now."""

    action: Action
    prediction_id: int
    guild_id: int
    number: int
    statement: str
    resolves_at: datetime
    channel_id: int | None
    message_id: int | None
    event_id: int | None


@dataclass(frozen=True)
class EventSetup:
    enabled: bool
    problem: str | None


def _free(now: datetime) -> object:
    e = PredictionEvent
    return and_(
        or_(e.claimed_until.is_(None), e.claimed_until < now),
        or_(e.retry_at.is_(None), e.retry_at <= now),
    )


class EventService:
    def __init__(self, ctx: ServiceContext, votes: VoteService) -> None:
        self._ctx = ctx
        self._votes = votes

    async def setup(self, guild_id: int) -> EventSetup:
        async with self._ctx.sessions() as session:
            row = await session.get(EventSettings, guild_id)
            return EventSetup(bool(row and row.enabled), row.problem if row else None)

    async def set_enabled(self, guild_id: int, actor: Actor, enabled: bool) -> EventSetup:
        """On or off (Manage Server). Turning it on again also retries at once what failed
        (after the permission was granted, say); off deletes the events, paced."""
        if not actor.manages_guild:
            raise NotAllowed("Only members with Manage Server can turn scheduled events on or off.")
        async with self._ctx.sessions.begin() as session:
            values = {"enabled": enabled, "problem": None, "problem_reported_at": None}
            stmt = insert_for(session, EventSettings).values(guild_id=guild_id, **values)
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["guild_id"], set_=values)
            )
            await session.execute(
                update(PredictionEvent)
                .where(PredictionEvent.guild_id == guild_id)
                .values(retry_at=None, failures=0)
            )
        return EventSetup(enabled, None)

    async def claim(self, limit: int, shards: ShardSet | None = None) -> list[EventWork]:
        """Up to ``limit`` events to write, each claimed for this process."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            found = await _deletions(session, now, limit, shards)
            if len(found) < limit:
                writes = await _writes(session, now, limit - len(found), shards)
                found += await _within_cap(session, writes)
        claimed: list[EventWork] = []
        for work in found:
            if await self._claim_one(work, now):
                claimed.append(work)
        return claimed

    async def _claim_one(self, work: EventWork, now: datetime) -> bool:
        e = PredictionEvent
        async with self._ctx.sessions.begin() as session:
            if work.action == Action.CREATE and work.event_id is None:
                inserted = await session.execute(
                    insert_for(session, e)
                    .values(
                        prediction_id=work.prediction_id,
                        guild_id=work.guild_id,
                        claimed_until=now + LEASE,
                    )
                    .on_conflict_do_nothing(index_elements=["prediction_id"])
                )
                if inserted.rowcount == 1:  # type: ignore[attr-defined]
                    return True
            result = await session.execute(
                update(e)
                .where(e.prediction_id == work.prediction_id, _free(now))  # type: ignore[arg-type]
                .values(claimed_until=now + LEASE)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def written(self, work: EventWork, event_id: int | None, *, gone: bool = False) -> None:
        """The event was written as ``work`` says (``event_id`` None: deleted, or ``gone``:
        it no longer existed on Discord, so the next pass creates it afresh if still wanted)."""
        async with self._ctx.sessions.begin() as session:
            values: dict[str, object] = {
                "claimed_until": None,
                "retry_at": None,
                "failures": 0,
                "last_error": None,
                "event_id": event_id,
                "synced_start": None if event_id is None else work.resolves_at,
                "synced_statement": None if event_id is None else work.statement,
            }
            await session.execute(
                update(PredictionEvent)
                .where(PredictionEvent.prediction_id == work.prediction_id)
                .values(**values)
            )
            if not gone:
                await session.execute(
                    update(EventSettings)
                    .where(
                        EventSettings.guild_id == work.guild_id, EventSettings.problem.is_not(None)
                    )
                    .values(problem=None, problem_reported_at=None)
                )

    async def failed(self, work: EventWork, error: str, *, missing_permission: bool) -> bool:
        """Try again later, backing off; True when the moderators should now be told of a
        missing permission (once, until it works again or events are turned on again)."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row = await session.get(PredictionEvent, work.prediction_id)
            if row is not None:
                row.failures += 1
                row.retry_at = now + BACKOFF[min(row.failures, len(BACKOFF)) - 1]
                row.claimed_until = None
                row.last_error = error[:200]
            if not missing_permission:
                return False
            settings = await session.get(EventSettings, work.guild_id)
            if settings is None or settings.problem_reported_at is not None:
                return False
            settings.problem = MISSING_PERMISSION
            settings.problem_reported_at = now
            return True

    async def interested(
        self, guild_id: int, event_id: int, user_id: int, following: bool
    ) -> int | None:
        """A member marked an event "Interested" (or not): they follow its prediction (or no
        longer do), as ``/predictions follow`` would. The prediction's number, or None when
        the event is not one of ours."""
        async with self._ctx.sessions() as session:
            row = (
                await session.execute(
                    select(PredictionEvent.prediction_id, Prediction.number)
                    .join(Prediction, Prediction.id == PredictionEvent.prediction_id)
                    .where(PredictionEvent.event_id == event_id, Prediction.guild_id == guild_id)
                )
            ).first()
        if row is None:
            return None
        await self._votes.set_following(guild_id, row.prediction_id, user_id, following)
        return int(row.number)


async def _within_cap(session: AsyncSession, writes: list[EventWork]) -> list[EventWork]:
    """Creations beyond a server's :data:`MAX_EVENTS` wait (soonest dates come first)."""
    guilds = {w.guild_id for w in writes if w.action == Action.CREATE}
    if not guilds:
        return writes
    e = PredictionEvent
    counts = dict(
        (
            await session.execute(
                select(e.guild_id, func.count())
                .where(e.guild_id.in_(guilds), e.event_id.is_not(None))
                .group_by(e.guild_id)
            )
        ).all()
    )
    kept: list[EventWork] = []
    for work in writes:
        if work.action == Action.CREATE:
            if counts.get(work.guild_id, 0) >= MAX_EVENTS:
                continue
            counts[work.guild_id] = counts.get(work.guild_id, 0) + 1
        kept.append(work)
    return kept


#: What an :class:`EventWork` is read from (a prediction and its event, if any).
_WORK_COLUMNS = (
    Prediction.id,
    Prediction.guild_id,
    Prediction.number,
    Prediction.statement,
    Prediction.resolves_at,
    Prediction.channel_id,
    Prediction.message_id,
    PredictionEvent.event_id,
)


if TYPE_CHECKING:  # a row of _WORK_COLUMNS (Row takes one type per column from 2.1 on)
    _WorkRow = Row[int, int, int, str, datetime, int | None, int | None, int | None]


def _work(action: Action, row: _WorkRow) -> EventWork:
    """The work ``action`` on the prediction a row of :data:`_WORK_COLUMNS` describes."""
    prediction_id, guild_id, number, statement, resolves_at, channel, message, event = row
    return EventWork(
        action, prediction_id, guild_id, number, statement, resolves_at, channel, message, event
    )


async def _writes(
    session: AsyncSession, now: datetime, limit: int, shards: ShardSet | None
) -> list[EventWork]:
    """Open predictions of servers with events on whose event is missing or out of date."""
    p, e, s = Prediction, PredictionEvent, EventSettings
    stale = or_(
        e.prediction_id.is_(None),
        e.event_id.is_(None),
        e.synced_start != p.resolves_at,
        e.synced_statement != p.statement,
    )
    full = (
        select(PredictionEvent.guild_id)
        .where(PredictionEvent.event_id.is_not(None))
        .group_by(PredictionEvent.guild_id)
        .having(func.count() >= MAX_EVENTS)
    )
    rows = await session.execute(
        select(*_WORK_COLUMNS)
        .join(s, and_(s.guild_id == p.guild_id, s.enabled.is_(True)))
        .outerjoin(e, e.prediction_id == p.id)
        .where(
            p.status == Status.OPEN,
            p.resolves_at > now + START_MARGIN,
            p.resolves_at <= now + HORIZON,
            p.message_id.is_not(None),
            stale,
            or_(e.event_id.is_not(None), p.guild_id.not_in(full)),  # a full server waits
            or_(e.prediction_id.is_(None), _free(now)),  # type: ignore[arg-type]
            on_shards(p.guild_id, shards),
        )
        .order_by(p.resolves_at, p.id)
        .limit(limit)
    )
    return [_work(Action.CREATE if row.event_id is None else Action.EDIT, row) for row in rows]


async def _deletions(
    session: AsyncSession, now: datetime, limit: int, shards: ShardSet | None
) -> list[EventWork]:
    """Events written for predictions no longer open, whose date moved too close to keep an
    event, or of servers that turned events off."""
    p, e, s = Prediction, PredictionEvent, EventSettings
    unwanted = or_(
        p.status != Status.OPEN,
        s.guild_id.is_(None),
        s.enabled.is_(False),
        and_(
            p.resolves_at != e.synced_start,
            or_(p.resolves_at <= now + START_MARGIN, p.resolves_at > now + HORIZON),
        ),
    )
    rows = await session.execute(
        select(*_WORK_COLUMNS)
        .select_from(e)
        .join(p, p.id == e.prediction_id)
        .outerjoin(s, s.guild_id == e.guild_id)
        .where(e.event_id.is_not(None), unwanted, _free(now), on_shards(e.guild_id, shards))  # type: ignore[arg-type]
        .order_by(e.prediction_id)
        .limit(limit)
    )
    return [_work(Action.DELETE, row) for row in rows]
