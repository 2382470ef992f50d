"""Resolution reminders and close warnings: what is due now, and recording what was sent.

Nothing lives only in memory. A prediction carries its schedule (``next_reminder_at``,
``reminders_sent``, ``close_warning_at``), every delivery is a ``reminder_deliveries`` row, and
the two change in one transaction, so a restart (or a crash) at any moment loses nothing.

The rules, per prediction:

- ``due``: at the resolution date, then every ``reminder_interval_hours`` while unresolved,
  ``reminder_count`` times in all (the first one, at the resolution date, counts).
- ``moderator``: one interval after the last ``due`` reminder (at the resolution date when the
  count is 0), once; then ``next_reminder_at`` becomes NULL and nothing more is sent.
- ``close_warning``: at ``close_warning_at`` (24 h before voting closes), only when the server
  turned ``close_warning`` on; otherwise, or once voting has closed, it is cleared unsent.

A reminder found more than ``late_after`` past its time is *late* (the bot was offline): it goes
out once, marked late, and the next one is a full interval after it was actually sent, so a
long downtime never turns into a burst of pings.

Delivering is claim, send, record (:mod:`bot.services.reminders.attempts`): while a reminder is
claimed or waiting for its next attempt, its schedule column holds that time, so the due query
(still two index range scans) skips it; its ``reminder_attempts`` row keeps when it was due.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Executable,
    Integer,
    bindparam,
    delete,
    func,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminder_schedule
from bot.domain import server_defaults as defaults
from bot.domain.shards import ShardSet
from bot.domain.vocabulary import ReminderKind
from bot.services.core.context import ServiceContext
from bot.services.core.notifications import audience, load_preferences
from bot.services.core.shards import on_shards
from bot.services.reminders.attempts import ReminderAttempts
from bot.services.reminders.dms import queue_reminder_dms
from bot.services.reminders.values import Delivery as Delivery
from bot.services.reminders.values import DueReminder as DueReminder
from db.models import Follower, GuildSettings, Prediction, ReminderAttempt, ReminderDelivery
from db.upsert import insert_for

LATE_AFTER = timedelta(minutes=5)
DEFAULT_LIMIT = 50
SWEEPS = 5  # re-reads per call when clearing never-sent rows made room in the batch


@dataclass(frozen=True)
class _Guild:
    interval_hours: int
    count: int
    close_warning: bool
    moderator_role_id: int | None


# A server that never changed a setting has no row: its reminders follow the defaults.
_DEFAULT_GUILD = _Guild(
    defaults.REMINDER_INTERVAL_HOURS, defaults.REMINDER_COUNT, defaults.CLOSE_WARNING, None
)

_COLUMNS = (
    Prediction.id,
    Prediction.guild_id,
    Prediction.number,
    Prediction.author_id,
    Prediction.statement,
    Prediction.status,
    Prediction.channel_id,
    Prediction.thread_id,
    Prediction.message_id,
    Prediction.resolves_at,
    Prediction.closes_at,
    Prediction.next_reminder_at,
    Prediction.reminders_sent,
    Prediction.close_warning_at,
    Prediction.kind.label("question_kind"),
)


REMINDER_TIME = Prediction.next_reminder_at
WARNING_TIME = Prediction.close_warning_at
_SOURCES = (("reminder", REMINDER_TIME), ("warning", WARNING_TIME))


@lru_cache(maxsize=8)
def _due_statement(shards: ShardSet | None = None) -> Executable:
    """Both schedules in one round trip: each half is a range scan on its own index, bounded
    by ``:limit``, and only the oldest ``:limit`` of the merge come back. Built once (per shard
    set): the scheduler runs it every cycle, and constructing a union costs more than running
    it. With ``shards``, only the servers on those shards (a filter on the same range scan)."""
    now: BindParameter[datetime] = bindparam("now")
    limit = bindparam("limit", type_=Integer)
    halves = [
        select(*_COLUMNS, literal(source).label("source"), column.label("due_at"))
        .where(column <= now, on_shards(Prediction.guild_id, shards))
        .order_by(column)
        .limit(limit)
        .subquery()
        for source, column in _SOURCES
    ]
    merged = union_all(*(select(half) for half in halves)).subquery()
    return select(merged).order_by(merged.c.due_at, merged.c.id).limit(limit)


DUE_STATEMENT = _due_statement()


class ReminderService(ReminderAttempts):
    """What is due and what was sent; claims, failures and pauses come from the base."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)

    async def due(
        self,
        now: datetime,
        limit: int = DEFAULT_LIMIT,
        *,
        late_after: timedelta = LATE_AFTER,
        shards: ShardSet | None = None,
    ) -> list[DueReminder]:
        """Up to ``limit`` reminders due at ``now``, oldest first.

        One statement, two index range scans bounded by ``limit``. Rows that will never be sent
        (resolved or cancelled, close warnings switched off, voting already closed) are
        cleared here, so they leave the index range instead of being scanned every cycle.
        With ``shards``, only servers on those shards: each process reminds its own servers.
        """
        statement = _due_statement(None if shards is None or shards.is_everything else shards)
        async with self._ctx.sessions.begin() as session:
            guilds: dict[int, _Guild] = {}
            live: list[Any] = []
            for _ in range(SWEEPS):
                result = await session.execute(statement, {"now": now, "limit": limit})
                rows = list(result.mappings())
                guilds |= await _guilds(session, {r["guild_id"] for r in rows} - guilds.keys())
                live = []
                for row in rows:
                    column = _never_sent(row, guilds.get(row["guild_id"], _DEFAULT_GUILD), now)
                    if column is None:
                        live.append(row)
                    else:
                        await _clear(session, row, column)
                if len(live) == len(rows) or len(rows) < limit:
                    break  # else cleared rows left room: look again, within this transaction
            if not live:
                return []
            ids = {row["id"] for row in live}
            followers = await _followers(session, ids)
            sequences = await _last_sequences(session, ids)
            attempts = await _attempts(session, ids)
            found = []
            for row in live:
                guild = guilds.get(row["guild_id"], _DEFAULT_GUILD)
                kind = (
                    reminder_schedule.next_kind(row["reminders_sent"], guild.count)
                    if row["source"] == "reminder"
                    else ReminderKind.CLOSE_WARNING
                )
                reminder = _reminder(row, guild, kind, now, late_after, followers, sequences)
                attempt = attempts.get(reminder.key)
                if attempt is not None and attempt[0] == reminder.scheduled_at:
                    # A retry: it keeps the time it was really due, and whether it was late.
                    reminder = replace(reminder, due_at=attempt[1], late=attempt[2])
                found.append(reminder)
            return await _addressed(session, found)

    async def record(self, delivery: Delivery) -> bool:
        """Remember a sent reminder and advance the schedule, in one transaction.

        Idempotent: a second record of the same (prediction, kind, sequence) changes nothing
        and returns ``False``. The schedule only moves if it is still the one the reminder was
        computed from, so an edit or a resolution made meanwhile is never overwritten.
        """
        reminder = delivery.reminder
        now = self._ctx.clock.now()
        holds = delivery.holds or reminder.scheduled_at or reminder.due_at
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                delete(ReminderAttempt).where(
                    ReminderAttempt.prediction_id == reminder.prediction_id,
                    ReminderAttempt.kind == reminder.kind,
                    ReminderAttempt.sequence == reminder.sequence,
                )
            )
            insert = (
                insert_for(session, ReminderDelivery)
                .values(
                    prediction_id=reminder.prediction_id,
                    kind=reminder.kind,
                    sequence=reminder.sequence,
                    channel_id=delivery.channel_id,
                    message_id=delivery.message_id,
                    late=reminder.late,
                    sent_at=now,
                )
                .on_conflict_do_nothing(index_elements=["prediction_id", "kind", "sequence"])
                .returning(ReminderDelivery.id)
            )
            delivery_id = await session.scalar(insert)
            inserted = delivery_id is not None
            if delivery_id is not None:  # the first record: its DMs are owed from now on
                await queue_reminder_dms(session, delivery_id, reminder.dm_ids, now)
            # Even when a slower claimer already recorded it, the schedule moves on (once: the
            # update is conditional on the schedule this claim holds).
            advance = update(Prediction).where(Prediction.id == reminder.prediction_id)
            if reminder.kind == ReminderKind.CLOSE_WARNING:
                advance = advance.where(Prediction.close_warning_at == holds).values(
                    close_warning_at=None
                )
            else:
                advance = advance.where(
                    Prediction.next_reminder_at == holds,
                    Prediction.reminders_sent == reminder.ordinal - 1,
                ).values(
                    next_reminder_at=reminder_schedule.after_sent(
                        reminder.kind,
                        due_at=reminder.due_at,
                        sent_at=now,
                        late=reminder.late,
                        interval_hours=reminder.interval_hours,
                    ),
                    reminders_sent=reminder.ordinal,
                )
            await session.execute(advance)
        return inserted

    async def deliveries(self, prediction_id: int) -> list[tuple[str, int, bool]]:
        """What was sent for a prediction: (kind, sequence, late), in order of sending."""
        async with self._ctx.sessions() as session:
            rows = await session.execute(
                select(ReminderDelivery.kind, ReminderDelivery.sequence, ReminderDelivery.late)
                .where(ReminderDelivery.prediction_id == prediction_id)
                .order_by(ReminderDelivery.id)
            )
            return [(kind, sequence, late) for kind, sequence, late in rows]


