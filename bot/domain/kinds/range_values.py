"""The values of numeric and date questions (shared by :mod:`bot.domain.kinds.ranges` and
what reads them: the services, the charts, the cogs): a range, a forecast, an outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from bot.forecasting.distributions import Cdf, Ends

#: The choices of the ``open_ends`` setup field.
OPEN_ENDS = {
    "neither": Ends(False, False),
    "low": Ends(True, False),
    "high": Ends(False, True),
    "both": Ends(True, True),
}


@dataclass(frozen=True)
class RangeSpec:
    """A question's range on the number line (dates: day numbers) and its unit."""

    low: float
    high: float
    ends: Ends
    unit: str = ""

    def to_unit(self, value: float) -> float:
        return (value - self.low) / (self.high - self.low)

    def from_unit(self, share: float) -> float:
        return self.low + share * (self.high - self.low)


@dataclass(frozen=True)
class RangeForecast:
    """10th percentile, median and 90th percentile on the number line. A member's is what
    they gave; the community's is read off the pooled distribution (``cdf``, on the unit-line
    grid), with ``-inf``/``inf`` for a percentile beyond an open end."""

    p10: float
    median: float
    p90: float
    cdf: Cdf | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RangeOutcome:
    """What happened: a value on the number line (``-inf``/``inf``: beyond an open end,
    value not given)."""

    value: float


@runtime_checkable
class StatesIntervals(Protocol):
    """A kind whose forecasts state an 80 % interval (calibration for intervals asks it)."""

    def interval_held(self, forecast: Any, outcome: Any) -> bool | None: ...
