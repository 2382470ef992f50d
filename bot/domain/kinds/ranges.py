"""What numeric and date questions share: a range with open or closed ends, a forecast that is
a median and an 80 % interval, an outcome that is a value or "beyond an open end".

A subclass says how its values are read, written and kept (numbers, or days); everything else
(the checks, the distribution, the pool, the scores) is here, on the number line, and in the
maths of :mod:`bot.forecasting.distributions` on the unit line (the range mapped to 0…1).
"""

from __future__ import annotations

import math
import re
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import numpy as np

from bot.domain.errors import InvalidInput
from bot.domain.kinds.base import (
    Payload,
    PointScore,
    QuestionKind,
    RunningPool,
    StoredForecast,
    StoredOutcome,
)
from bot.domain.kinds.range_text import split_forecast
from bot.domain.kinds.range_values import (
    OPEN_ENDS,
    RangeForecast,
    RangeOutcome,
    RangeSpec,
    StatesIntervals,
)
from bot.domain.vocabulary import Outcome
from bot.forecasting.distributions import (
    Cdf,
    Ends,
    Quantiles,
    member_cdf,
    pool_with_quantiles,
    summary,
)
from bot.forecasting.distributions import RunningPool as RunningCdf
from bot.forecasting.range_scoring import binned_log_score, crps

__all__ = [
    "OPEN_ENDS",
    "RangeForecast",
    "RangeKind",
    "RangeOutcome",
    "RangeSpec",
    "StatesIntervals",
]

#: How far beyond an open end a forecast may reach, in widths of the range.
REACH = 10.0


