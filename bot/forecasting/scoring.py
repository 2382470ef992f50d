"""Proper scoring rules for resolved predictions (AMBIGUOUS is never scored).

Probabilities here are floats in 0…1; callers convert from per-mille.

* Brier score ``(p − o)²`` with o = 1 for YES and 0 for NO: 0 is perfect, 0.25 is what always
  saying 50 % earns, lower is better.
* Log score ``ln(p)`` for YES, ``ln(1 − p)`` for NO: 0 is perfect, more negative is worse.
* Time-averaged Brier: a forecast counts for as long as it stood. A member who said 90 % for
  nine days and changed to 10 % on the last day is scored mostly on the 90 %.
* Relative Brier (Fatebook's relative score): the member's time-averaged Brier minus the
  community's over the same window, i.e. from the member's first forecast to the end. Below zero
  means better than the crowd, so joining late on an easy question earns no credit for the
  crowd's early uncertainty.

Worked example (outcome YES, times in days, end = day 10). The community forecast is 50 % from
day 0 and 70 % from day 6; the member forecasts 80 % on day 2 and 60 % on day 6. The window is
day 2…10 (8 days), and the community's 50 % from day 0 carries into it::

    member:    0.2² = 0.04 for 4 days, 0.4² = 0.16 for 4 days → (0.16 + 0.64) / 8 = 0.10
    community: 0.5² = 0.25 for 4 days, 0.3² = 0.09 for 4 days → (1.00 + 0.36) / 8 = 0.17
    relative:  0.10 − 0.17 = −0.07  (better than the crowd)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime


def _check_probability(probability: float) -> None:
    if not 0.0 <= probability <= 1.0:  # also rejects NaN
        raise ValueError(f"probability must be between 0 and 1, got {probability!r}")


def brier_score(probability: float, outcome: bool) -> float:
    """``(p − o)²``: 0 is perfect, 1 is confidently wrong."""
    _check_probability(probability)
    return (probability - (1.0 if outcome else 0.0)) ** 2


def log_score(probability: float, outcome: bool) -> float:
    """``ln(p)`` if YES else ``ln(1 − p)``; ``-inf`` for certainty that proved wrong."""
    _check_probability(probability)
    chance = probability if outcome else 1.0 - probability
    return math.log(chance) if chance > 0.0 else -math.inf


def _standing(
    forecasts: Sequence[tuple[datetime, float]], end: datetime
) -> list[tuple[datetime, float]]:
    """The forecasts made before ``end``, in time order (ties keep their given order)."""
    kept = sorted((f for f in forecasts if f[0] < end), key=lambda f: f[0])
    if not kept:
        raise ValueError(
            f"no forecast was made before the end ({end.isoformat()}), so there is nothing to "
            "score; pass at least one forecast dated before it"
        )
    return kept


def time_averaged_brier(
    forecasts: Sequence[tuple[datetime, float]], end: datetime, outcome: bool
) -> float:
    """The Brier score of each forecast weighted by how long it stood before ``end``.

    Each forecast stands from its own time to the next forecast (or ``end``); the weights are
    divided by the time from the first forecast to ``end``. Forecasts at or after ``end`` are
    ignored.
    """
    kept = _standing(forecasts, end)
    total = (end - kept[0][0]).total_seconds()
    weighted = math.fsum(
        brier_score(probability, outcome) * (until - since).total_seconds()
        for (since, probability), (until, _) in zip(kept, [*kept[1:], (end, 0.0)], strict=True)
    )
    return weighted / total


def _value_at(series: Sequence[tuple[datetime, float]], moment: datetime) -> float | None:
    """The value in force at ``moment`` in a time-sorted step series."""
    value: float | None = None
    for when, probability in series:
        if when > moment:
            break
        value = probability
    return value


def relative_brier(
    member: Sequence[tuple[datetime, float]],
    community: Sequence[tuple[datetime, float]],
    end: datetime,
    outcome: bool,
) -> float:
    """Member's time-averaged Brier minus the community's over the member's window.

    The community series is read stepwise; its value at the member's first forecast (possibly
    set earlier) opens the window. Below zero = better than the crowd.
    """
    start = _standing(member, end)[0][0]
    ordered = sorted(community, key=lambda point: point[0])
    opening = _value_at(ordered, start)
    if opening is None:
        raise ValueError(
            f"the community series has no value at the member's first forecast "
            f"({start.isoformat()}); build it from all vote events, including the member's"
        )
    window = [(start, opening), *((t, p) for t, p in ordered if start < t < end)]
    return time_averaged_brier(member, end, outcome) - time_averaged_brier(window, end, outcome)
