"""Yes/no questions: a forecast is a probability of YES in per-mille (10…990), the outcome
YES or NO. The first kind; its maths is :mod:`bot.forecasting` (probability, aggregation,
scoring), which this module only names, so the per-mille hot paths stay on plain ints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from bot.domain.errors import InvalidInput
from bot.domain.kinds.base import Payload, PointScore, QuestionKind, StoredForecast, StoredOutcome
from bot.domain.vocabulary import Outcome
from bot.forecasting.aggregation import median_permille
from bot.forecasting.probability import (
    MAX_PERMILLE,
    MIN_PERMILLE,
    format_probability,
    parse_probability,
)
from bot.forecasting.scoring import brier_score, log_score


class YesNo(QuestionKind[float, bool]):
    """Forecast: per-mille probability of YES (a member's is a whole number, the community's
    median may fall between two). Outcome: ``True`` for YES."""

    name: ClassVar[str] = "yes_no"
    title: ClassVar[str] = "yes/no"
    per_mille: ClassVar[bool] = True
    outcome_help: ClassVar[str] = "The outcome is `yes`, `no` or `ambiguous`."

    def parse_forecast(self, text: str) -> int:
        return parse_probability(text)

    def validate(self, forecast: object) -> int:
        if (
            isinstance(forecast, bool)
            or not isinstance(forecast, int)
            or not MIN_PERMILLE <= forecast <= MAX_PERMILLE
        ):
            raise InvalidInput("Give a probability between 1 and 99 %, e.g. `70`, `70%` or `0.7`.")
        return forecast

    def store_forecast(self, forecast: float) -> StoredForecast:
        return StoredForecast(round(forecast), None)

    def load_forecast(self, permille: int | None, payload: Payload | None) -> int:
        if permille is None:
            raise ValueError("a yes/no forecast is kept in the permille column")
        return permille

    def describe_forecast(self, forecast: float) -> str:
        return format_probability(round(forecast))

    def pool(self, forecasts: Sequence[float]) -> float | None:
        """The median (the community forecast members see; its exact value, as scored)."""
        return median_permille([round(f) for f in forecasts])

    def parse_outcome(self, text: str) -> bool:
        word = (text or "").strip().lower()
        if word == Outcome.YES:
            return True
        if word == Outcome.NO:
            return False
        raise InvalidInput(self.outcome_help)

    def store_outcome(self, outcome: bool) -> StoredOutcome:
        return StoredOutcome(Outcome.YES if outcome else Outcome.NO, None)

    def load_outcome(self, stored: StoredOutcome) -> bool:
        if stored.outcome not in (Outcome.YES, Outcome.NO):
            raise ValueError(f"a yes/no outcome is YES or NO, got {stored.outcome!r}")
        return stored.outcome == Outcome.YES

    def describe_outcome(self, outcome: bool) -> str:
        return "YES" if outcome else "NO"

    def score(self, forecast: float, outcome: bool) -> PointScore:
        probability = forecast / 1000
        return PointScore(brier_score(probability, outcome), log_score(probability, outcome))


YES_NO = YesNo()
