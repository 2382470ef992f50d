"""Multiple-choice maths, pure: a forecast is one per-mille integer per option summing to 1000.

Per-mille integers (as for yes/no) keep storage and equality exact. Every option keeps at least
1 % (10 ‰): the log score of an option given 0 would be −∞, so a member's zeros are raised to
1 % and the others scaled down to make room (:func:`normalise_permille`, which the kind and
imports both use, and which says so).

Scores (both proper: the expected score under a true distribution q is best at p = q):

- multiclass Brier ``Σ_i (p_i − 1[i = k])²``, from 0 (all on the outcome) to 2;
- log score ``ln p_k``, from ln 0.01 ≈ −4.6 to 0.

Pooling: the normalised geometric mean of the forecasts (the log-linear pool): each option's
geometric mean over the forecasters, scaled so they sum to 1. On two options it is exactly the
geometric mean of odds the yes/no message shows; it is the better-calibrated pool in the
forecasting literature, and a pool of identical forecasts is that forecast. :class:`GeometricPool`
keeps the sums of logs, so adding or removing one forecast costs O(options), not O(voters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

TOTAL = 1000  # per-mille
FLOOR = 10  # 1 %: every option keeps at least this much

PerMille = tuple[int, ...]

#: ln(p / 1000) for every per-mille p (index 0: never a forecast's): a look-up, not a log call,
#: per option and forecaster when 5,000 forecasts are pooled.
_LOG = [-math.inf, *(math.log(p / TOTAL) for p in range(1, TOTAL + 1))]


def round_to_total(shares: Sequence[float], total: int = TOTAL) -> PerMille:
    """Shares summing to ``total`` (up to float error) as integers summing to exactly ``total``,
    by the largest remainder; each keeps at least its floor when its share does."""
    floors = [math.floor(share + 1e-9) for share in shares]
    left = total - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[: max(left, 0)]:
        floors[i] += 1
    for i in reversed(order):  # float error the other way: take back from the smallest remainders
        if left >= 0:
            break
        if floors[i] > FLOOR:
            floors[i] -= 1
            left += 1
    return tuple(floors)


def normalise_permille(weights: Sequence[float]) -> PerMille:
    """Any non-negative weights (a member's percentages, an import's probabilities) as a
    forecast: proportional, each option at least 1 %, summing to 1000."""
    if not weights or any(w < 0 or not math.isfinite(w) for w in weights):
        raise ValueError("weights must be finite and non-negative")
    total = sum(weights)
    if total <= 0:
        shares = [TOTAL / len(weights)] * len(weights)
    else:
        shares = [TOTAL * w / total for w in weights]
    floored: set[int] = set()
    while True:  # raise the smallest to the floor, scale the rest into what is left
        low = {i for i, share in enumerate(shares) if share < FLOOR and i not in floored}
        if not low:
            break
        floored |= low
        rest = TOTAL - FLOOR * len(floored)
        free = sum(share for i, share in enumerate(shares) if i not in floored)
        shares = [
            float(FLOOR) if i in floored else (share * rest / free if free > 0 else 0.0)
            for i, share in enumerate(shares)
        ]
    return round_to_total(shares)


def brier(forecast: Sequence[int], outcome: int) -> float:
    """Multiclass Brier score of a per-mille forecast when option ``outcome`` happened (0…2)."""
    return sum((p / TOTAL - (1.0 if i == outcome else 0.0)) ** 2 for i, p in enumerate(forecast))


def log_score(forecast: Sequence[int], outcome: int) -> float:
    """ln of the probability given to what happened (higher is better; ≥ ln 0.01)."""
    return math.log(forecast[outcome] / TOTAL)


def brier_of_probabilities(probabilities: Sequence[float], outcome: int) -> float:
    """The same rule on plain probabilities (for checks of propriety)."""
    return sum((p - (1.0 if i == outcome else 0.0)) ** 2 for i, p in enumerate(probabilities))


class GeometricPool:
    """The normalised geometric mean of the forecasts held, updated one forecast at a time."""

    def __init__(self, options: int) -> None:
        self._logs = [0.0] * options
        self._count = 0

    def add(self, forecast: Sequence[int]) -> None:
        logs = self._logs
        for i, p in enumerate(forecast):
            logs[i] += _LOG[p]
        self._count += 1

    def remove(self, forecast: Sequence[int]) -> None:
        logs = self._logs
        for i, p in enumerate(forecast):
            logs[i] -= _LOG[p]
        self._count -= 1

    def add_all(self, forecasts: Sequence[Sequence[int]]) -> None:
        """Many at once: one pass per option over the forecasts (5,000 pool in a few ms)."""
        table = _LOG.__getitem__
        for i, column in enumerate(zip(*forecasts, strict=True)):
            self._logs[i] += sum(map(table, column))
        self._count += len(forecasts)

    def __len__(self) -> int:
        return self._count

    def value(self) -> PerMille | None:
        """The pool, per-mille; ``None`` while nobody holds a forecast."""
        if self._count <= 0:
            return None
        # Rounded far below a per-mille, so sums reached in another order pool the same.
        means = [round(total / self._count, 9) for total in self._logs]
        top = max(means)
        weights = [math.exp(mean - top) for mean in means]  # shifted: no underflow
        total = sum(weights)
        shares = [TOTAL * weight / total for weight in weights]
        if min(shares) >= FLOOR:  # as always when every forecast keeps the floor: no rescaling
            return round_to_total(shares)
        return normalise_permille(weights)


def geometric_pool(forecasts: Sequence[Sequence[int]]) -> PerMille | None:
    """The normalised geometric mean of ``forecasts`` (``None`` for none)."""
    if not forecasts:
        return None
    pool = GeometricPool(len(forecasts[0]))
    pool.add_all(forecasts)
    return pool.value()
