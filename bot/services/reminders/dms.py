"""The reminder-DM queue: members who chose DMs get reminders from it, a few at a time.

A popular prediction can have hundreds of followers who chose DMs. Sending them inline held the
reminder cycle — every other server's reminders — for as long as Discord's rate limits took, and
a crash lost the rest. Recording a reminder now queues its DMs in the same transaction
(``reminder_messages``); a sender drains the queue at its own pace, each process only its own
servers' rows. A DM that is no longer true or wanted when its turn comes (the prediction was
resolved or cancelled, its date moved later, voting already closed; the member muted
notifications or turned that topic off) is dropped, not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.shards import ShardSet
from bot.domain.vocabulary import ReminderKind, Status
from bot.services.core.context import ServiceContext
from bot.services.core.dm_queue import mark_handled
from bot.services.core.notifications import DEFAULTS, Topic, load_preferences
from bot.services.core.shards import on_shards
from bot.services.reminders.values import ReminderSubject
from db.models import Prediction, ReminderDelivery, ReminderMessage
from db.upsert import insert_for


@dataclass(frozen=True)
class QueuedReminderDM:
    """One reminder DM owed to one member, with what it is about as it is *now*."""

    delivery_id: int
    user_id: int
    subject: ReminderSubject
    status: Status
    wanted: bool = True  # the member's /notifications still ask for it (not muted meanwhile)

    @property
    def key(self) -> tuple[int, int]:
        return (self.delivery_id, self.user_id)

    def still_true(self, now: datetime) -> bool:
        """Still wanted, open, and still due (its date was not moved later) or, for a close
        warning, voting not yet closed."""
        if not self.wanted or self.status != Status.OPEN:
            return False
        if self.subject.kind == ReminderKind.CLOSE_WARNING:
            return self.subject.closes_at > now
        return self.subject.resolves_at <= now


def _topic(kind: ReminderKind, is_author: bool) -> Topic:
    if kind == ReminderKind.CLOSE_WARNING:
        return Topic.CLOSE_WARNINGS
    return Topic.MY_DUE if is_author else Topic.FOLLOWED_DUE


async def queue_reminder_dms(
    session: AsyncSession, delivery_id: int, user_ids: Iterable[int], now: datetime
) -> None:
    """Inside the transaction that records the reminder: its DMs, owed from now on."""
    rows = [{"delivery_id": delivery_id, "user_id": u, "queued_at": now} for u in user_ids]
    if rows:
        stmt = insert_for(session, ReminderMessage).on_conflict_do_nothing(
            index_elements=["delivery_id", "user_id"]
        )
        await session.execute(stmt, rows)


class ReminderDMs:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def queued(self, limit: int, shards: ShardSet | None = None) -> list[QueuedReminderDM]:
        """The oldest unsent reminder DMs; with ``shards``, only those of servers on them."""
        p = Prediction
        async with self._ctx.sessions() as session:
            rows = await session.execute(
                select(
                    ReminderMessage.delivery_id,
                    ReminderMessage.user_id,
                    ReminderDelivery.kind,
                    p.id,
                    p.guild_id,
                    p.number,
                    p.statement,
                    p.author_id,
                    p.channel_id,
                    p.message_id,
                    p.resolves_at,
                    p.closes_at,
                    p.status,
                )
                .join(ReminderDelivery, ReminderDelivery.id == ReminderMessage.delivery_id)
                .join(p, p.id == ReminderDelivery.prediction_id)
                .where(ReminderMessage.sent_at.is_(None), on_shards(p.guild_id, shards))
                .order_by(ReminderMessage.queued_at, ReminderMessage.delivery_id)
                .limit(limit)
            )
            found = list(rows)
            prefs = await load_preferences(session, {row.user_id for row in found})
            return [
                QueuedReminderDM(
                    delivery_id=row.delivery_id,
                    user_id=row.user_id,
                    subject=ReminderSubject(
                        prediction_id=row.id,
                        guild_id=row.guild_id,
                        number=row.number,
                        statement=row.statement,
                        author_id=row.author_id,
                        channel_id=row.channel_id,
                        message_id=row.message_id,
                        kind=row.kind,
                        resolves_at=row.resolves_at,
                        closes_at=row.closes_at,
                    ),
                    status=row.status,
                    wanted=prefs.get(row.user_id, DEFAULTS).wants(
                        _topic(row.kind, row.user_id == row.author_id)
                    ),
                )
                for row in found
            ]

    async def sent(self, keys: Iterable[tuple[int, int]]) -> None:
        """Mark (delivery id, member id) pairs done: sent, failed, or dropped as untrue."""
        pairs = list(keys)
        if not pairs:
            return
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            columns = (ReminderMessage.delivery_id, ReminderMessage.user_id)
            await mark_handled(session, ReminderMessage, columns, pairs, now)

    async def pending(self) -> int:
        async with self._ctx.sessions() as session:
            count = await session.scalar(
                select(func.count()).where(ReminderMessage.sent_at.is_(None))
            )
            return int(count or 0)
