"""Delivering a reminder safely: claim it before sending, back off when it fails, park it while
the bot is not in the server.

A claim is one conditional UPDATE of the prediction's schedule column, from the value the due
query read to the claim's expiry, committed before anything is sent: two cycles or two
processes (SQLite or PostgreSQL) cannot both win it, and the due query skips the row while it
is claimed. The ``reminder_attempts`` row beside it keeps the time the reminder was really
due, the parts already posted and the failures so far.

- A delivery that fails everywhere is tried again after a backoff (5 minutes, doubling, at
  most 6 hours), by moving the schedule column to the next attempt's time; after
  ``MAX_FAILURES`` it is given up: the schedule stops and the row stays for the server's admins.
- A claim that ended without a record or a failure (a crash, a record that raised) is
  *unfinished*: the next claimer must find out whether the message went out before sending.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.vocabulary import ReminderKind, Status
from bot.services.core.context import ServiceContext
from bot.services.reminders.values import DueReminder
from db.models import Prediction, ReminderAttempt, ReminderPause
from db.upsert import insert_for

CLAIM_LEASE = timedelta(minutes=10)
FIRST_BACKOFF = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
MAX_FAILURES = 8  # 5+10+20+40+80+160+320 min between them: given up about 10.6 h after it was due
ERROR_TEXT = 200


def backoff(failures: int) -> timedelta:
    """The wait after the n-th failure: minutes doubling to hours."""
    wait: timedelta = FIRST_BACKOFF * 2 ** max(failures - 1, 0)
    return min(wait, MAX_BACKOFF)


def schedule_column(kind: ReminderKind) -> Any:
    """The prediction column that schedules this kind of reminder."""
    if kind == ReminderKind.CLOSE_WARNING:
        return Prediction.close_warning_at
    return Prediction.next_reminder_at


@dataclass(frozen=True)
class Claim:
    """The right to deliver one reminder until ``holds`` (the schedule column's value)."""

    reminder: DueReminder
    token: str
    holds: datetime
    unfinished: bool  # an earlier claim ended without a record: look before sending again
    parts_sent: int
    channel_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class Failed:
    """What a failed delivery led to: the next attempt's time, or None when given up."""

    failures: int
    retry_at: datetime | None


@dataclass(frozen=True)
class GivenUp:
    """A reminder the bot stopped trying to deliver, as the server's admins see it."""

    number: int
    kind: ReminderKind
    due_at: datetime
    gave_up_at: datetime
    failures: int
    last_error: str | None


class ReminderAttempts:
    """Claims, progress, failures and pauses; :class:`ReminderService` builds on this."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def claim(
        self, reminder: DueReminder, now: datetime, lease: timedelta = CLAIM_LEASE
    ) -> Claim | None:
        """Take the reminder for ``lease``, committed before returning; None if it was taken
        (or rescheduled) since the due query read it."""
        column = schedule_column(reminder.kind)
        until = now + lease
        token = secrets.token_hex(16)
        async with self._ctx.sessions.begin() as session:
            won = await session.scalar(
                update(Prediction)
                .where(Prediction.id == reminder.prediction_id, column == reminder.scheduled_at)
                .values({column.key: until})
                .returning(Prediction.id)
            )
            if won is None:
                return None
            row = await _attempt(session, reminder)
            if row is None:
                row = ReminderAttempt(
                    prediction_id=reminder.prediction_id,
                    guild_id=reminder.guild_id,
                    kind=reminder.kind,
                    sequence=reminder.sequence,
                )
                session.add(row)
            if row.scheduled_at != reminder.scheduled_at or row.gave_up_at is not None:
                # New, or the schedule was changed since (an edit, a reopen): start afresh.
                row.due_at, row.late, row.failures = reminder.due_at, reminder.late, 0
                row.parts_sent, row.channel_id, row.message_id = 0, None, None
                row.claim_token, row.gave_up_at, row.last_error = None, None, None
            unfinished = row.claim_token is not None
            row.claim_token, row.claimed_until, row.scheduled_at = token, until, until
            return Claim(
                reminder, token, until, unfinished, row.parts_sent, row.channel_id, row.message_id
            )

    async def progress(
        self, claim: Claim, parts_sent: int, channel_id: int, message_id: int | None
    ) -> None:
        """Remember the parts already posted (and where), so a retry never posts them again."""
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(ReminderAttempt)
                .where(ReminderAttempt.claim_token == claim.token)
                .values(parts_sent=parts_sent, channel_id=channel_id, message_id=message_id)
            )

    async def failed(self, claim: Claim, error: str, now: datetime) -> Failed:
        """Release the claim with a next attempt after a backoff, or give the reminder up."""
        column = schedule_column(claim.reminder.kind)
        async with self._ctx.sessions.begin() as session:
            row = await _attempt(session, claim.reminder)
            if row is None or row.claim_token != claim.token:
                return Failed(0, None)  # someone else owns it now
            row.failures += 1
            give_up = row.failures >= MAX_FAILURES
            retry_at = None if give_up else now + backoff(row.failures)
            row.claim_token, row.claimed_until, row.scheduled_at = None, None, retry_at
            row.last_error = error[:ERROR_TEXT]
            row.gave_up_at = now if give_up else None
            await session.execute(
                update(Prediction)
                .where(Prediction.id == claim.reminder.prediction_id, column == claim.holds)
                .values({column.key: retry_at})
            )
            return Failed(row.failures, retry_at)

    async def given_up(self, guild_id: int, limit: int = 25) -> list[GivenUp]:
        """The reminders given up in a server on predictions still open, newest first."""
        async with self._ctx.sessions() as session:
            rows = await session.execute(
                select(
                    Prediction.number,
                    ReminderAttempt.kind,
                    ReminderAttempt.due_at,
                    ReminderAttempt.gave_up_at,
                    ReminderAttempt.failures,
                    ReminderAttempt.last_error,
                )
                .join(Prediction, Prediction.id == ReminderAttempt.prediction_id)
                .where(
                    ReminderAttempt.guild_id == guild_id,
                    ReminderAttempt.gave_up_at.is_not(None),
                    Prediction.status == Status.OPEN,  # resolved since: nothing left to remind
                )
                .order_by(ReminderAttempt.gave_up_at.desc())
                .limit(limit)
            )
            return [
                GivenUp(number, kind, due_at, gave_up_at, failures, error)
                for number, kind, due_at, gave_up_at, failures, error in rows
                if gave_up_at is not None
            ]

    async def pause_guild(self, guild_id: int, now: datetime) -> None:
        """Park a server's schedules out of the due query while the bot is not in it."""
        async with self._ctx.sessions.begin() as session:
            for column, parked in _PARKING:
                await session.execute(
                    update(Prediction)
                    .where(Prediction.guild_id == guild_id, column.is_not(None))
                    .values({parked.key: column, column.key: None})
                )
            await session.execute(
                insert_for(session, ReminderPause)
                .values(guild_id=guild_id, paused_at=now)
                .on_conflict_do_nothing(index_elements=["guild_id"])
            )

    async def resume_guild(self, guild_id: int) -> bool:
        """Put a paused server's schedules back; False (and no write) if it was not paused."""
        async with self._ctx.sessions() as session:
            if await session.get(ReminderPause, guild_id) is None:
                return False
        async with self._ctx.sessions.begin() as session:
            for column, parked in _PARKING:
                await session.execute(
                    update(Prediction)
                    .where(Prediction.guild_id == guild_id, parked.is_not(None))
                    .values({column.key: func.coalesce(column, parked), parked.key: None})
                )
            await session.execute(delete(ReminderPause).where(ReminderPause.guild_id == guild_id))
        return True


_PARKING = (
    (Prediction.next_reminder_at, Prediction.paused_reminder_at),
    (Prediction.close_warning_at, Prediction.paused_warning_at),
)


async def _attempt(session: AsyncSession, reminder: DueReminder) -> ReminderAttempt | None:
    result: ReminderAttempt | None = await session.scalar(
        select(ReminderAttempt).where(
            ReminderAttempt.prediction_id == reminder.prediction_id,
            ReminderAttempt.kind == reminder.kind,
            ReminderAttempt.sequence == reminder.sequence,
        )
    )
    return result
