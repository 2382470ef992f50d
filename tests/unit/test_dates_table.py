"""Every phrase is read right or refused, never silently wrong: a table across zones.

Each expected moment is computed here, independently of the parser, from the wall-clock time a
careful human reads in the phrase and the zone that clock belongs to (``zoneinfo``). A phrase is
either exactly that moment or a clear refusal (:class:`InvalidInput`); any other date fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidInput
from bot.forecasting.dates import parse_when

# Friday 27 November 2026, 12:00 UTC: already Saturday in Kiritimati (UTC+14) and Auckland.
NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
# Friday 27 November 2026, 23:30 UTC: Saturday in Berlin's east (Kolkata, Kathmandu, Auckland…).
LATE = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)

MEMBER_ZONES = (
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Kolkata",  # UTC+5:30
    "Asia/Kathmandu",  # UTC+5:45
    "Australia/Adelaide",  # UTC+10:30 in (southern) summer
    "Pacific/Auckland",
    "Pacific/Kiritimati",  # UTC+14: the member's date is ahead of UTC's
    "Pacific/Pago_Pago",  # UTC−11: the member's date is behind
    "America/St_Johns",  # UTC−3:30
    "UTC",
)
REFUSED = "refused"


@dataclass(frozen=True)
class Case:
    phrase: str
    member: str
    now: datetime
    expected: datetime | str  # the moment (aware), or REFUSED

    def __str__(self) -> str:
        return f"{self.phrase!r} for a member in {self.member} at {self.now:%Y-%m-%d %H:%M}Z"


def at(zone: str | tzinfo, *fields: int) -> datetime:
    """The wall-clock time ``fields`` on ``zone``'s clock (the first, if it happens twice)."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return datetime(*fields, tzinfo=tz)  # type: ignore[misc]


def offset(hours: int, minutes: int = 0) -> tzinfo:
    sign = -1 if hours < 0 else 1
    return timezone(sign * timedelta(hours=abs(hours), minutes=minutes))


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def end_of(day: date, zone: str) -> datetime:
    return at(zone, day.year, day.month, day.day, 23, 59)


# --- explicit zones: the same moment whoever writes them -------------------------------------

EXPLICIT: list[tuple[str, datetime | str]] = [
    ("2027-06-30T12:00Z", at("UTC", 2027, 6, 30, 12, 0)),
    ("2027-06-30 17:00 UTC", at("UTC", 2027, 6, 30, 17, 0)),
    ("2027-06-30 17:00 GMT", at("UTC", 2027, 6, 30, 17, 0)),
    ("2027-06-30T12:00+02:00", at(offset(2), 2027, 6, 30, 12, 0)),
    ("2027-06-30T12:00:00-0330", at(offset(-3, 30), 2027, 6, 30, 12, 0)),
    ("2027-06-30 12:00 UTC+5:30", at(offset(5, 30), 2027, 6, 30, 12, 0)),
    ("2027-06-30 12:00 GMT-5", at(offset(-5), 2027, 6, 30, 12, 0)),
    ("2027-06-30 5pm PT", at("America/Los_Angeles", 2027, 6, 30, 17, 0)),
    ("2027-01-15 5pm PT", at("America/Los_Angeles", 2027, 1, 15, 17, 0)),
    ("2027-06-30 17:00 America/Los_Angeles", at("America/Los_Angeles", 2027, 6, 30, 17, 0)),
    ("2027-06-30 17:00 asia/kathmandu", at("Asia/Kathmandu", 2027, 6, 30, 17, 0)),
    ("2027-06-30 09:00 ET", at("America/New_York", 2027, 6, 30, 9, 0)),
    ("2027-06-30 9am EDT", at(offset(-4), 2027, 6, 30, 9, 0)),
    ("2027-01-15 9am EST", at(offset(-5), 2027, 1, 15, 9, 0)),
    ("2027-01-15 17:00 CET", at(offset(1), 2027, 1, 15, 17, 0)),
    ("2027-07-15 17:00 CEST", at(offset(2), 2027, 7, 15, 17, 0)),
    ("2027-06-30 17:00 NPT", at(offset(5, 45), 2027, 6, 30, 17, 0)),
    ("2027-06-30 17:00 America/St_Johns", at("America/St_Johns", 2027, 6, 30, 17, 0)),
    ("17:00 UTC on 30 June 2027", at("UTC", 2027, 6, 30, 17, 0)),
    ("30 June 2027 17:00 UTC", at("UTC", 2027, 6, 30, 17, 0)),
    ("end of 2027 UTC", at("UTC", 2027, 12, 31, 23, 59)),
    ("2027-06-30 AEST", at(offset(10), 2027, 6, 30, 23, 59)),
    # refused: ambiguous abbreviations, summer/standard mismatches, impossible offsets
    ("2027-06-30 17:00 IST", REFUSED),
    ("2027-06-30 17:00 CST", REFUSED),
    ("2027-06-30 17:00 BST", REFUSED),
    ("2027-06-30 17:00 EST", REFUSED),  # New York is on EDT on 30 June
    ("2027-01-15 17:00 CEST", REFUSED),  # Paris is on CET in January
    ("2027-06-30 17:00 UTC+15", REFUSED),
    ("2027-06-30 12:00-13:00", REFUSED),  # a range, or an offset no place uses: not guessed
    ("2027-06-30 12:00 UTC+14", at(offset(14), 2027, 6, 30, 12, 0)),
    ("2027-06-30T12:00:00.000Z", at("UTC", 2027, 6, 30, 12, 0)),
    ("2027-06-30 17:00 UTC PT", REFUSED),
]