async def _addressed(session: AsyncSession, found: list[DueReminder]) -> list[DueReminder]:
    """Each reminder with its members' /notifications choices applied."""
    prefs = await load_preferences(session, {u for r in found for u, _ in r.wanted()})
    addressed = []
    for reminder in found:
        wanted = reminder.wanted()
        told = audience(prefs, wanted)
        declined = frozenset(u for u, _ in wanted) - set(told.pings)
        addressed.append(replace(reminder, dm_ids=told.dms, not_pinged=declined))
    return addressed


def _reminder(
    row: Any,
    guild: _Guild,
    kind: ReminderKind,
    now: datetime,
    late_after: timedelta,
    followers: dict[int, list[int]],
    sequences: dict[tuple[int, ReminderKind], int],
) -> DueReminder:
    prediction_id = row["id"]
    due_at: datetime = row["due_at"]
    return DueReminder(
        prediction_id=prediction_id,
        guild_id=row["guild_id"],
        number=row["number"],
        statement=row["statement"],
        author_id=row["author_id"],
        follower_ids=tuple(followers.get(prediction_id, ())),
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        message_id=row["message_id"],
        kind=kind,
        sequence=sequences.get((prediction_id, kind), 0) + 1,
        ordinal=0 if kind == ReminderKind.CLOSE_WARNING else row["reminders_sent"] + 1,
        reminder_count=guild.count,
        interval_hours=guild.interval_hours,
        due_at=due_at,
        late=now - due_at > late_after,
        moderator_role_id=guild.moderator_role_id,
        resolves_at=row["resolves_at"],
        closes_at=row["closes_at"],
        scheduled_at=due_at,
        question_kind=row["question_kind"],
    )


