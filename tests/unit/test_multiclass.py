"""Multiple-choice maths: proper scores, the geometric pool, per-mille forecasts (issue #19)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.forecasting.multiclass import (
    FLOOR,
    TOTAL,
    GeometricPool,
    brier,
    brier_of_probabilities,
    geometric_pool,
    log_score,
    normalise_permille,
)


def forecasts_of(n: int) -> st.SearchStrategy[tuple[int, ...]]:
    """A forecast as members give it on ``n`` options: each ≥ 1 %, summing to 1000."""
    return st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n).map(
        normalise_permille
    )


forecasts = st.integers(2, 10).flatmap(forecasts_of)


def distribution(n: int) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n).map(
        lambda w: [x / sum(w) for x in w]
    )


def test_known_values_by_hand() -> None:
    # (0.5−1)² + 0.3² + 0.15² + 0.05² = 0.25 + 0.09 + 0.0225 + 0.0025
    assert brier((500, 300, 150, 50), 0) == pytest.approx(0.365)
    # (0.5)² + (0.3−1)² + 0.15² + 0.05² = 0.25 + 0.49 + 0.0225 + 0.0025
    assert brier((500, 300, 150, 50), 1) == pytest.approx(0.765)
    assert brier((990, 10), 0) == pytest.approx(0.0002)
    assert brier((10, 990), 0) == pytest.approx(1.9602)  # near the worst, 2
    assert log_score((500, 300, 150, 50), 3) == pytest.approx(math.log(0.05))
    assert log_score((250, 250, 250, 250), 2) == pytest.approx(math.log(0.25))
    # The pool of (80, 20) and (20, 80) is 50/50: the geometric mean of odds 4 and 1/4 is 1.
    assert geometric_pool([(800, 200), (200, 800)]) == (500, 500)
    # sqrt(0.6·0.3), sqrt(0.3·0.6), sqrt(0.1·0.1) normalised: 0.18^½ ≈ .4243 twice, 0.1.
    assert geometric_pool([(600, 300, 100), (300, 600, 100)]) == (447, 447, 106)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(distribution(n), distribution(n))))
def test_both_rules_are_proper_the_truth_scores_best_in_expectation(
    pair: tuple[list[float], list[float]],
) -> None:
    truth, other = pair

    def expected_brier(p: list[float]) -> float:
        return sum(q * brier_of_probabilities(p, k) for k, q in enumerate(truth))

    def expected_log(p: list[float]) -> float:
        return sum(q * math.log(p[k]) for k, q in enumerate(truth))

    assert expected_brier(truth) <= expected_brier(other) + 1e-12
    assert expected_log(truth) >= expected_log(other) - 1e-12


@settings(max_examples=80, deadline=None)
@given(forecasts)
def test_a_forecast_sums_to_1000_with_every_option_at_least_1_percent(
    forecast: tuple[int, ...],
) -> None:
    assert sum(forecast) == TOTAL
    assert all(p >= FLOOR for p in forecast)
    assert 0 <= brier(forecast, 0) <= 2
    assert log_score(forecast, 0) >= math.log(FLOOR / TOTAL)


@settings(max_examples=60, deadline=None)
@given(forecasts, st.integers(1, 30))
def test_the_pool_of_identical_forecasts_is_that_forecast(
    forecast: tuple[int, ...], copies: int
) -> None:
    assert geometric_pool([forecast] * copies) == forecast


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 10).flatmap(lambda n: st.lists(forecasts_of(n))))
def test_the_pool_sums_to_1000_and_keeps_every_option_at_1_percent(
    members: list[tuple[int, ...]],
) -> None:
    pooled = geometric_pool(members)
    if not members:
        assert pooled is None
        return
    assert pooled is not None and sum(pooled) == TOTAL and min(pooled) >= FLOOR


@settings(max_examples=40, deadline=None)
@given(st.lists(forecasts_of(4), min_size=2, max_size=20))
def test_removing_a_forecast_from_the_running_pool_is_pooling_without_it(
    members: list[tuple[int, ...]],
) -> None:
    running = GeometricPool(4)
    for forecast in members:
        running.add(forecast)
    running.remove(members[0])
    assert running.value() == geometric_pool(members[1:])


def test_normalising_scales_and_floors_and_refuses_nonsense() -> None:
    assert normalise_permille([50, 30, 15, 5]) == (500, 300, 150, 50)
    assert normalise_permille([33, 33, 33]) == (334, 333, 333)
    assert normalise_permille([100, 0, 0]) == (980, 10, 10)
    assert normalise_permille([0, 0]) == (500, 500)
    with pytest.raises(ValueError):
        normalise_permille([-1, 2])
    with pytest.raises(ValueError):
        normalise_permille([math.inf, 1])