# Every spelling of a date and a time, in every way of writing a zone: 135 more phrases.
ZONE_SPELLINGS: list[tuple[str, str | tzinfo]] = [
    ("UTC", "UTC"),
    ("GMT", "UTC"),
    ("PT", "America/Los_Angeles"),
    ("ET", "America/New_York"),
    ("CT", "America/Chicago"),
    ("MT", "America/Denver"),
    ("AET", "Australia/Sydney"),
    ("America/Sao_Paulo", "America/Sao_Paulo"),
    ("Asia/Kolkata", "Asia/Kolkata"),
    ("asia/kathmandu", "Asia/Kathmandu"),
    ("Australia/Adelaide", "Australia/Adelaide"),
    ("Pacific/Chatham", "Pacific/Chatham"),  # UTC+12:45 / +13:45
    ("UTC+5:30", offset(5, 30)),
    ("GMT-3:30", offset(-3, 30)),
    ("UTC+09:45", offset(9, 45)),
]
DAY_SPELLINGS = [
    ("2027-06-30", (2027, 6, 30)),
    ("30 June 2027", (2027, 6, 30)),
    ("Dec 15, 2027", (2027, 12, 15)),
]
TIME_SPELLINGS = [("17:00", (17, 0)), ("5pm", (17, 0)), ("9:30am", (9, 30))]
SPELLED: list[tuple[str, datetime]] = [
    (f"{day} {clock} {zone}", at(tz, *ymd, *hm))
    for zone, tz in ZONE_SPELLINGS
    for day, ymd in DAY_SPELLINGS
    for clock, hm in TIME_SPELLINGS
]

# --- periods: the end of them, on the member's clock -----------------------------------------

PERIODS: list[tuple[str, tuple[int, int, int] | str]] = [
    ("H1 2027", (2027, 6, 30)),
    ("h1 2027", (2027, 6, 30)),
    ("2027 H1", (2027, 6, 30)),
    ("by H1 2027", (2027, 6, 30)),
    ("first half of 2027", (2027, 6, 30)),
    ("H2 2027", (2027, 12, 31)),
    ("second half of 2027", (2027, 12, 31)),
    ("mid-2027", (2027, 6, 30)),
    ("mid 2027", (2027, 6, 30)),
    ("mid-March 2027", (2027, 3, 15)),
    ("end of the decade", (2029, 12, 31)),
    ("end of next decade", (2039, 12, 31)),
    ("end of the 2030s", (2039, 12, 31)),
    ("summer 2027", REFUSED),
    ("end of winter", REFUSED),
    ("next weekend", REFUSED),
]