def _never_sent(row: Any, guild: _Guild, now: datetime) -> Any:
    """The schedule column to clear when this row will never be sent, else None."""
    if row["source"] == "reminder":
        return None if reminder_schedule.reminder_stands(row["status"]) else REMINDER_TIME
    stands = reminder_schedule.warning_stands(
        row["status"], enabled=guild.close_warning, closes_at=row["closes_at"], now=now
    )
    return None if stands else WARNING_TIME


async def _clear(session: AsyncSession, row: Any, column: Any) -> None:
    """Drop a schedule entry that will never be sent, unless it changed since it was read."""
    observed = row[column.key]
    await session.execute(
        update(Prediction)
        .where(Prediction.id == row["id"], column == observed)
        .values({column.key: None})
    )


async def _guilds(session: AsyncSession, guild_ids: Iterable[int]) -> dict[int, _Guild]:
    wanted = list(guild_ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(
            GuildSettings.guild_id,
            GuildSettings.reminder_interval_hours,
            GuildSettings.reminder_count,
            GuildSettings.close_warning,
            GuildSettings.moderator_role_id,
        ).where(GuildSettings.guild_id.in_(wanted))
    )
    return {
        guild_id: _Guild(interval, count, bool(warn), role)
        for guild_id, interval, count, warn, role in rows
    }


async def _followers(session: AsyncSession, ids: Sequence[int] | set[int]) -> dict[int, list[int]]:
    rows = await session.execute(
        select(Follower.prediction_id, Follower.user_id)
        .where(Follower.prediction_id.in_(list(ids)), Follower.following.is_(True))
        .order_by(Follower.prediction_id, Follower.user_id)
    )
    found: dict[int, list[int]] = {}
    for prediction_id, user_id in rows:
        found.setdefault(prediction_id, []).append(user_id)
    return found


async def _last_sequences(
    session: AsyncSession, ids: Sequence[int] | set[int]
) -> dict[tuple[int, ReminderKind], int]:
    """The highest recorded sequence per (prediction, kind), via the unique index."""
    rows = await session.execute(
        select(
            ReminderDelivery.prediction_id,
            ReminderDelivery.kind,
            func.max(ReminderDelivery.sequence),
        )
        .where(ReminderDelivery.prediction_id.in_(list(ids)))
        .group_by(ReminderDelivery.prediction_id, ReminderDelivery.kind)
    )
    return {(prediction_id, kind): int(last) for prediction_id, kind, last in rows}


async def _attempts(
    session: AsyncSession, ids: Sequence[int] | set[int]
) -> dict[tuple[int, ReminderKind, int], tuple[datetime | None, datetime, bool]]:
    """Reminders being retried: key → (schedule value it set, first due time, late)."""
    rows = await session.execute(
        select(
            ReminderAttempt.prediction_id,
            ReminderAttempt.kind,
            ReminderAttempt.sequence,
            ReminderAttempt.scheduled_at,
            ReminderAttempt.due_at,
            ReminderAttempt.late,
        ).where(ReminderAttempt.prediction_id.in_(list(ids)))
    )
    return {(p, k, q): (at, due, bool(late)) for p, k, q, at, due, late in rows}
