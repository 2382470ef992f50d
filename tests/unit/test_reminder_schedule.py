"""The reminder schedule, change by change: what the next reminder and the close warning become."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import reminder_schedule as rs
from bot.domain.reminder_schedule import Schedule
from bot.domain.vocabulary import ReminderKind, Status

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)
RUNNING = Schedule(NOW + 3 * D, 2, NOW + 5 * D)


@pytest.mark.parametrize(
    ("resolves_at", "closes_at", "expected"),
    [
        (NOW + 10 * D, NOW + 10 * D, Schedule(NOW + 10 * D, 0, NOW + 9 * D)),
        (NOW + 10 * D, NOW + 4 * D, Schedule(NOW + 10 * D, 0, NOW + 3 * D)),
        # closing within a day: the warning's moment has passed, none is scheduled
        (NOW + 10 * D, NOW + 23 * H, Schedule(NOW + 10 * D, 0, None)),
        (NOW + 10 * D, NOW + D, Schedule(NOW + 10 * D, 0, None)),
        (NOW + 10 * D, NOW + D + H, Schedule(NOW + 10 * D, 0, NOW + H)),
    ],
    ids=[
        "closes-at-resolution",
        "closes-earlier",
        "closes-within-a-day",
        "exactly-a-day",
        "a-day-and-an-hour",
    ],
)
def test_created(resolves_at: datetime, closes_at: datetime, expected: Schedule) -> None:
    assert rs.created(resolves_at, closes_at, NOW) == expected


@pytest.mark.parametrize(
    ("resolves_at", "closes_at", "closes_moved", "expected"),
    [
        # the close time followed the new date: the warning moves with it
        (NOW + 20 * D, NOW + 20 * D, True, Schedule(NOW + 20 * D, 0, NOW + 19 * D)),
        (NOW + 2 * H, NOW + 2 * H, True, Schedule(NOW + 2 * H, 0, None)),
        # an earlier explicit close time stays: so does its warning
        (NOW + 20 * D, NOW + 6 * D, False, Schedule(NOW + 20 * D, 0, NOW + 5 * D)),
    ],
    ids=["later-date", "date-within-a-day", "close-time-kept"],
)
def test_dates_changed_restarts_the_reminders(
    resolves_at: datetime, closes_at: datetime, closes_moved: bool, expected: Schedule
) -> None:
    changed = rs.dates_changed(
        RUNNING, resolves_at=resolves_at, closes_at=closes_at, closes_moved=closes_moved, now=NOW
    )
    assert changed == expected


def test_ended_sends_nothing_more_and_keeps_the_count() -> None:
    assert rs.ended(RUNNING) == Schedule(None, 2, None)


@pytest.mark.parametrize(
    ("resolves_at", "interval_hours", "expected_next"),
    [
        (NOW + 5 * D, 24, NOW + 5 * D),  # before the resolution date: reminded on it
        (NOW - 5 * D, 24, NOW + D),  # after it: one interval from now, never at once
        (NOW + 2 * H, 24, NOW + D),  # due sooner than an interval: the interval wins
        (NOW - D, 1, NOW + H),
    ],
    ids=["before-date", "after-date", "date-inside-interval", "short-interval"],
)
def test_reopened(resolves_at: datetime, interval_hours: int, expected_next: datetime) -> None:
    reopened = rs.reopened(
        rs.ended(RUNNING), resolves_at=resolves_at, interval_hours=interval_hours, now=NOW
    )
    assert reopened == Schedule(expected_next, 0, None)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, Schedule(None, 0, None)),
        ((NOW + D, 1, NOW + H), Schedule(NOW + D, 1, NOW + H)),
        ((None, 3, None), Schedule(None, 3, None)),
    ],
    ids=["other-source", "augury-file", "augury-file-finished"],
)
def test_imported(
    state: tuple[datetime | None, int, datetime | None] | None, expected: Schedule
) -> None:
    assert rs.imported(state) == expected


@pytest.mark.parametrize(
    ("sent", "count", "kind"),
    [
        (0, 2, ReminderKind.DUE),
        (1, 2, ReminderKind.DUE),
        (2, 2, ReminderKind.MODERATOR),
        (0, 0, ReminderKind.MODERATOR),
    ],
)
def test_next_kind(sent: int, count: int, kind: ReminderKind) -> None:
    assert rs.next_kind(sent, count) == kind


@pytest.mark.parametrize(
    ("kind", "late", "expected"),
    [
        (ReminderKind.DUE, False, NOW + 24 * H),  # on time: from when it was due, no drift
        (ReminderKind.DUE, True, NOW + 3 * H + 24 * H),  # late: from when it went out
        (ReminderKind.MODERATOR, False, None),
        (ReminderKind.CLOSE_WARNING, True, None),
    ],
)
def test_after_sent(kind: ReminderKind, late: bool, expected: datetime | None) -> None:
    sent_at = NOW + 3 * H
    assert (
        rs.after_sent(kind, due_at=NOW, sent_at=sent_at, late=late, interval_hours=24) == expected
    )


@pytest.mark.parametrize(
    ("status", "enabled", "closes_at", "reminder", "warning"),
    [
        (Status.OPEN, True, NOW + H, True, True),
        (Status.OPEN, False, NOW + H, True, False),
        (Status.OPEN, True, NOW, True, False),  # voting has closed
        (Status.RESOLVED, True, NOW + H, False, False),
        (Status.CANCELLED, True, NOW + H, False, False),
    ],
)
def test_what_still_stands(
    status: Status, enabled: bool, closes_at: datetime, reminder: bool, warning: bool
) -> None:
    assert rs.reminder_stands(status) is reminder
    assert rs.warning_stands(status, enabled=enabled, closes_at=closes_at, now=NOW) is warning


def test_columns_name_the_stored_schedule() -> None:
    assert RUNNING.columns() == {
        "next_reminder_at": NOW + 3 * D,
        "reminders_sent": 2,
        "close_warning_at": NOW + 5 * D,
    }
