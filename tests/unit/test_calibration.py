"""Calibration buckets: every forecast in exactly one, edges go up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forecasting.calibration import (
    BUCKET_COUNT,
    Bucket,
    bucket_index,
    bucket_of_probability,
    calibration_table,
)


def bucket_bounds(index: int) -> tuple[int, int]:
    """Half-open per-mille range [low, high) of a bucket, written out independently."""
    low = 0 if index == 0 else index * 100 - 50
    high = 1001 if index == 10 else index * 100 + 50
    return low, high


def test_every_votable_permille_lands_in_exactly_one_bucket() -> None:
    for permille in range(10, 991):
        containing = [
            i for i in range(BUCKET_COUNT) if bucket_bounds(i)[0] <= permille < bucket_bounds(i)[1]
        ]
        assert containing == [bucket_index(permille)], permille


@pytest.mark.parametrize(
    ("permille", "expected"),
    [
        (0, 0),
        (10, 0),
        (49, 0),
        (50, 1),
        (149, 1),
        (150, 2),
        (250, 3),
        (500, 5),
        (549, 5),
        (550, 6),
        (949, 9),
        (950, 10),
        (990, 10),
        (1000, 10),
        (-20, 0),
        (1200, 10),
    ],
)
def test_bucket_index_edges_go_up(permille: int, expected: int) -> None:
    assert bucket_index(permille) == expected


@pytest.mark.parametrize("edge", range(50, 951, 100))
def test_each_edge_belongs_to_the_bucket_above(edge: int) -> None:
    assert bucket_index(edge) == bucket_index(edge - 1) + 1
    assert bucket_index(edge) * 100 == edge + 50


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.15, 2),
        (0.05, 1),
        (0.0494, 0),
        (0.0499, 1),
        (0.95, 10),
        (0.35, 4),
        (0.45, 5),
        (0.7, 7),
        (1.0, 10),
    ],
)
def test_float_probabilities_have_no_edge_bugs(p: float, expected: int) -> None:
    assert bucket_of_probability(p) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_bucket_of_probability_rejects_non_numbers(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        bucket_of_probability(bad)


@given(st.integers(min_value=10, max_value=990))
def test_float_and_permille_agree(permille: int) -> None:
    assert bucket_of_probability(permille / 1000) == bucket_index(permille)


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_bucket_index_is_always_a_valid_bucket(permille: int) -> None:
    assert 0 <= bucket_index(permille) < BUCKET_COUNT


def test_calibration_table_hand_computed() -> None:
    forecasts = [(700, True), (700, False), (720, True), (680, True), (150, False), (990, True)]
    table = calibration_table(forecasts)
    assert [b.centre_permille for b in table] == list(range(0, 1001, 100))
    assert table[7] == Bucket(
        centre_permille=700, count=4, yes_count=3, observed_frequency=0.75, mean_forecast=0.7
    )
    assert table[2] == Bucket(
        centre_permille=200, count=1, yes_count=0, observed_frequency=0.0, mean_forecast=0.15
    )
    assert table[10].count == 1 and table[10].observed_frequency == 1.0
    assert table[5] == Bucket(
        centre_permille=500, count=0, yes_count=0, observed_frequency=None, mean_forecast=None
    )


def test_empty_table_has_eleven_empty_buckets() -> None:
    table = calibration_table([])
    assert len(table) == BUCKET_COUNT
    assert all(b.count == 0 and b.observed_frequency is None for b in table)


@given(st.lists(st.tuples(st.integers(min_value=10, max_value=990), st.booleans())))
def test_calibration_table_accounts_for_every_forecast(
    forecasts: list[tuple[int, bool]],
) -> None:
    table = calibration_table(iter(forecasts))  # any iterable, consumed once
    assert sum(b.count for b in table) == len(forecasts)
    assert sum(b.yes_count for b in table) == sum(outcome for _, outcome in forecasts)
    for bucket in table:
        if bucket.count:
            assert bucket.mean_forecast is not None and bucket.observed_frequency is not None
            low, high = bucket_bounds(bucket.centre_permille // 100)
            assert low / 1000 <= bucket.mean_forecast < high / 1000
            assert 0.0 <= bucket.observed_frequency <= 1.0


def test_bucket_is_immutable() -> None:
    bucket = calibration_table([])[0]
    with pytest.raises(AttributeError):
        bucket.count = 3  # type: ignore[misc]