def _cases() -> list[Case]:
    cases = [
        Case(phrase, member, NOON, expected)
        for phrase, expected in EXPLICIT
        for member in (*MEMBER_ZONES[::2], "America/Los_Angeles")
    ]
    cases += [
        Case(phrase, MEMBER_ZONES[index % len(MEMBER_ZONES)], NOON, expected)
        for index, (phrase, expected) in enumerate(SPELLED)
    ]
    for phrase, day in PERIODS:
        for member in MEMBER_ZONES[1::3]:
            expected = day if isinstance(day, str) else at(member, *day, 23, 59)
            cases.append(Case(phrase, member, NOON, expected))
    for member in MEMBER_ZONES:
        for now in (NOON, LATE):
            today = local_today(now, member)
            sunday = today + timedelta(days=6 - today.weekday())
            friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
            cases += [
                Case("today", member, now, end_of(today, member)),
                Case("tomorrow", member, now, end_of(today + timedelta(days=1), member)),
                Case("this weekend", member, now, end_of(sunday, member)),
                Case("next year", member, now, end_of(today.replace(year=today.year + 1), member)),
            ]
            if today.weekday() != 4:  # "friday" on a Friday is next week's: tested elsewhere
                cases.append(Case("EOD friday", member, now, end_of(friday, member)))
        utc_today = NOON.date()
        cases += [
            # An explicit zone's "today" is that zone's today, whatever the member's date.
            Case("today 17:00 UTC", member, NOON, at("UTC", *_ymd(utc_today), 17, 0)),
            Case("in 90 minutes", member, NOON, NOON + timedelta(minutes=90)),
        ]
    return cases + _clock_changes()


def _ymd(day: date) -> tuple[int, int, int]:
    return day.year, day.month, day.day


def _clock_changes() -> list[Case]:
    """Times the clocks skip are refused; times they repeat are the first; elapsed is exact."""
    berlin_spring = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 01:30 CET, 90 min before 03:00
    return [
        Case("2027-03-28 02:30", "Europe/Berlin", NOON, REFUSED),
        Case("2027-03-28 02:30 Europe/Berlin", "UTC", NOON, REFUSED),
        Case("2027-03-14 02:30 ET", "Europe/Berlin", NOON, REFUSED),
        Case("2027-10-03 02:15", "Australia/Lord_Howe", NOON, REFUSED),  # a half-hour jump
        Case("2027-09-26 03:00", "Pacific/Chatham", NOON, REFUSED),  # UTC+12:45 → +13:45
        Case("2027-10-31 02:30", "Europe/Berlin", NOON, at("Europe/Berlin", 2027, 10, 31, 2, 30)),
        Case(
            "2027-11-07 01:30 ET", "Asia/Kolkata", NOON, at("America/New_York", 2027, 11, 7, 1, 30)
        ),
        Case(
            "2027-04-04 01:45",
            "Australia/Lord_Howe",
            NOON,
            at("Australia/Lord_Howe", 2027, 4, 4, 1, 45),
        ),
        Case("2027-03-28 03:00", "Europe/Berlin", NOON, at("Europe/Berlin", 2027, 3, 28, 3, 0)),
        Case(
            "in 90 minutes", "Europe/Berlin", berlin_spring, berlin_spring + timedelta(minutes=90)
        ),
        Case("in 2 hours", "Europe/Berlin", berlin_spring, berlin_spring + timedelta(hours=2)),
    ]


CASES = _cases()


def test_the_table_covers_at_least_150_distinct_phrases_across_zones() -> None:
    assert len({case.phrase for case in CASES}) >= 150
    assert len({case.member for case in CASES}) >= 10
    assert sum(case.expected == REFUSED for case in CASES) >= 20


def test_the_skipped_times_in_the_table_really_do_not_exist() -> None:
    """The table's own premise, checked with zoneinfo: a skipped time does not round-trip."""
    for zone, fields in (
        ("Europe/Berlin", (2027, 3, 28, 2, 30)),
        ("America/New_York", (2027, 3, 14, 2, 30)),
        ("Australia/Lord_Howe", (2027, 10, 3, 2, 15)),
        ("Pacific/Chatham", (2027, 9, 26, 3, 0)),
    ):
        local = at(zone, *fields)
        assert local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) != (
            local.replace(tzinfo=None)
        ), zone


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_phrase_is_read_right_or_refused(case: Case) -> None:
    member = ZoneInfo(case.member)
    if case.expected == REFUSED:
        with pytest.raises(InvalidInput) as caught:
            parse_when(case.phrase, now=case.now, tz=member)
        assert "e.g. `" in str(caught.value)  # a refusal says what to write instead
        return
    assert isinstance(case.expected, datetime)
    result = parse_when(case.phrase, now=case.now, tz=member)
    assert result.tzinfo is UTC
    assert result == case.expected.astimezone(UTC), result.astimezone(member)
