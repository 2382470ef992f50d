"""The digest's slot and catch-up rule (bot.domain.digest): table-driven, DST included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import digest
from bot.domain.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
UTC_ZONE = ZoneInfo("UTC")
# Monday 7 December 2026
MONDAY_NOON_UTC = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "weekday", "hour", "zone", "expected"),
    [
        # Today is the day, its hour already past: today's slot (posted at once).
        (MONDAY_NOON_UTC, 0, 9, UTC_ZONE, datetime(2026, 12, 7, 9, tzinfo=UTC)),
        # Today is the day, its hour still ahead: today's slot.
        (MONDAY_NOON_UTC, 0, 18, UTC_ZONE, datetime(2026, 12, 7, 18, tzinfo=UTC)),
        # Another day: the next one.
        (MONDAY_NOON_UTC, 2, 9, UTC_ZONE, datetime(2026, 12, 9, 9, tzinfo=UTC)),
        # Yesterday's day: six days ahead.
        (MONDAY_NOON_UTC, 6, 9, UTC_ZONE, datetime(2026, 12, 13, 9, tzinfo=UTC)),
        # In the server's zone: 09:00 in Berlin (UTC+1 in winter) is 08:00 UTC.
        (MONDAY_NOON_UTC, 0, 9, BERLIN, datetime(2026, 12, 7, 8, tzinfo=UTC)),
        # 23:30 UTC Sunday is already Monday 00:30 in Berlin: Monday's slot is Berlin's today.
        (
            datetime(2026, 12, 6, 23, 30, tzinfo=UTC),
            0,
            9,
            BERLIN,
            datetime(2026, 12, 7, 8, tzinfo=UTC),
        ),
    ],
)
def test_first_slot(
    now: datetime, weekday: int, hour: int, zone: ZoneInfo, expected: datetime
) -> None:
    assert digest.first_slot(now, weekday, hour, zone) == expected


def test_a_missed_digest_is_postable_until_its_local_day_ends() -> None:
    slot = datetime(2026, 12, 7, 8, tzinfo=UTC)  # Monday 09:00 Berlin
    ends = datetime(2026, 12, 7, 23, tzinfo=UTC)  # Tuesday 00:00 Berlin
    assert digest.day_ends(slot, BERLIN) == ends
    assert not digest.still_postable(slot, slot - timedelta(seconds=1), BERLIN)
    assert digest.still_postable(slot, slot, BERLIN)
    assert digest.still_postable(slot, ends - timedelta(seconds=1), BERLIN)
    assert not digest.still_postable(slot, ends, BERLIN)


def test_the_following_slot_keeps_the_local_hour_across_a_dst_change() -> None:
    # Monday 23 March 2026 09:00 CET (08:00 UTC); the clocks go forward on the 29th.
    slot = datetime(2026, 3, 23, 8, tzinfo=UTC)
    following = digest.following_slot(slot, 9, BERLIN)
    assert following == datetime(2026, 3, 30, 7, tzinfo=UTC)  # 09:00 CEST
    assert following.astimezone(BERLIN).hour == 9


@pytest.mark.parametrize(("weekday", "hour"), [(-1, 9), (7, 9), (0, -1), (0, 24)])
def test_a_slot_outside_the_week_or_the_day_is_refused(weekday: int, hour: int) -> None:
    with pytest.raises(InvalidInput):
        digest.check_slot(weekday, hour)


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(0, 6),
    st.integers(0, 23),
    st.sampled_from(
        ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]
    ),
)
def test_the_first_slot_is_on_its_weekday_and_hour_and_not_before_today(
    naive: datetime, weekday: int, hour: int, name: str
) -> None:
    zone = ZoneInfo(name)
    now = naive.replace(tzinfo=UTC)
    slot = digest.first_slot(now, weekday, hour, zone)
    local = slot.astimezone(zone)
    assert local.weekday() == weekday
    assert local.date() >= now.astimezone(zone).date()
    assert slot - now < timedelta(days=7, hours=2)
    # Either due now and still postable, or ahead.
    assert slot > now or digest.still_postable(slot, now, zone)
