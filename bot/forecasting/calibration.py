"""Calibration: of the things you called 70 %, did about 70 % happen?

Eleven buckets centred on 0 %, 10 %, …, 100 %, with edges at 5 %, 15 %, …, 95 %. An edge
belongs to the bucket above it (15 % counts as 20 %), so every forecast lands in exactly one
bucket. Bucketing uses integer per-mille arithmetic so no float rounding can move a forecast
across an edge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

BUCKET_COUNT = 11
BUCKET_WIDTH_PERMILLE = 100


@dataclass(frozen=True, slots=True)
class Bucket:
    """One calibration bucket; the fractions are ``None`` when the bucket is empty."""

    centre_permille: int
    count: int
    yes_count: int
    observed_frequency: float | None  # share of its forecasts that came true, 0…1
    mean_forecast: float | None  # average forecast in the bucket, 0…1


def bucket_index(permille: int) -> int:
    """The bucket (0..10) of a per-mille forecast; edges (50, 150, …, 950) go up."""
    index = (permille + BUCKET_WIDTH_PERMILLE // 2) // BUCKET_WIDTH_PERMILLE
    return max(0, min(BUCKET_COUNT - 1, index))


def bucket_of_probability(probability: float) -> int:
    """The bucket of a 0…1 probability, via the nearest per-mille (0.15 → 150 → bucket 2)."""
    if not math.isfinite(probability):
        raise ValueError(f"probability must be a finite number, got {probability!r}")
    return bucket_index(round(probability * 1000))


def calibration_table(forecasts: Iterable[tuple[int, bool]]) -> list[Bucket]:
    """All eleven buckets for ``(permille, came true)`` pairs, empty ones included."""
    totals = [
        (bucket_index(permille), 1, int(outcome), permille) for permille, outcome in forecasts
    ]
    return buckets_from_totals(totals)


def buckets_from_totals(totals: Iterable[tuple[int, int, int, int]]) -> list[Bucket]:
    """All eleven buckets from ``(bucket, count, came-true count, per-mille sum)`` rows.

    The database aggregates per bucket (see ``StatsService.calibration``); this turns its rows,
    or single forecasts, into the same table. Bucket numbers out of range are clamped.
    """
    counts = [0] * BUCKET_COUNT
    yes_counts = [0] * BUCKET_COUNT
    sums = [0] * BUCKET_COUNT
    for slot, count, yes, total in totals:
        index = min(max(int(slot), 0), BUCKET_COUNT - 1)
        counts[index] += int(count)
        yes_counts[index] += int(yes)
        sums[index] += int(total)
    return [
        Bucket(
            centre_permille=index * BUCKET_WIDTH_PERMILLE,
            count=counts[index],
            yes_count=yes_counts[index],
            observed_frequency=yes_counts[index] / counts[index] if counts[index] else None,
            mean_forecast=sums[index] / counts[index] / 1000 if counts[index] else None,
        )
        for index in range(BUCKET_COUNT)
    ]
