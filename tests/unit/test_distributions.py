"""The maths of numeric and date questions (bot/forecasting/distributions.py, range_scoring.py):
the distribution has the quantiles the member gave, the linear pool is the mean, and both
scores are proper and match values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.forecasting.distributions import (
    BINS,
    GRID,
    KNOT_LEVELS,
    Ends,
    Quantiles,
    RunningPool,
    bin_probabilities,
    knots,
    linear_pool,
    member_cdf,
    pool_with_quantiles,
    quantile,
    summary,
)
from bot.forecasting.range_scoring import binned_log_score, crps

CLOSED = Ends(False, False)
ENDS = st.sampled_from([CLOSED, Ends(True, False), Ends(False, True), Ends(True, True)])


@st.composite
def quantiles(draw: st.DrawFn, ends: Ends) -> Quantiles:
    """Three percentiles a member could give: inside a closed end, anywhere near an open one."""
    low = -0.5 if ends.open_low else 0.005
    high = 1.5 if ends.open_high else 0.995
    values = sorted(
        draw(st.lists(st.floats(low, high), min_size=3, max_size=3, unique=True)), key=float
    )
    assume(values[1] - values[0] > 1e-3 and values[2] - values[1] > 1e-3)
    return Quantiles(*values)


@st.composite
def ends_and_two(draw: st.DrawFn) -> tuple[Ends, Quantiles, Quantiles]:
    ends = draw(ENDS)
    return ends, draw(quantiles(ends)), draw(quantiles(ends))


def test_the_middle_quantiles_of_a_closed_range_give_the_flat_distribution_known_scores() -> None:
    flat = member_cdf(Quantiles(0.1, 0.5, 0.9), CLOSED)
    assert flat == pytest.approx(GRID)
    for y in (0.0, 0.25, 0.5, 0.9, 1.0):  # ∫₀ʸ x² dx + ∫ᵧ¹ (1 − x)² dx, by hand
        assert crps(flat, y) == pytest.approx((y**3 + (1 - y) ** 3) / 3)
    assert crps(flat, 0.5) == pytest.approx(1 / 12)
    assert binned_log_score(flat, 0.37, CLOSED) == pytest.approx(math.log(1 / BINS))


@pytest.mark.parametrize(("bin_index", "outcome"), [(60, 0.8), (179, 0.15), (0, 1.0)])
def test_the_crps_of_a_forecast_sure_of_one_bin_is_its_absolute_error_less_a_sixth_of_the_bin(
    bin_index: int, outcome: float
) -> None:
    """All mass spread over one bin [a, a + h]: E|X − y| − E|X − X'|/2 = |a + h/2 − y| − h/6,
    the absolute error of a point forecast as the bin shrinks."""
    h = 1 / BINS
    sure = np.where((bin_index + 1) * h - 1e-12 <= GRID, 1.0, 0.0)
    middle = (bin_index + 0.5) * h
    assert crps(sure, outcome) == pytest.approx(abs(middle - outcome) - h / 6, abs=1e-12)


@pytest.mark.parametrize("outcome", [0.0, 0.4, 1.0])
def test_the_crps_of_all_mass_on_the_closed_low_end_is_the_absolute_error(outcome: float) -> None:
    at_low = np.ones(BINS + 1)
    assert crps(at_low, outcome) == pytest.approx(outcome, abs=1e-12)


def test_an_open_end_holds_mass_beyond_it_and_a_closed_end_none() -> None:
    near = Quantiles(0.05, 0.3, 0.6)
    closed = member_cdf(near, CLOSED)
    assert (closed[0], closed[-1]) == (0.0, 1.0)
    opened = member_cdf(near, Ends(True, True))
    # Below: the 10 % tail spreads over 0.05 inside and 0.25 (median − p10) beyond: 10·25/30 %.
    assert opened[0] == pytest.approx(0.1 * 0.25 / 0.30)
    assert 0 < 1 - opened[-1] < 0.1
    beyond = member_cdf(Quantiles(-0.2, 0.1, 0.5), Ends(True, False))
    assert beyond[0] > 0.1  # the 10th percentile lies past the end: more than a tenth beyond
    probabilities = bin_probabilities(opened, Ends(True, True))
    assert len(probabilities) == BINS + 2
    assert probabilities.sum() == pytest.approx(1.0)
    assert binned_log_score(opened, -math.inf, Ends(True, True)) == pytest.approx(
        math.log(opened[0])
    )


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_members_distribution_has_the_quantiles_they_gave(data: st.DataObject) -> None:
    ends = data.draw(ENDS)
    q = data.draw(quantiles(ends))
    back = summary(member_cdf(q, ends))
    for given_value, read in zip(
        (q.p10, q.median, q.p90), (back.p10, back.median, back.p90), strict=True
    ):
        if 0.0 <= given_value <= 1.0:  # inside the range: read back within a grid step
            assert read == pytest.approx(given_value, abs=1 / BINS)
        elif not -1 / BINS < given_value < 1 + 1 / BINS:  # beyond an open end: "beyond"
            assert math.isinf(read) and (read > 0) == (given_value > 1.0)


@settings(max_examples=30, deadline=None)
@given(st.data(), st.integers(1, 6))
def test_pooling_identical_forecasts_gives_that_forecast(data: st.DataObject, n: int) -> None:
    ends = data.draw(ENDS)
    q = data.draw(quantiles(ends))
    pooled = linear_pool([q] * n, ends)
    assert pooled is not None
    assert pooled == pytest.approx(member_cdf(q, ends), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_linear_pool_is_the_mean_of_the_cdfs_and_the_running_pool_agrees(
    data: st.DataObject,
) -> None:
    ends = data.draw(ENDS)
    members = data.draw(st.lists(quantiles(ends), min_size=1, max_size=8))
    pooled = linear_pool(members, ends)
    mean = np.mean([member_cdf(q, ends) for q in members], axis=0)
    assert pooled == pytest.approx(mean, abs=1e-9)
    running = RunningPool(ends)
    running.hold(99, members[0])  # replaced below, then dropped: leaves no trace
    for member, q in enumerate(members):
        running.hold(member, q)
    running.drop(99)
    assert running.pooled() == pytest.approx(mean, abs=1e-9)
    assert linear_pool([], ends) is None


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_pools_percentiles_are_exact_not_read_off_the_grid(data: st.DataObject) -> None:
    ends = data.draw(ENDS)
    members = data.draw(st.lists(quantiles(ends), min_size=1, max_size=6))
    pooled = pool_with_quantiles(members, ends)
    assert pooled is not None
    _, q = pooled
    for level, x in zip(KNOT_LEVELS[1:4], (q.p10, q.median, q.p90), strict=True):
        if math.isinf(x):  # beyond an open end: the pool reaches that level only past it
            edge = 0.0 if x < 0 else 1.0
            at_edge = np.mean([np.interp(edge, knots(m, ends), KNOT_LEVELS) for m in members])
            assert (at_edge > level - 1e-9) if x < 0 else (at_edge < level + 1e-9)
            continue
        mean = np.mean([np.interp(x, knots(m, ends), KNOT_LEVELS) for m in members])
        assert mean == pytest.approx(level, abs=1e-9)


def expected_crps(forecast: np.ndarray, truth: np.ndarray, sub: int = 4) -> float:
    """E[CRPS(forecast, y)] for y drawn from ``truth`` (flat within each grid bin; its mass
    beyond an open end counts at that end, as the score does): a midpoint rule per bin."""
    total = float(truth[0]) * crps(forecast, 0.0) + (1 - float(truth[-1])) * crps(forecast, 1.0)
    for k in range(BINS):
        mass = float(truth[k + 1] - truth[k])
        if mass <= 0:
            continue
        points = (k + (np.arange(sub) + 0.5) / sub) / BINS
        total += mass * sum(crps(forecast, float(y)) for y in points) / sub
    return total


@settings(max_examples=10, deadline=None)
@given(ends_and_two())
def test_crps_is_proper_the_truth_expects_the_best_score(
    case: tuple[Ends, Quantiles, Quantiles],
) -> None:
    ends, true_q, other_q = case
    truth, other = member_cdf(true_q, ends), member_cdf(other_q, ends)
    assert expected_crps(truth, truth) <= expected_crps(other, truth) + 1e-7


@settings(max_examples=50, deadline=None)
@given(ends_and_two())
def test_the_binned_log_score_is_proper_over_its_bins(
    case: tuple[Ends, Quantiles, Quantiles],
) -> None:
    ends, true_q, other_q = case
    truth = bin_probabilities(member_cdf(true_q, ends), ends)
    other = bin_probabilities(member_cdf(other_q, ends), ends)
    assert (truth > 0).all() and (other > 0).all()  # no outcome scores minus infinity
    assert float(np.sum(truth * np.log(truth))) >= float(np.sum(truth * np.log(other))) - 1e-12


def test_a_quantile_beyond_an_open_end_is_reported_as_beyond() -> None:
    cdf = member_cdf(Quantiles(-0.3, 0.2, 1.4), Ends(True, True))
    assert quantile(cdf, 0.1) == -math.inf
    assert quantile(cdf, 0.9) == math.inf
    assert quantile(cdf, 0.5) == pytest.approx(0.2, abs=1 / BINS)
