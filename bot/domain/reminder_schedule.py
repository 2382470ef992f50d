"""A prediction's reminder schedule, decided in one place for every change that moves it.

A prediction carries three values: when the next resolution reminder is due, how many went
out, and when the close warning is due. Creating, editing the resolution date, cancelling,
resolving, reopening, importing and sending a reminder each move them; every service asks
these functions instead of writing the columns by its own rule, so a reopen and an edit can
never disagree about when members are pinged next. Pure: no clock, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.vocabulary import ReminderKind, Status

#: How long before voting closes the followers are warned (when the server turned it on).
CLOSE_WARNING_BEFORE = timedelta(hours=24)


@dataclass(frozen=True)
class Schedule:
    """The next resolution reminder (None: no more), how many were sent, the close warning."""

    next_reminder_at: datetime | None
    reminders_sent: int
    close_warning_at: datetime | None

    def columns(self) -> dict[str, datetime | int | None]:
        """The prediction columns that store this schedule, by name."""
        return {
            "next_reminder_at": self.next_reminder_at,
            "reminders_sent": self.reminders_sent,
            "close_warning_at": self.close_warning_at,
        }


NOTHING = Schedule(next_reminder_at=None, reminders_sent=0, close_warning_at=None)


def close_warning_time(closes_at: datetime, now: datetime) -> datetime | None:
    """A day before voting closes; none when that moment has already passed."""
    warn_at = closes_at - CLOSE_WARNING_BEFORE
    return warn_at if warn_at > now else None


def created(resolves_at: datetime, closes_at: datetime, now: datetime) -> Schedule:
    """A new prediction: reminded when it resolves, warned a day before it closes."""
    return Schedule(resolves_at, 0, close_warning_time(closes_at, now))


def dates_changed(
    current: Schedule,
    *,
    resolves_at: datetime,
    closes_at: datetime,
    closes_moved: bool,
    now: datetime,
) -> Schedule:
    """A new resolution date starts the reminders afresh from it; the close warning moves only
    with the close time."""
    warning = close_warning_time(closes_at, now) if closes_moved else current.close_warning_at
    return Schedule(resolves_at, 0, warning)


def ended(current: Schedule) -> Schedule:
    """Resolved or cancelled: nothing more is sent (the count of sent reminders stays)."""
    return Schedule(None, current.reminders_sent, None)


def reopened(
    current: Schedule, *, resolves_at: datetime, interval_hours: int, now: datetime
) -> Schedule:
    """Reminders resume from scratch, never sooner than one interval from now, so a reopen
    after the resolution date does not ping the followers the same minute."""
    next_at = max(resolves_at, now + timedelta(hours=interval_hours))
    return Schedule(next_at, 0, current.close_warning_at)


def imported(state: tuple[datetime | None, int, datetime | None] | None) -> Schedule:
    """An imported prediction keeps the schedule its file carries (Augury's own export);
    other sources have no message to remind in, so they wait for someone to resolve them."""
    return NOTHING if state is None else Schedule(*state)


def next_kind(reminders_sent: int, reminder_count: int) -> ReminderKind:
    """Follower reminders first, then the single escalation to the moderators."""
    return ReminderKind.DUE if reminders_sent < reminder_count else ReminderKind.MODERATOR


def after_sent(
    kind: ReminderKind, *, due_at: datetime, sent_at: datetime, late: bool, interval_hours: int
) -> datetime | None:
    """When the reminder after this one is due. Follower reminders repeat every interval: on
    time, counted from when it was due (no drift); late, from when it went out. The
    moderators' escalation and the close warning are sent once."""
    if kind != ReminderKind.DUE:
        return None
    base = sent_at if late else due_at
    return base + timedelta(hours=interval_hours)


def reminder_stands(status: Status) -> bool:
    """Resolution reminders are for open predictions only."""
    return status == Status.OPEN


def warning_stands(status: Status, *, enabled: bool, closes_at: datetime, now: datetime) -> bool:
    """A close warning goes out only while voting is open and the server wants warnings."""
    return status == Status.OPEN and enabled and now < closes_at
