"""The Wilson score interval: how sure a bucket's observed frequency is, given its size.

A calibration bucket where 5 of 7 forecasts came true and one where 50 of 70 did show the same
frequency; the interval is what tells them apart. Wilson's interval (not the normal
approximation) stays inside [0, 1] and is honest for tiny buckets and for 0 or all successes.
"""

from __future__ import annotations

import math

#: 95 % two-sided.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """``(low, high)`` for ``successes`` out of ``trials`` (at least one trial)."""
    if trials < 1:
        raise ValueError("a Wilson interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be between 0 and {trials}, got {successes}")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Rounding can push an end a hair past the observed share or [0, 1]; clamp it back.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))
