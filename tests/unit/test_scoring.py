"""Scoring rules, checked against hand-computed values and their defining properties."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forecasting.scoring import brier_score, log_score, relative_brier, time_averaged_brier

DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
inner_probabilities = st.floats(min_value=0.01, max_value=0.99, allow_nan=False)


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


@pytest.mark.parametrize(
    ("p", "outcome", "expected"),
    [
        (0.7, True, 0.09),
        (0.7, False, 0.49),
        (0.5, True, 0.25),
        (0.5, False, 0.25),
        (1.0, True, 0.0),
        (0.0, False, 0.0),
        (1.0, False, 1.0),
        (0.0, True, 1.0),
        (0.01, True, 0.9801),
    ],
)
def test_brier_hand_computed(p: float, outcome: bool, expected: float) -> None:
    assert brier_score(p, outcome) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("p", "outcome", "expected"),
    [
        (0.7, True, math.log(0.7)),
        (0.7, False, math.log(0.3)),
        (0.5, True, -0.6931471805599453),
        (1.0, True, 0.0),
        (0.0, False, 0.0),
        (0.0, True, -math.inf),
        (1.0, False, -math.inf),
    ],
)
def test_log_score_hand_computed(p: float, outcome: bool, expected: float) -> None:
    assert log_score(p, outcome) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [-0.1, 1.1, math.nan, math.inf])
@pytest.mark.parametrize("rule", [brier_score, log_score])
def test_probabilities_outside_zero_to_one_are_rejected(
    rule: Callable[[float, bool], float], bad: float
) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        rule(bad, True)


@given(probabilities, st.booleans())
def test_brier_is_between_zero_and_one(p: float, outcome: bool) -> None:
    assert 0.0 <= brier_score(p, outcome) <= 1.0


@given(probabilities, probabilities)
def test_brier_is_proper(p: float, q: float) -> None:
    """Reporting your true belief p minimises your expected Brier score."""

    def expected(report: float) -> float:
        return p * brier_score(report, True) + (1 - p) * brier_score(report, False)

    assert expected(p) <= expected(q) + 1e-12


@given(inner_probabilities, inner_probabilities)
def test_log_score_is_proper(p: float, q: float) -> None:
    """Reporting your true belief p maximises your expected log score."""

    def expected(report: float) -> float:
        return p * log_score(report, True) + (1 - p) * log_score(report, False)

    assert expected(p) >= expected(q) - 1e-12


def test_time_averaged_brier_weights_by_time_standing() -> None:
    # 80 % for 5 days (0.04), then 60 % for 5 days (0.16) → 0.10
    forecasts = [(day(0), 0.8), (day(5), 0.6)]
    assert time_averaged_brier(forecasts, day(10), True) == pytest.approx(0.10)
    # 90 % for 9 days (0.81 on NO), then 10 % for 1 day (0.01) → 7.30 / 10
    assert time_averaged_brier([(day(0), 0.9), (day(9), 0.1)], day(10), False) == (
        pytest.approx(0.730)
    )


def test_time_averaged_brier_sorts_and_ignores_late_forecasts() -> None:
    forecasts = [(day(5), 0.6), (day(10), 0.0), (day(12), 1.0), (day(0), 0.8)]
    assert time_averaged_brier(forecasts, day(10), True) == pytest.approx(0.10)


def test_simultaneous_forecasts_keep_the_last_given() -> None:
    forecasts = [(day(0), 0.2), (day(0), 0.8)]
    assert time_averaged_brier(forecasts, day(10), True) == pytest.approx(0.04)


@pytest.mark.parametrize("forecasts", [[], [(day(10), 0.5)], [(day(11), 0.5)]])
def test_time_averaged_brier_needs_a_forecast_before_the_end(
    forecasts: list[tuple[datetime, float]],
) -> None:
    with pytest.raises(ValueError, match="no forecast was made before the end"):
        time_averaged_brier(forecasts, day(10), True)


@given(
    probabilities,
    st.booleans(),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**9),
)
def test_time_averaged_brier_of_one_forecast_is_its_brier(
    p: float, outcome: bool, start_seconds: int, length_seconds: int
) -> None:
    made = DAY0 + timedelta(seconds=start_seconds)
    end = made + timedelta(seconds=length_seconds)
    assert time_averaged_brier([(made, p)], end, outcome) == pytest.approx(brier_score(p, outcome))


@given(
    st.lists(st.tuples(st.integers(0, 1000), probabilities), min_size=1, max_size=20),
    st.booleans(),
)
def test_time_averaged_brier_lies_between_the_individual_scores(
    raw: list[tuple[int, float]], outcome: bool
) -> None:
    forecasts = [(day(offset / 10), p) for offset, p in raw]
    scores = [brier_score(p, outcome) for _, p in forecasts]
    result = time_averaged_brier(forecasts, day(101), outcome)
    assert min(scores) - 1e-12 <= result <= max(scores) + 1e-12


def test_relative_brier_worked_example_from_the_docstring() -> None:
    community = [(day(0), 0.5), (day(6), 0.7)]
    member = [(day(2), 0.8), (day(6), 0.6)]
    # member 0.10, community over days 2…10: (0.25·4 + 0.09·4) / 8 = 0.17
    assert relative_brier(member, community, day(10), True) == pytest.approx(-0.07)


def test_relative_brier_is_positive_when_worse_than_the_crowd() -> None:
    community = [(day(0), 0.9)]
    member = [(day(0), 0.5)]
    assert relative_brier(member, community, day(10), True) == pytest.approx(0.25 - 0.01)


def test_relative_brier_ignores_community_points_outside_the_window() -> None:
    community = [(day(0), 0.1), (day(1), 0.5), (day(10), 0.0), (day(11), 1.0)]
    member = [(day(4), 0.5)]
    assert relative_brier(member, community, day(10), True) == pytest.approx(0.0)


@given(
    st.lists(st.tuples(st.integers(0, 1000), probabilities), min_size=1, max_size=20),
    st.booleans(),
)
def test_relative_brier_against_yourself_is_zero(
    raw: list[tuple[int, float]], outcome: bool
) -> None:
    forecasts = [(day(offset / 10), p) for offset, p in raw]
    assert relative_brier(forecasts, forecasts, day(101), outcome) == pytest.approx(0.0)


def test_relative_brier_needs_a_community_value_at_the_start() -> None:
    with pytest.raises(ValueError, match="community series has no value"):
        relative_brier([(day(1), 0.5)], [(day(2), 0.5)], day(10), True)
    with pytest.raises(ValueError, match="no forecast was made before the end"):
        relative_brier([(day(10), 0.5)], [(day(0), 0.5)], day(10), True)
