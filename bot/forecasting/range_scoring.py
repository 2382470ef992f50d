"""Proper scores for numeric and date forecasts (CDFs on the grid of
:mod:`bot.forecasting.distributions`), against an outcome on the unit line.

* **CRPS** (the penalty, lower is better): ``∫ (F(x) − 1[x ≥ y])² dx`` over the question's
  range, with the range as the unit, so it is a share of the range and comparable across
  questions: 0 is a sure hit, a flat forecast earns ``(y³ + (1 − y)³) / 3`` (1/12 at the
  middle), and a point forecast earns its absolute error as a share of the range. An outcome
  beyond an open end counts as at that end (the range is what is scored). It is computed
  exactly for the CDF linear between grid points.
* **Log score** (higher is better): ``ln`` of the probability the forecast gave the *bin* the
  outcome fell in: the range cut into 200 equal bins, plus one bin beyond each open end (as
  Metaculus does). A flat forecast over a closed range earns ``ln(1/200) ≈ −5.30``.

Both are proper: the expected score is best when the forecast is the distribution the outcome
is drawn from (the log score exactly so at the level of bins; CRPS for distributions linear
between grid points, which every forecast here is).
"""

from __future__ import annotations

import math

from bot.forecasting.distributions import BINS, Cdf, Ends

#: Smallest bin probability the log score takes (rounding only: every bin of a forecast
#: here has positive probability, so this never bites on a real one).
_FLOOR = 1e-15


def crps(cdf: Cdf, outcome: float) -> float:
    """CRPS on the unit line (a share of the range); ``outcome`` beyond 0…1 counts as the end."""
    y = min(max(outcome, 0.0), 1.0)
    width = 1.0 / BINS
    k = min(int(y * BINS), BINS - 1)  # the bin holding y
    a, b = cdf[:k], cdf[1 : k + 1]
    below = float((a * a + a * b + b * b).sum())  # ∫ F² over each bin before y, × 3/width
    ua, ub = 1.0 - cdf[k + 1 : -1], 1.0 - cdf[k + 2 :]
    above = float((ua * ua + ua * ub + ub * ub).sum())  # ∫ (1 − F)² over each bin after y
    start = k / BINS
    left, right = y - start, start + width - y
    fa, fb = float(cdf[k]), float(cdf[k + 1])
    fy = fa + (fb - fa) * (left / width)
    split = left * (fa * fa + fa * fy + fy * fy) / 3
    split += right * ((1 - fy) ** 2 + (1 - fy) * (1 - fb) + (1 - fb) ** 2) / 3
    return (below + above) * width / 3 + split


def outcome_bin(outcome: float, ends: Ends) -> int:
    """Which of :func:`~bot.forecasting.distributions.bin_probabilities`' bins holds the
    outcome (``-inf``/``inf``, or any value beyond an open end, is that end's bin)."""
    offset = 1 if ends.open_low else 0
    if outcome < 0.0:
        if not ends.open_low:
            raise ValueError("an outcome below a closed low end")
        return 0
    if outcome > 1.0:
        if not ends.open_high:
            raise ValueError("an outcome above a closed high end")
        return offset + BINS
    return offset + min(int(outcome * BINS), BINS - 1)


def binned_log_score(cdf: Cdf, outcome: float, ends: Ends) -> float:
    """``ln`` of the probability of the bin the outcome fell in (see the module docstring)."""
    index = outcome_bin(outcome, ends) - (1 if ends.open_low else 0)
    if index < 0:
        probability = float(cdf[0])
    elif index >= BINS:
        probability = 1.0 - float(cdf[-1])
    else:
        probability = float(cdf[index + 1] - cdf[index])
    return math.log(max(probability, _FLOOR))
