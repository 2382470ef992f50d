"""Natural-language dates: read in the member's timezone, vague dates mean the end of them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import DateNotInFuture, InvalidInput
from bot.forecasting.dates import find_date_in_text, parse_when

# Friday 27 November 2026: 13:00 in Berlin (CET), 07:00 in New York (EST).
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

# phrase, expected local time in Berlin, expected local time in New York
PHRASES = [
    ("in 3 months", "2027-02-27 23:59", "2027-02-27 23:59"),
    ("2027-06-30", "2027-06-30 23:59", "2027-06-30 23:59"),
    ("2027-06-30 14:00", "2027-06-30 14:00", "2027-06-30 14:00"),
    ("2027-06-30T14:00", "2027-06-30 14:00", "2027-06-30 14:00"),
    ("next friday 17:00", "2026-12-04 17:00", "2026-12-04 17:00"),
    ("next tuesday at noon", "2026-12-01 12:00", "2026-12-01 12:00"),
    ("end of 2027", "2027-12-31 23:59", "2027-12-31 23:59"),
    ("the end of March 2027", "2027-03-31 23:59", "2027-03-31 23:59"),
    ("end of march", "2027-03-31 23:59", "2027-03-31 23:59"),
    ("end of month", "2026-11-30 23:59", "2026-11-30 23:59"),
    ("end of this month", "2026-11-30 23:59", "2026-11-30 23:59"),
    ("end of next month", "2026-12-31 23:59", "2026-12-31 23:59"),
    ("end of the week", "2026-11-29 23:59", "2026-11-29 23:59"),
    ("end of next week", "2026-12-06 23:59", "2026-12-06 23:59"),
    ("end of quarter", "2026-12-31 23:59", "2026-12-31 23:59"),
    ("end of next quarter", "2027-03-31 23:59", "2027-03-31 23:59"),
    ("end of next year", "2027-12-31 23:59", "2027-12-31 23:59"),
    ("end of q1 2027", "2027-03-31 23:59", "2027-03-31 23:59"),
    ("end of day", "2026-11-27 23:59", "2026-11-27 23:59"),
    ("end of tomorrow", "2026-11-28 23:59", "2026-11-28 23:59"),
    ("eoy", "2026-12-31 23:59", "2026-12-31 23:59"),
    ("tomorrow", "2026-11-28 23:59", "2026-11-28 23:59"),
    ("today", "2026-11-27 23:59", "2026-11-27 23:59"),
    ("in 2 weeks", "2026-12-11 23:59", "2026-12-11 23:59"),
    ("in 3 days", "2026-11-30 23:59", "2026-11-30 23:59"),
    ("in 1 year", "2027-11-27 23:59", "2027-11-27 23:59"),
    ("in 3 months time", "2027-02-27 23:59", "2027-02-27 23:59"),
    ("next month", "2026-12-27 23:59", "2026-12-27 23:59"),
    ("in 90 minutes", "2026-11-27 14:30", "2026-11-27 08:30"),
    ("9am", "2026-11-28 09:00", "2026-11-27 09:00"),
    ("noon", "2026-11-28 12:00", "2026-11-27 12:00"),
    ("17:00", "2026-11-27 17:00", "2026-11-27 17:00"),
    ("31 Dec 2027 23:59", "2027-12-31 23:59", "2027-12-31 23:59"),
    ("June 30, 2027", "2027-06-30 23:59", "2027-06-30 23:59"),
    ("by June 30, 2027", "2027-06-30 23:59", "2027-06-30 23:59"),
    ("31.12.2027", "2027-12-31 23:59", "2027-12-31 23:59"),
    ("friday", "2026-12-04 23:59", "2026-12-04 23:59"),
    ("jan 1", "2027-01-01 23:59", "2027-01-01 23:59"),
    ("2027", "2027-12-31 23:59", "2027-12-31 23:59"),
    ("2026", "2026-12-31 23:59", "2026-12-31 23:59"),
    ("March 2027", "2027-03-31 23:59", "2027-03-31 23:59"),
    ("dec 2027", "2027-12-31 23:59", "2027-12-31 23:59"),
    ("november", "2026-11-30 23:59", "2026-11-30 23:59"),
    ("q3 2027", "2027-09-30 23:59", "2027-09-30 23:59"),
    ("  In   3 MONTHS  ", "2027-02-27 23:59", "2027-02-27 23:59"),
]


@pytest.mark.parametrize(("phrase", "berlin", "new_york"), PHRASES)
def test_phrase_table(phrase: str, berlin: str, new_york: str) -> None:
    for tz, expected in ((BERLIN, berlin), (NEW_YORK, new_york)):
        result = parse_when(phrase, now=NOW, tz=tz)
        assert result.tzinfo is UTC
        assert result > NOW
        assert result.astimezone(tz).strftime("%Y-%m-%d %H:%M") == expected, tz.key


def test_table_is_large_enough() -> None:
    assert len(PHRASES) >= 25


def test_result_is_utc_across_daylight_saving() -> None:
    # 30 June is summer time in Berlin (UTC+2): 23:59 local is 21:59 UTC.
    assert parse_when("2027-06-30", now=NOW, tz=BERLIN) == datetime(2027, 6, 30, 21, 59, tzinfo=UTC)
    assert parse_when("2027-06-30", now=NOW, tz=NEW_YORK) == datetime(2027, 7, 1, 3, 59, tzinfo=UTC)


def test_relative_phrases_at_local_midnight_are_still_relative() -> None:
    midnight_in_berlin = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    cases = {"in 3 months": "2027-02-27 23:59", "March 2027": "2027-03-31 23:59"}
    for phrase, expected in cases.items():
        result = parse_when(phrase, now=midnight_in_berlin, tz=BERLIN)
        assert result.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    ("phrase", "fragment"),
    [
        ("", "Please give a close date"),
        ("   ", "Please give a close date"),
        ("asdf", "couldn't read `asdf` as a close date"),
        ("christmas", "couldn't read"),
        ("3", "couldn't read"),
        ("70", "couldn't read"),
        ("end of asdf", "couldn't read"),
        ("30 feb 2027", "couldn't read"),
        ("2027-02-30", "not a real date"),
        ("2027-02-29", "not a real date"),
        ("2027-13-01", "not a real date"),
        ("2027-06-30 25:00", "not a real date"),
        ("yesterday", "not in the future"),
        ("now", "not in the future"),
        ("1999", "not in the future"),
        ("in 500 years", "more than 100 years away"),
        ("2127", "more than 100 years away"),
        ("in 10000 years", "couldn't read"),
    ],
)
def test_bad_input_names_the_field_and_shows_an_example(phrase: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(phrase, now=NOW, tz=BERLIN, what="close date")
    message = str(caught.value)
    assert fragment in message
    assert "close date" in message
    assert "e.g. `" in message


def test_leap_day_exists_in_a_leap_year() -> None:
    result = parse_when("2028-02-29", now=NOW, tz=BERLIN)
    assert result.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == "2028-02-29 23:59"


def test_past_date_error_shows_what_was_understood() -> None:
    with pytest.raises(DateNotInFuture) as caught:
        parse_when("yesterday", now=NOW, tz=BERLIN)
    yesterday_end = datetime(2026, 11, 26, 23, 59, tzinfo=BERLIN)
    assert caught.value.when == yesterday_end
    assert "2026-11-26 22:59 UTC" in str(caught.value)
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize(
    ("text", "phrase", "berlin"),
    [
        ("Company X will not discuss Y before 2027-06-30", "2027-06-30", "2027-06-30 23:59"),
        ("I think X happens by June 30, 2027 for sure", "by June 30, 2027", "2027-06-30 23:59"),
        ("We'll know by end of 2027", "end of 2027", "2027-12-31 23:59"),
        ("It happens by the end of March 2027.", "end of March 2027", "2027-03-31 23:59"),
        ("In March 2027 we will see", "In March 2027", "2027-03-31 23:59"),
        ("In 3 months the price will be 50", "In 3 months", "2027-02-27 23:59"),
        ("I may go tomorrow", "tomorrow", "2026-11-28 23:59"),
        ("Said it 2 days ago, will repeat in 2 weeks", "in 2 weeks", "2026-12-11 23:59"),
        (
            "I bet 70 that it happens next friday at 17:00",
            "next friday at 17:00",
            "2026-12-04 17:00",
        ),
        ("the 2024 election was wild, 2028 will be too", "2028", "2028-12-31 23:59"),
        ("Released in 1999, sequel by end of next month", "end of next month", "2026-12-31 23:59"),
        ("GPT-5 by 2027-02-30 lol, or on 2027-03-01", "on 2027-03-01", "2027-03-01 23:59"),
        # An ISO date reads the same in any language.
        ("в пятницу 2027-05-01 мост откроют", "2027-05-01", "2027-05-01 23:59"),
        ("Die Brücke ist am 2027-05-01 14:30 fertig", "2027-05-01 14:30", "2027-05-01 14:30"),
    ],
)
def test_find_date_in_text(text: str, phrase: str, berlin: str) -> None:
    found = find_date_in_text(text, now=NOW, tz=BERLIN)
    assert found is not None
    assert found[0] == phrase
    assert phrase in text
    assert found[1].tzinfo is UTC
    assert found[1].astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == berlin


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "I have 3 cats",
        "nothing here",
        "see you at 5",
        "it'll take a second",
        "May the force be with you",
        "They march on",
        "The 3000 cats in 2500 will",
        "Back in 1999 it was 2 days ago",
    ],
)
def test_find_date_in_text_ignores_noise_and_the_past(text: str) -> None:
    assert find_date_in_text(text, now=NOW, tz=BERLIN) is None


WORDS = [
    "in",
    "3",
    "months",
    "end",
    "of",
    "next",
    "0000",
    "9999",
    "10000",
    "2027",
    "feb",
    "30",
    "tomorrow",
    "yesterday",
    "ago",
    "year",
    "the",
    "by",
    "12:00",
    "25:61",
    "-",
    "/",
    "q4",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join) | st.text(max_size=20))
def test_any_text_gives_a_future_date_or_a_member_facing_error(text: str) -> None:
    for tz in (BERLIN, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")):
        try:
            result = parse_when(text, now=NOW, tz=tz)
        except InvalidInput:
            pass
        else:
            assert result > NOW and result.tzinfo is UTC
        found = find_date_in_text(text, now=NOW, tz=tz)
        assert found is None or (found[0] in text and found[1] > NOW)


@pytest.mark.parametrize("text", ["0000", "end of 0000", "0000-01-01", "9999-12-31 23:59"])
def test_calendar_extremes_are_member_facing_errors(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_when(text, now=NOW, tz=BERLIN)


@pytest.mark.parametrize("text", ["1¸S", "1¸ S in Berlin"])
def test_a_phrase_the_parser_rewrote_is_not_offered_as_the_members_words(text: str) -> None:
    """dateparser's search normalises some characters ("1¸S" comes back as "1¸ S"): a phrase
    that is not in the message cannot be echoed as what the member wrote."""
    found = find_date_in_text(text, now=NOW, tz=BERLIN)
    assert found is None or found[0] in text
