"""Each point of issue #24, on its own: explicit zones win, periods read right, the rest refused.

Only ``parse_when`` and ``find_date_in_text`` are used here (names that predate the issue), so
every test ran, and failed, against the reading before the fix.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidInput
from bot.forecasting.dates import find_date_in_text, parse_when

# Friday 27 November 2026, 13:00 in Berlin.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def berlin(phrase: str, now: datetime = NOW) -> datetime:
    return parse_when(phrase, now=now, tz=BERLIN)


def refusal(phrase: str, tz: ZoneInfo = BERLIN) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_when(phrase, now=NOW, tz=tz)
    return str(caught.value)


# --- an explicit zone wins ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2027-06-30T12:00Z", datetime(2027, 6, 30, 12, 0, tzinfo=UTC)),
        ("2027-06-30 17:00 UTC", datetime(2027, 6, 30, 17, 0, tzinfo=UTC)),
        ("2027-06-30 5pm PT", datetime(2027, 6, 30, 17, 0, tzinfo=LOS_ANGELES)),
        ("2027-06-30 17:00 America/Los_Angeles", datetime(2027, 6, 30, 17, 0, tzinfo=LOS_ANGELES)),
        ("2027-06-30T12:00+02:00", datetime(2027, 6, 30, 10, 0, tzinfo=UTC)),
        ("2027-06-30 12:00 UTC+5:30", datetime(2027, 6, 30, 6, 30, tzinfo=UTC)),
    ],
)
def test_an_explicit_zone_wins_over_the_members_own(phrase: str, expected: datetime) -> None:
    assert berlin(phrase) == expected


def test_a_generic_abbreviation_follows_summer_time() -> None:
    assert berlin("2027-01-15 5pm PT") == datetime(2027, 1, 16, 1, 0, tzinfo=UTC)  # PST, UTC−8
    assert berlin("2027-06-30 5pm PT") == datetime(2027, 7, 1, 0, 0, tzinfo=UTC)  # PDT, UTC−7


def test_a_relative_phrase_with_a_zone_is_read_on_that_zones_clock() -> None:
    # 04:00 in Los Angeles: its 5pm today is still ahead, though Berlin's 5pm is not far off.
    assert berlin("5pm PT") == datetime(2026, 11, 27, 17, 0, tzinfo=LOS_ANGELES)
    # Auckland is already on Saturday; UTC's "today" is still Friday.
    auckland = parse_when("today 17:00 UTC", now=NOW, tz=ZoneInfo("Pacific/Auckland"))
    assert auckland == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("abbreviation", "choices"),
    [("IST", ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")), ("CST", ("Asia/Shanghai",))],
)
def test_an_ambiguous_abbreviation_is_refused_with_the_choices_named(
    abbreviation: str, choices: tuple[str, ...]
) -> None:
    message = refusal(f"2027-06-30 17:00 {abbreviation}")
    assert f"`{abbreviation}` names more than one time zone" in message
    for choice in choices:
        assert choice in message


def test_a_standard_time_abbreviation_on_a_summer_day_is_refused_naming_both() -> None:
    message = refusal("2027-06-30 17:00 EST")
    assert "EST (UTC-5)" in message and "EDT (UTC-4)" in message
    assert berlin("2027-01-15 17:00 EST") == datetime(2027, 1, 15, 22, 0, tzinfo=UTC)


def test_a_zone_the_parser_knows_but_we_do_not_is_refused_not_dropped() -> None:
    assert "time zone" in refusal("2027-06-30 17:00 WIB")


# --- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("H1 2027", (2027, 6, 30)),
        ("H2 2027", (2027, 12, 31)),
        ("first half of 2027", (2027, 6, 30)),
        ("mid-2027", (2027, 6, 30)),
        ("mid-March 2027", (2027, 3, 15)),
        ("H1", (2027, 6, 30)),  # this year's first half is over: next year's
        ("H2", (2026, 12, 31)),
        ("this weekend", (2026, 11, 29)),
        ("EOD friday", (2026, 12, 4)),
        ("end of day friday", (2026, 12, 4)),
        ("end of the decade", (2029, 12, 31)),
        ("end of the century", (2099, 12, 31)),
    ],
)
def test_periods_are_read_as_their_end(phrase: str, day: tuple[int, int, int]) -> None:
    assert berlin(phrase) == datetime(*day, 23, 59, tzinfo=BERLIN)


def test_this_weekend_on_a_sunday_is_today() -> None:
    sunday = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    assert berlin("this weekend", sunday) == datetime(2026, 11, 29, 23, 59, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "phrase", ["summer 2027", "by fall", "end of winter 2027", "spring", "Summer 2027"]
)
def test_a_season_is_refused_with_a_suggestion(phrase: str) -> None:
    message = refusal(phrase)
    assert "hemisphere" in message and "e.g. `end of August 2027`" in message


def test_next_weekend_is_refused_as_ambiguous() -> None:
    assert "this weekend" in refusal("next weekend")


def test_next_year_is_the_same_day_next_year() -> None:
    """Documented in the README; the echo shows the full date, so it is never a surprise."""
    assert berlin("next year") == datetime(2027, 11, 27, 23, 59, tzinfo=BERLIN)


# --- clock changes -----------------------------------------------------------------------------


def test_a_local_time_the_clocks_skip_is_refused_with_a_real_one_suggested() -> None:
    message = refusal("2027-03-28 02:30")
    assert "does not exist in Europe/Berlin" in message and "`2027-03-28 03:30`" in message


def test_a_local_time_that_happens_twice_is_the_first() -> None:
    assert berlin("2027-10-31 02:30") == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # CEST


def test_minutes_and_hours_ahead_are_elapsed_time_across_a_clock_change() -> None:
    before_the_jump = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 01:30 CET
    assert berlin("in 90 minutes", before_the_jump) == before_the_jump + timedelta(minutes=90)
    assert berlin("in 2 hours", before_the_jump) == before_the_jump + timedelta(hours=2)


# --- "Track as prediction" uses the same reading -----------------------------------------------


def found(text: str) -> tuple[str, datetime] | None:
    return find_date_in_text(text, now=NOW, tz=BERLIN)


def test_track_as_prediction_reads_the_zone_written_in_the_message() -> None:
    assert found("The launch happens before 2027-06-30 17:00 UTC, surely") == (
        "2027-06-30 17:00 UTC",
        datetime(2027, 6, 30, 17, 0, tzinfo=UTC),
    )
    phrase, when = found("Keynote on June 30, 2027 at 5pm PT.") or ("", NOW)
    assert phrase.endswith("5pm PT")
    assert when == datetime(2027, 6, 30, 17, 0, tzinfo=LOS_ANGELES)


@pytest.mark.parametrize(
    "text",
    [
        "They ship 2027-06-30 17:00 IST or so",  # not 17:00 Berlin
        "They ship 2027-06-30 17:00 WIB or so",
        "They ship in summer 2027 I think",  # not the end of 2027
    ],
)
def test_track_as_prediction_takes_no_part_of_a_refused_phrase(text: str) -> None:
    assert found(text) is None


def test_track_as_prediction_finds_a_date_after_a_refused_phrase() -> None:
    assert found("Maybe in summer 2027, surely by 2028-03-01") == (
        "by 2028-03-01",
        datetime(2028, 3, 1, 23, 59, tzinfo=BERLIN),
    )


def test_track_as_prediction_reads_periods_and_ignores_capitals_that_are_no_zone() -> None:
    assert found("Revenue doubles in H1 2027") == (
        "H1 2027",
        datetime(2027, 6, 30, 23, 59, tzinfo=BERLIN),
    )
    assert found("Launch 2027-06-30 17:00 NASA says") == (
        "2027-06-30 17:00",
        datetime(2027, 6, 30, 17, 0, tzinfo=BERLIN),
    )