class RangeKind(QuestionKind[RangeForecast, RangeOutcome]):
    """A question with a range (numeric, date); bound to one question's range by :meth:`bind`."""

    spec_fields: ClassVar[tuple[str, ...]] = ("low", "high", "unit", "open_ends")
    #: What an outcome beyond the low / high end is called ("below", "earlier").
    below_word: ClassVar[str]
    above_word: ClassVar[str]

    def __init__(self, spec: RangeSpec | None = None) -> None:
        self._spec = spec

    # -- the subclass's values ---------------------------------------------------------------
    @abstractmethod
    def read_value(self, text: str, what: str) -> float:
        """One value as typed; raises ``InvalidInput`` naming ``what`` it was."""

    #: A value in a typed forecast.
    VALUE: ClassVar[re.Pattern[str]]
    #: What a value is ("a number").
    value_word: ClassVar[str]
    #: Values are calendar days (day numbers), to be shown as dates.
    on_calendar: ClassVar[bool] = False

    @abstractmethod
    def show_value(self, value: float, rounded: bool = False) -> str:
        """A value in words; ``rounded``: to the precision the grid carries (the community)."""

    @abstractmethod
    def keep_value(self, value: float) -> Any:
        """A value as a JSON payload keeps it."""

    @abstractmethod
    def read_spec(self, fields: Mapping[str, str]) -> RangeSpec:
        """The range from the setup fields (ends already read)."""

    @abstractmethod
    def spec_payload(self, spec: RangeSpec) -> Payload: ...

    @abstractmethod
    def spec_from_payload(self, payload: Payload) -> RangeSpec: ...

    # -- setup -------------------------------------------------------------------------------
    @property
    def spec(self) -> RangeSpec:
        if self._spec is None:
            raise ValueError(f"this {self.title} kind is not bound to a question's range")
        return self._spec

    def parse_spec(self, fields: Mapping[str, str]) -> Payload | None:
        extra = sorted(
            name
            for name, text in fields.items()
            if text and text.strip() and name not in self.spec_fields
        )
        if extra:
            names = ", ".join(f"`{name}`" for name in extra)
            raise InvalidInput(f"A {self.title} question takes no {names}; leave it out.")
        return self.spec_payload(self.read_spec(fields))

    @staticmethod
    def read_ends(text: str | None) -> Ends:
        word = (text or "neither").strip().lower() or "neither"
        if word not in OPEN_ENDS:
            raise InvalidInput("`open_ends` is `neither`, `low`, `high` or `both`.")
        return OPEN_ENDS[word]

    def bind(self, spec: Payload | None) -> Self:
        return type(self)(self.spec_from_payload(spec)) if spec else self

    def spec_of(self) -> Payload | None:
        return None if self._spec is None else self.spec_payload(self._spec)

    def check_spec(self, spec: Payload | None) -> Self:
        """A stored range (an import file's): the shape (bound by it, gives it back), then the
        rule a typed one meets: finite ends, the low one below the high one."""
        super().check_spec(spec)
        bound = self.bind(spec)
        ends = bound.spec
        if not (math.isfinite(ends.low) and math.isfinite(ends.high) and ends.low < ends.high):
            raise InvalidInput(
                f"The {self.title} question's range (`kind_spec`) is not valid: its low end "
                "must be below its high end."
            )
        return bound

    # -- forecasts ---------------------------------------------------------------------------
    @property
    def forecast_help(self) -> str:
        s = self.spec
        nice = 10 ** math.floor(math.log10((s.high - s.low) / 10))
        low, mid, high = (round(s.from_unit(share) / nice) * nice for share in (0.3, 0.45, 0.7))
        example = f"{self.show_value(mid, True)}, {self.show_value(low, True)} to "
        return (
            f"Give your median and your 80 % interval (the 10th and 90th percentiles), "
            f"e.g. `{example}{self.show_value(high, True)}`."
        )

    def parse_forecast(self, text: str) -> RangeForecast:
        """A typed forecast (:func:`~bot.domain.kinds.range_text.split_forecast` says which
        value is which), checked."""
        three = split_forecast(text, self.VALUE, lambda typed: self.read_value(typed, "value"))
        if three is None:
            raise InvalidInput(self.forecast_help)
        return self.validate(RangeForecast(*three))

    def forecast_from_fields(self, median: str, p10: str, p90: str) -> RangeForecast:
        """A forecast from the form's three fields, checked."""
        return self.validate(
            RangeForecast(
                self.read_value(p10, "10th percentile"),
                self.read_value(median, "median"),
                self.read_value(p90, "90th percentile"),
            )
        )

    def validate(self, forecast: object) -> RangeForecast:
        if isinstance(forecast, str):
            return self.parse_forecast(forecast)
        if isinstance(forecast, Mapping):  # a payload as kept (an import): the same checks
            try:
                forecast = self.load_forecast(None, forecast)
            except (KeyError, TypeError, ValueError):
                raise InvalidInput(self.forecast_help) from None
        if not isinstance(forecast, RangeForecast) or forecast.cdf is not None:
            raise InvalidInput(self.forecast_help)
        p10, median, p90 = forecast.p10, forecast.median, forecast.p90
        if not all(math.isfinite(v) for v in (p10, median, p90)):
            raise InvalidInput(self.forecast_help)
        if not p10 < median < p90:
            raise InvalidInput(
                "Your 10th percentile must be below your median, and your median below your "
                f"90th percentile. {self.forecast_help}"
            )
        s = self.spec
        reach = REACH * (s.high - s.low)
        low_limit = s.low - reach if s.ends.open_low else s.low
        high_limit = s.high + reach if s.ends.open_high else s.high
        if s.ends.open_low and p10 < low_limit:
            raise InvalidInput(f"Your 10th percentile is too far below the range; {self._range}.")
        if s.ends.open_high and p90 > high_limit:
            raise InvalidInput(f"Your 90th percentile is too far above the range; {self._range}.")
        if not s.ends.open_low and p10 <= s.low:
            raise InvalidInput(
                f"Your 10th percentile must be above {self.show_value(s.low)}, the lowest "
                "possible value: a tenth of your forecast lies below it."
            )
        if not s.ends.open_high and p90 >= s.high:
            raise InvalidInput(
                f"Your 90th percentile must be below {self.show_value(s.high)}, the highest "
                "possible value: a tenth of your forecast lies above it."
            )
        return RangeForecast(p10, median, p90)

    @property
    def _range(self) -> str:
        s = self.spec
        return f"the range is {self.show_value(s.low)} to {self.show_value(s.high)}"

    def store_forecast(self, forecast: RangeForecast) -> StoredForecast:
        return StoredForecast(
            None,
            {
                "median": self.keep_value(forecast.median),
                "p10": self.keep_value(forecast.p10),
                "p90": self.keep_value(forecast.p90),
            },
        )

    def load_forecast(self, permille: int | None, payload: Payload | None) -> RangeForecast:
        if not isinstance(payload, Mapping):
            raise ValueError(f"a {self.title} forecast is kept as a payload")
        return RangeForecast(
            self.load_value(payload["p10"]),
            self.load_value(payload["median"]),
            self.load_value(payload["p90"]),
        )

    @abstractmethod
    def load_value(self, kept: Any) -> float: ...

    def with_unit(self, text: str) -> str:
        """A value in words with the question's unit (numeric questions have one)."""
        return text

    def beyond_phrase(self, *, high: bool) -> str:
        """A point beyond an open end in words (``above 650``)."""
        s = self.spec
        if high:
            return f"{self.above_word} {self.show_value(s.high)}"
        return f"{self.below_word} {self.show_value(s.low)}"

    def _point(self, value: float, rounded: bool) -> str:
        if math.isinf(value):
            return self.beyond_phrase(high=value > 0)
        return self.show_value(value, rounded)

    def describe_forecast(self, forecast: RangeForecast) -> str:
        """``median 42 seats, 80 % between 30 and 60``."""
        rounded = forecast.cdf is not None
        median = self.with_unit(self._point(forecast.median, rounded))
        p10, p90 = forecast.p10, forecast.p90
        if math.isinf(p10) and p10 == p90:  # a community almost wholly beyond one end
            return f"median {median}, 90 % or more {self.beyond_phrase(high=p90 > 0)}"
        low, high = self._point(p10, rounded), self._point(p90, rounded)
        if math.isinf(p10) or math.isinf(p90):
            return f"median {median}, 80 % from {low} to {high}"
        return f"median {median}, 80 % between {low} and {high}"

    # -- the community -----------------------------------------------------------------------
    def _quantiles(self, forecast: RangeForecast) -> Quantiles:
        s = self.spec
        return Quantiles(
            s.to_unit(forecast.p10), s.to_unit(forecast.median), s.to_unit(forecast.p90)
        )

    def community_of(self, cdf: Cdf) -> RangeForecast:
        """The pooled distribution stated as a member would (on the number line)."""
        q = summary(cdf)
        s = self.spec
        return RangeForecast(s.from_unit(q.p10), s.from_unit(q.median), s.from_unit(q.p90), cdf)

    def pool(self, forecasts: Sequence[RangeForecast]) -> RangeForecast | None:
        """The linear pool: the mean of the members' distributions."""
        s = self.spec
        values = np.array([(f.p10, f.median, f.p90) for f in forecasts], dtype=np.float64)
        shares = (values.reshape(-1, 3) - s.low) / (s.high - s.low)
        pooled = pool_with_quantiles(shares, s.ends)
        if pooled is None:
            return None
        cdf, q = pooled
        return RangeForecast(s.from_unit(q.p10), s.from_unit(q.median), s.from_unit(q.p90), cdf)

    def running_pool(self) -> RunningPool[RangeForecast]:
        return _RunningRange(self)

    def cdf_of(self, forecast: RangeForecast) -> Cdf:
        """The forecast's distribution on the unit-line grid (for scores and charts)."""
        if forecast.cdf is not None:
            return forecast.cdf
        return member_cdf(self._quantiles(forecast), self.spec.ends)

    # -- outcomes ----------------------------------------------------------------------------
    def parse_outcome(self, text: str) -> RangeOutcome:
        s = self.spec
        word = " ".join((text or "").lower().split())
        if word in self.beyond_words(high=False):
            if not s.ends.open_low:
                raise InvalidInput(f"The low end is closed: {self.outcome_words}.")
            return RangeOutcome(-math.inf)
        if word in self.beyond_words(high=True):
            if not s.ends.open_high:
                raise InvalidInput(f"The high end is closed: {self.outcome_words}.")
            return RangeOutcome(math.inf)
        try:
            value = self.read_value(text, "outcome")
        except InvalidInput:
            raise InvalidInput(
                f"{self.outcome_words[0].upper()}{self.outcome_words[1:]}."
            ) from None
        if (value < s.low and not s.ends.open_low) or (value > s.high and not s.ends.open_high):
            raise InvalidInput(f"That is outside the range: {self.outcome_words}.")
        return RangeOutcome(value)

    def beyond_words(self, *, high: bool) -> tuple[str, ...]:
        return (self.above_word,) if high else (self.below_word,)

    @property
    def outcome_words(self) -> str:
        s = self.spec
        low, high = self.show_value(s.low), self.show_value(s.high)
        parts = [f"the outcome is {self.value_word} from {low} to {high}"]
        if s.ends.open_low:
            parts.append(f"`{self.below_word}`")
        if s.ends.open_high:
            parts.append(f"`{self.above_word}`")
        parts.append("or `ambiguous`")
        return ", ".join(parts[:-1]) + " " + parts[-1] if len(parts) > 2 else " ".join(parts)

    def store_outcome(self, outcome: RangeOutcome) -> StoredOutcome:
        if math.isinf(outcome.value):
            beyond = self.above_word if outcome.value > 0 else self.below_word
            return StoredOutcome(Outcome.ANSWERED, {"beyond": beyond})
        return StoredOutcome(Outcome.ANSWERED, {"value": self.keep_value(outcome.value)})

    def load_outcome(self, stored: StoredOutcome) -> RangeOutcome:
        payload = stored.payload
        if stored.outcome != Outcome.ANSWERED or not isinstance(payload, Mapping):
            raise ValueError(f"a {self.title} outcome is ANSWERED with a payload")
        if "beyond" in payload:
            return RangeOutcome(math.inf if payload["beyond"] == self.above_word else -math.inf)
        return RangeOutcome(self.load_value(payload["value"]))

    def describe_outcome(self, outcome: RangeOutcome) -> str:
        return self.with_unit(self._point(outcome.value, False))

    # -- scoring -----------------------------------------------------------------------------
    def score(self, forecast: RangeForecast, outcome: RangeOutcome) -> PointScore:
        """CRPS as a share of the range, and the log score over 200 bins (+ open ends)."""
        share = self.spec.to_unit(outcome.value) if math.isfinite(outcome.value) else outcome.value
        cdf = self.cdf_of(forecast)
        return PointScore(crps(cdf, share), binned_log_score(cdf, share, self.spec.ends))

    def interval_held(self, forecast: RangeForecast, outcome: RangeOutcome) -> bool | None:
        """Did the 80 % interval hold the outcome? ``None``: cannot tell (the outcome is only
        known to be beyond an open end, and the interval reaches past that end)."""
        value = outcome.value
        if math.isinf(value):
            end = self.spec.high if value > 0 else self.spec.low
            reaches = forecast.p90 > end if value > 0 else forecast.p10 < end
            return None if reaches else False
        return forecast.p10 <= value <= forecast.p90


class _RunningRange(RunningPool[RangeForecast]):
    """The linear pool as a running sum of the members' CDFs: O(grid) per change."""

    def __init__(self, kind: RangeKind) -> None:
        super().__init__(kind)
        self._range_kind = kind
        self._cdfs = RunningCdf(kind.spec.ends)

    def hold(self, member: int, forecast: RangeForecast) -> None:
        self._cdfs.hold(member, self._range_kind._quantiles(forecast))

    def drop(self, member: int) -> None:
        self._cdfs.drop(member)

    def pooled(self) -> RangeForecast | None:
        cdf = self._cdfs.pooled()
        return None if cdf is None else self._range_kind.community_of(cdf)
