"""The calibration chart's uncertainty band: a Wilson score interval per bucket."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forecasting.wilson import wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Worked by hand with z = 1.96: centre (p + z²/2n) / (1 + z²/n),
        # half-width z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n).
        (7, 10, 0.3968, 0.8922),
        (70, 100, 0.6042, 0.7811),
        (0, 1, 0.0, 0.7935),
        (1, 1, 0.2065, 1.0),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_interval_matches_values_worked_by_hand(
    successes: int, trials: int, low: float, high: float
) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=1e-4)


def test_seven_forecasts_are_read_far_less_certainly_than_seventy() -> None:
    few_low, few_high = wilson_interval(7, 10)
    many_low, many_high = wilson_interval(70, 100)
    assert few_high - few_low > 2.5 * (many_high - many_low)


def test_an_empty_bucket_has_no_interval() -> None:
    with pytest.raises(ValueError, match="at least one"):
        wilson_interval(0, 0)


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_interval_contains_the_observed_frequency_within_0_and_1(pair: tuple[int, int]) -> None:
    successes, trials = pair
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
