"""Calibration for intervals: how often a member's 80 % intervals (numeric and date questions)
held the answer. Well calibrated is about 80 %; far less means the intervals are too narrow.

Counted on the forecast each member was scored on (their last before the close). An outcome
only known to be beyond an open end, with an interval reaching past that end, cannot be
judged and is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select

from bot.domain.kinds import StoredOutcome, kind_for
from bot.domain.kinds.ranges import StatesIntervals
from bot.domain.vocabulary import Outcome
from db.models import Prediction, Score


@dataclass(frozen=True)
class IntervalCalibration:
    held: int  # intervals that held the answer
    judged: int  # resolved forecasts with an interval that could be judged

    @property
    def share(self) -> float | None:
        return None if self.judged == 0 else self.held / self.judged


def interval_rows(guild_id: int, user_id: int) -> Select[object, str, object, object]:
    """The member's scored forecasts of kinds without a per-mille forecast, with the outcome."""
    return (
        select(Score.forecast, Prediction.kind, Prediction.kind_spec, Prediction.outcome_value)
        .join(Prediction, Prediction.id == Score.prediction_id)
        .where(
            Score.guild_id == guild_id,
            Score.user_id == user_id,
            Score.permille.is_(None),
            Prediction.outcome == Outcome.ANSWERED,
        )
    )


def count_intervals(rows: Iterable[tuple[object, str, object, object]]) -> IntervalCalibration:
    """Asks each question's kind whether the interval held (kinds that state intervals)."""
    held = judged = 0
    for forecast, name, spec, outcome_value in rows:
        kind = kind_for(name, spec)
        if not isinstance(kind, StatesIntervals) or forecast is None:
            continue
        outcome = kind.load_outcome(StoredOutcome(Outcome.ANSWERED, outcome_value))
        verdict = kind.interval_held(kind.load_forecast(None, forecast), outcome)
        if verdict is None:
            continue
        judged += 1
        held += verdict
    return IntervalCalibration(held, judged)
