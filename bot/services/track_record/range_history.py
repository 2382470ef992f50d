"""How the community forecast of a numeric or date question moved (the fan chart) and where it
stands (the density chart): replayed from the vote events with the kind's running pool, off
the event loop (O(events · grid))."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.kinds import StoredOutcome, kind_for
from bot.domain.kinds.ranges import RangeForecast, RangeKind
from bot.domain.vocabulary import Outcome
from bot.forecasting.distributions import densities
from bot.services.core.prediction_rows import prediction_in_guild
from bot.services.voting.history import load_kind_events

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RangeHistory:
    """Plain values for the charts (dates as day numbers, ``dates`` says so)."""

    number: int
    low: float
    high: float
    unit: str
    dates: bool
    #: (POSIX time, 10th percentile, median, 90th percentile) after each change; ±inf beyond.
    steps: tuple[tuple[float, float, float, float], ...]
    densities: tuple[float, ...]  # the community now, per bin, as a share of the range
    beyond: tuple[float, float]  # the community's mass below / above the range
    outcome: float | None  # on the number line (±inf beyond an open end); None: not resolved
    voters: int
    summary: str  # the community now, in words ("median 42 seats, 80 % between 30 and 60")


def _replay(
    kind: RangeKind, events: Sequence[tuple[datetime, int, object]]
) -> tuple[list[tuple[float, float, float, float]], RangeForecast | None, int]:
    """The community's percentiles after each change (read off the grid, as the fan is
    drawn), and the community now (exact, as the message says it)."""
    running = kind.running_pool()
    steps = []
    held: dict[int, RangeForecast] = {}
    voters = set()
    for index, (when, user_id, forecast) in enumerate(events):
        if isinstance(forecast, RangeForecast):
            running.hold(user_id, forecast)
            held[user_id] = forecast
            voters.add(user_id)
        else:
            running.drop(user_id)
            held.pop(user_id, None)
        if index + 1 < len(events) and events[index + 1][0] == when:
            continue
        pooled = running.pooled()
        if pooled is not None:
            steps.append((when.timestamp(), pooled.p10, pooled.median, pooled.p90))
    return steps, kind.pool(list(held.values())), len(voters)


async def range_history(
    session: AsyncSession, guild_id: int, prediction_id: int
) -> RangeHistory | None:
    """``None`` for a question that has no range (yes/no, multiple choice)."""
    row = await prediction_in_guild(session, guild_id, prediction_id)
    kind = kind_for(row.kind, row.kind_spec)
    if not isinstance(kind, RangeKind):
        return None
    events = await load_kind_events(session, prediction_id, kind, FAR_FUTURE)
    steps, pooled, voters = await asyncio.to_thread(_replay, kind, events)
    spec = kind.spec
    outcome = None
    if row.outcome == Outcome.ANSWERED:
        outcome = kind.load_outcome(StoredOutcome(Outcome.ANSWERED, row.outcome_value)).value
    cdf = kind.cdf_of(pooled) if pooled is not None else None
    return RangeHistory(
        number=row.number,
        low=spec.low,
        high=spec.high,
        unit=spec.unit,
        dates=kind.on_calendar,
        steps=tuple(steps),
        densities=() if cdf is None else tuple(float(d) for d in densities(cdf)),
        beyond=(0.0, 0.0) if cdf is None else (float(cdf[0]), 1.0 - float(cdf[-1])),
        outcome=outcome,
        voters=voters,
        summary="" if pooled is None else kind.describe_forecast(pooled),
    )
