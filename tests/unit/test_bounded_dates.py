"""Date parsing is bounded: long text is refused or cut before dateparser sees it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import bot.forecasting.dates as dates
from bot.domain.errors import InvalidInput
from bot.forecasting.dates import DATE_SCAN_CHARS, find_date_in_text, parse_when

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


@pytest.fixture
def dateparser_inputs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text handed to dateparser (parsing and searching)."""
    seen: list[int] = []
    search, parser = dates.search_dates, dates.DateDataParser

    def recording_search(text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(text))
        return search(text, *args, **kwargs)

    class RecordingParser(parser):  # type: ignore[misc, valid-type]
        def get_date_data(self, text: str, *args: Any, **kwargs: Any) -> Any:
            seen.append(len(text))
            return super().get_date_data(text, *args, **kwargs)

    monkeypatch.setattr(dates, "search_dates", recording_search)
    monkeypatch.setattr(dates, "DateDataParser", RecordingParser)
    return seen


def test_a_six_thousand_character_resolves_is_refused_before_parsing(
    dateparser_inputs: list[int],
) -> None:
    with pytest.raises(InvalidInput, match="longer than 100 characters"):
        parse_when("in 3 months " + "and then some more words " * 240, now=NOW, tz=UTC_ZONE)
    assert dateparser_inputs == []
    assert parse_when("in 3 months", now=NOW, tz=UTC_ZONE) > NOW  # short phrases still read


def test_track_as_prediction_scans_a_bounded_prefix_of_four_thousand_digits(
    dateparser_inputs: list[int],
) -> None:
    assert find_date_in_text("7" * 4_000, now=NOW, tz=UTC_ZONE) is None
    assert dateparser_inputs and max(dateparser_inputs) <= DATE_SCAN_CHARS


def test_a_date_early_in_a_long_message_is_still_found() -> None:
    text = "The bridge opens before 2027-06-30, I reckon. " + "Blah " * 1_000
    found = find_date_in_text(text, now=NOW, tz=UTC_ZONE)
    assert found is not None and found[0] == "2027-06-30"
