"""Pooling votes into a community forecast."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forecasting.aggregation import (
    SPARK_BLOCKS,
    community_series,
    distribution,
    geometric_mean_odds_permille,
    median_permille,
    sparkline,
)

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
votes = st.lists(st.integers(min_value=10, max_value=990), min_size=1, max_size=50)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([700], 700.0),
        ([100, 900], 500.0),
        ([900, 100, 200], 200.0),
        ([10, 10, 990, 990], 500.0),
        ([725, 725, 10], 725.0),
    ],
)
def test_median(values: list[int], expected: float | None) -> None:
    assert median_permille(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([500], 500.0),
        ([700], 700.0),
        ([200, 800], 500.0),  # odds 1/4 and 4 → 1
        ([100, 100], 100.0),
        # odds 9, 9, 1/9 → geometric mean 9^(1/3) → p = 9^(1/3) / (1 + 9^(1/3))
        ([900, 900, 100], 1000 * 9 ** (1 / 3) / (1 + 9 ** (1 / 3))),
    ],
)
def test_geometric_mean_of_odds(values: list[int], expected: float | None) -> None:
    result = geometric_mean_odds_permille(values)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize("bad", [[0], [1000], [500, -1]])
def test_geometric_mean_rejects_certainty(bad: list[int]) -> None:
    with pytest.raises(ValueError, match="outside"):
        geometric_mean_odds_permille(bad)


@given(votes)
def test_pools_lie_between_the_extremes(values: list[int]) -> None:
    pooled = geometric_mean_odds_permille(values)
    median = median_permille(values)
    assert pooled is not None and median is not None
    assert min(values) - 1e-9 <= pooled <= max(values) + 1e-9
    assert min(values) <= median <= max(values)


@given(votes)
def test_geometric_mean_is_symmetric_under_no_for_yes(values: list[int]) -> None:
    pooled = geometric_mean_odds_permille(values)
    mirrored = geometric_mean_odds_permille([1000 - v for v in values])
    assert pooled is not None and mirrored is not None
    assert math.isclose(pooled + mirrored, 1000.0, abs_tol=1e-6)


@pytest.mark.parametrize(
    ("values", "buckets", "expected"),
    [
        ([], 10, [0] * 10),
        ([0, 99, 100, 500, 990, 1000], 10, [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]),
        ([199, 200, 399, 400, 999], 5, [1, 2, 1, 0, 1]),
        ([10, 990], 1, [2]),
    ],
)
def test_distribution(values: list[int], buckets: int, expected: list[int]) -> None:
    assert distribution(values, buckets) == expected


def test_distribution_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="bucket"):
        distribution([500], 0)
    with pytest.raises(ValueError, match="outside"):
        distribution([1001])


@given(votes, st.integers(min_value=1, max_value=20))
def test_distribution_counts_every_vote_once(values: list[int], buckets: int) -> None:
    counts = distribution(values, buckets)
    assert len(counts) == buckets
    assert sum(counts) == len(values)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], ""),
        ([700, 720], "▁▁▁▁▁▁▁█▁▁"),
        ([150] + [750] * 7, "▁▂▁▁▁▁▁█▁▁"),
        ([50, 150, 150, 950, 950, 950, 950], "▃▅▁▁▁▁▁▁▁█"),
        ([10, 110, 210, 310, 410, 510, 610, 710, 810, 910], "█" * 10),
    ],
)
def test_sparkline(values: list[int], expected: str) -> None:
    assert sparkline(values) == expected


@given(votes)
def test_sparkline_shape(values: list[int]) -> None:
    line = sparkline(values)
    counts = distribution(values)
    assert len(line) == 10
    assert set(line) <= set(SPARK_BLOCKS)
    assert "█" in line
    assert [char == SPARK_BLOCKS[0] for char in line] == [count == 0 for count in counts]


def test_community_series_follows_current_votes() -> None:
    events: list[tuple[datetime, int, int | None]] = [
        (at(0), 1, 700),
        (at(1), 2, 500),
        (at(2), 3, 900),
        (at(3), 1, None),  # member 1 retracts: median of 500 and 900
        (at(4), 2, 800),  # member 2 changes their mind: only the latest vote counts
        (at(5), 4, None),  # retracting a vote that never existed changes nothing
    ]
    assert community_series(events) == [
        (at(0), 700.0),
        (at(1), 600.0),
        (at(2), 700.0),
        (at(3), 700.0),
        (at(4), 850.0),
        (at(5), 850.0),
    ]


def test_community_series_collapses_simultaneous_events_and_sorts() -> None:
    events: list[tuple[datetime, int, int | None]] = [
        (at(1), 2, 300),
        (at(0), 1, 700),
        (at(1), 3, 200),
    ]
    assert community_series(events) == [(at(0), 700.0), (at(1), 300.0)]


def test_community_series_has_no_point_while_nobody_votes() -> None:
    events: list[tuple[datetime, int, int | None]] = [
        (at(0), 1, 700),
        (at(1), 1, None),
        (at(2), 2, 400),
    ]
    assert community_series(events) == [(at(0), 700.0), (at(2), 400.0)]
    assert community_series([]) == []
