"""Timezone names as members type them, and the autocomplete choices."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidInput
from bot.forecasting.timezones import COMMON_TIMEZONES, resolve_timezone, timezone_choices


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN  ", "Europe/Berlin"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Etc/UTC", "Etc/UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_resolve_timezone(typed: str, expected: str) -> None:
    zone = resolve_timezone(typed)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == expected


@pytest.mark.parametrize("typed", ["", "   ", "Mars/Olympus", "Berlin", "localtime", "Factory"])
def test_unknown_timezone_explains_how_to_fix_it(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_timezone(typed)
    message = str(caught.value)
    assert "`Europe/Berlin`" in message
    assert "autocomplete" in message


def test_near_miss_suggests_the_right_name() -> None:
    with pytest.raises(InvalidInput, match="Did you mean `Europe/Berlin`"):
        resolve_timezone("Europe/Berln")


def test_empty_query_offers_common_zones() -> None:
    assert timezone_choices("") == list(COMMON_TIMEZONES)
    assert timezone_choices("  ", limit=3) == list(COMMON_TIMEZONES[:3])
    assert all(resolve_timezone(name).key == name for name in COMMON_TIMEZONES)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("berlin", "Europe/Berlin"),
        ("europe/ber", "Europe/Berlin"),
        ("new y", "America/New_York"),
        ("TOKYO", "Asia/Tokyo"),
        ("utc", "UTC"),
    ],
)
def test_choices_start_with_the_best_match(query: str, first: str) -> None:
    assert timezone_choices(query)[0] == first


def test_prefix_matches_come_before_other_matches() -> None:
    choices = timezone_choices("lon")
    assert choices.index("Europe/London") < choices.index("America/Miquelon")
    whole_name_prefixes = [c for c in choices if c.lower().startswith("lon")]
    assert choices[: len(whole_name_prefixes)] == whole_name_prefixes


def test_choices_are_sorted_within_each_rank_and_limited() -> None:
    europe = timezone_choices("europe/", limit=25)
    assert len(europe) == 25
    assert europe == sorted(europe)
    assert len(timezone_choices("a", limit=5)) == 5
    assert timezone_choices("a", limit=0) == []


def test_every_choice_contains_the_query_and_resolves() -> None:
    for query in ("an", "america", "_", "/"):
        for name in timezone_choices(query):
            assert query in name.lower()
            assert resolve_timezone(name).key == name


def test_nonsense_query_has_no_choices() -> None:
    assert timezone_choices("zzzzzz") == []
