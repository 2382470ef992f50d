"""Numeric and date question kinds: the setup, the typed forecast and its repeat-back, the
checks every path goes through, outcomes beyond an open end, and the scores."""

from __future__ import annotations

import math

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.kinds import kind_for, kinds, parse_resolution
from bot.domain.kinds.ranges import RangeForecast, RangeKind, RangeOutcome
from bot.domain.vocabulary import Outcome


def seats(open_ends: str = "high") -> RangeKind:
    fields = {"low": "0", "high": "650", "unit": "seats", "open_ends": open_ends}
    kind = kind_for("numeric", kind_for("numeric").parse_spec(fields))
    assert isinstance(kind, RangeKind)
    return kind


def bridge(open_ends: str = "high") -> RangeKind:
    fields = {"low": "2027-01-01", "high": "2027-12-31", "open_ends": open_ends}
    kind = kind_for("date", kind_for("date").parse_spec(fields))
    assert isinstance(kind, RangeKind)
    return kind


def test_numeric_and_date_are_registered_kinds_with_their_titles() -> None:
    titles = {kind.name: kind.title for kind in kinds()}
    assert titles["numeric"] == "numeric"
    assert titles["date"] == "date"


def test_the_setup_is_kept_and_bound_per_question() -> None:
    kind = seats("both")
    assert kind.spec_of() == {
        "low": 0,
        "high": 650,
        "unit": "seats",
        "open_low": True,
        "open_high": True,
    }
    assert bridge("neither").spec_of() == {
        "low": "2027-01-01",
        "high": "2027-12-31",
        "open_low": False,
        "open_high": False,
    }


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [
        ("numeric", {"low": "0"}, "needs a `low` and a `high`"),
        ("numeric", {"low": "ten", "high": "20"}, "must be numbers"),
        ("numeric", {"low": "20", "high": "10"}, "`low` must be below `high`"),
        ("numeric", {"low": "0", "high": "1", "unit": "x" * 21}, "at most 20 characters"),
        ("numeric", {"low": "0", "high": "1", "open_ends": "up"}, "`neither`, `low`"),
        ("numeric", {"low": "0", "high": "1", "unit": "[x](https://e.vil)"}, "letters, digits"),
        ("numeric", {"low": "0", "high": "1", "options": "a | b"}, "takes no `options`"),
        ("date", {"low": "2027-01-01", "high": "2027-01-02"}, "at least 2 days"),
        ("date", {"low": "soon", "high": "2027-01-02"}, "must be dates"),
        ("date", {"low": "2027-01-01", "high": "2027-05-01", "unit": "days"}, "no `unit`"),
    ],
)
def test_a_bad_setup_is_refused_saying_how_to_fix_it(
    name: str, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        kind_for(name).parse_spec(fields)


@pytest.mark.parametrize(
    "typed",
    [
        "42, 30 to 60",
        "median 42, 80% 30-60",
        "median 42, 80 % between 30 and 60",
        "30 to 60, median 42",
        "p10 30 p50 42 p90 60",
        "42, 60 to 30",
        "42,30 to 60",
        "30, 42, 60",
        "42 30 60",
        "60; 30; 42",
    ],
)
def test_a_typed_forecast_is_read_and_repeated_back(typed: str) -> None:
    kind = seats()
    forecast = kind.parse_forecast(typed)
    assert forecast == RangeForecast(30, 42, 60)
    assert kind.describe_forecast(forecast) == "median 42 seats, 80 % between 30 and 60"
    stored = kind.store_forecast(forecast)
    assert stored.payload == {"median": 42, "p10": 30, "p90": 60}
    assert kind.load_forecast(stored.permille, stored.payload) == forecast


def test_a_date_forecast_is_read_in_iso_dates_and_the_form_reads_words_too() -> None:
    kind = bridge()
    typed = kind.parse_forecast("2027-03-01, 2027-01-15 to 2027-06-30")
    words = "median 2027-03-01, 80 % between 2027-01-15 and 2027-06-30"
    assert kind.describe_forecast(typed) == words
    assert kind.store_forecast(typed).payload == {
        "median": "2027-03-01",
        "p10": "2027-01-15",
        "p90": "2027-06-30",
    }
    from_form = kind.forecast_from_fields("1 March 2027", "January 15, 2027", "2027-06-30")
    assert from_form == typed
    for written in (
        "1 March 2027, 15 Jan 2027 to 30 June 2027",
        "March 1, 2027, January 15, 2027 to June 30, 2027",
        "1st Mar 2027, 15th January 2027 - 30th June 2027",
        "2027-01-15, 2027-03-01, 2027-06-30",
    ):
        assert kind.parse_forecast(written) == typed, written
    months = kind.parse_forecast("March 2027, Feb 2027 to Sept 2027")  # a month: its first day
    assert kind.describe_forecast(months) == (
        "median 2027-03-01, 80 % between 2027-02-01 and 2027-09-01"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("42", "Give your median and your 80 % interval"),
        ("many, some to lots", "Give your median"),
        ("42, 50 to 60", "below your median"),  # a span: the first value is the median
        ("42, 50-60", "below your median"),
        ("10, 0 to 60", "must be above 0, the lowest possible value"),
        ("300, 200 to 9000", "too far above the range"),
    ],
)
def test_a_bad_forecast_is_refused_saying_how_to_fix_it(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        seats().parse_forecast(typed)


def test_every_path_is_checked_by_the_same_rules() -> None:
    kind = seats("neither")
    with pytest.raises(InvalidInput, match="below 650, the highest"):
        kind.validate(RangeForecast(500, 600, 650))
    with pytest.raises(InvalidInput, match="Give your median"):
        kind.validate(42)
    with pytest.raises(InvalidInput, match="must be a number"):
        kind.forecast_from_fields("42", "thirty", "60")
    assert kind.validate("42, 30 to 60") == RangeForecast(30, 42, 60)
    assert kind.validate({"median": 42, "p10": 30, "p90": 60}) == RangeForecast(30, 42, 60)
    with pytest.raises(InvalidInput, match="below 650, the highest"):
        kind.validate({"median": 600, "p10": 500, "p90": 650})
    with pytest.raises(InvalidInput, match="Give your median"):
        kind.validate({"median": "lots"})
    # Beyond an open end is allowed: the member expects the count may pass 650.
    assert seats("high").validate(RangeForecast(500, 640, 700)) == RangeForecast(500, 640, 700)


def test_outcomes_a_value_beyond_an_open_end_or_ambiguous() -> None:
    kind = seats("high")
    assert parse_resolution(kind, "ambiguous").annulled
    value = parse_resolution(kind, "45").outcome
    assert value == RangeOutcome(45)
    for written in ("45 seats", "45 Seats", "45seats"):  # the question's unit may be written
        assert parse_resolution(kind, written).outcome == value
    assert kind.forecast_from_fields("42 seats", "30", "60 seats") == RangeForecast(30, 42, 60)
    assert kind.store_outcome(value).payload == {"value": 45}
    above = kind.parse_outcome("above")
    stored = kind.store_outcome(above)
    assert (stored.outcome, stored.payload) == (Outcome.ANSWERED, {"beyond": "above"})
    assert kind.load_outcome(stored) == above
    assert kind.describe_outcome(above) == "above 650 seats"
    with pytest.raises(InvalidInput, match="low end is closed"):
        kind.parse_outcome("below")
    with pytest.raises(InvalidInput, match="outside the range"):
        kind.parse_outcome("-3")
    date = bridge("high")
    later = date.parse_outcome("not by the latest date")
    assert date.describe_outcome(later) == "after 2027-12-31"
    assert date.store_outcome(later).payload == {"beyond": "later"}
    with pytest.raises(InvalidInput, match="closed"):
        bridge("neither").parse_outcome("later")


def test_scores_crps_as_a_share_of_the_range_and_the_binned_log_score() -> None:
    kind = kind_for(
        "numeric", {"low": 0, "high": 100, "unit": "", "open_low": False, "open_high": False}
    )
    assert isinstance(kind, RangeKind)
    flat = RangeForecast(10, 50, 90)  # the flat distribution over 0…100
    score = kind.score(flat, RangeOutcome(50))
    assert score.penalty == pytest.approx(1 / 12)
    assert score.log == pytest.approx(math.log(1 / 200))
    sharp = kind.score(RangeForecast(48, 50, 52), RangeOutcome(50))
    assert sharp.penalty < score.penalty and sharp.log > score.log


def test_the_community_is_the_linear_pool_stated_as_a_median_and_interval() -> None:
    kind = seats("neither")
    same = kind.pool([RangeForecast(30, 42, 60)] * 3)
    assert same is not None
    assert kind.describe_forecast(same) == "median 42 seats, 80 % between 30 and 60"
    mixed = kind.pool([RangeForecast(30, 42, 60), RangeForecast(300, 400, 500)])
    assert mixed is not None
    assert 60 < mixed.median < 300  # half the mass each side
    assert kind.pool([]) is None
    beyond = seats("high").pool([RangeForecast(600, 700, 800)])
    assert beyond is not None
    assert kind.describe_forecast(beyond) == "median above 650 seats, 80 % from 600 to above 650"
    gone = seats("high").pool([RangeForecast(700, 800, 900)])
    assert gone is not None
    assert kind.describe_forecast(gone) == "median above 650 seats, 90 % or more above 650"


def test_an_interval_held_the_outcome_or_cannot_tell() -> None:
    kind = seats("high")
    forecast = RangeForecast(30, 42, 60)
    assert kind.interval_held(forecast, RangeOutcome(45)) is True
    assert kind.interval_held(forecast, RangeOutcome(61)) is False
    assert kind.interval_held(forecast, RangeOutcome(math.inf)) is False
    assert kind.interval_held(RangeForecast(500, 600, 700), RangeOutcome(math.inf)) is None
