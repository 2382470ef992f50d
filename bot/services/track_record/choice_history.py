"""How the community forecast of a multiple-choice question moved: the pool of every option
after each change, replayed from the vote events with the kind's running pool, off the event
loop (O(events · options): 20,000 changes of a 10-option question in well under a second)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.kinds import kind_for
from bot.domain.kinds.multiple_choice import MultipleChoice
from bot.forecasting.multiclass import PerMille
from bot.services.core.prediction_rows import prediction_in_guild
from bot.services.voting.history import load_kind_events

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


#: Steps kept for the chart: the pool at the last change in each of this many equal slices of
#: the question's time (a chart 800 px wide shows no more), so a replay of 20,000 changes pools
#: 600 times, not 20,000.
CHART_STEPS = 600


@dataclass(frozen=True)
class ChoiceHistory:
    """Plain values for the chart: the options and the pool over time."""

    number: int
    options: tuple[str, ...]
    steps: tuple[tuple[float, PerMille], ...]  # (POSIX time, per-mille per option)
    voters: int
    changes: int  # moments the community forecast changed (every one, not only those kept)


def replay_pool(
    kind: MultipleChoice,
    events: Sequence[tuple[datetime, int, object]],
    limit: int = CHART_STEPS,
) -> tuple[list[tuple[float, PerMille]], int, int]:
    """The pool at the last change of each of ``limit`` slices of time (and always the last),
    how many members ever forecast, and how many moments changed it."""
    running = kind.running_pool()
    steps: list[tuple[float, PerMille]] = []
    voters: set[int] = set()
    changes = 0
    if not events:
        return steps, 0, 0
    first, last = events[0][0].timestamp(), events[-1][0].timestamp()
    width = (last - first) / limit or 1.0
    for index, (when, user_id, forecast) in enumerate(events):
        if isinstance(forecast, tuple):
            running.hold(user_id, forecast)
            voters.add(user_id)
        else:
            running.drop(user_id)
        following = events[index + 1][0] if index + 1 < len(events) else None
        if following == when:
            continue  # several events at one moment: the state after the last counts
        changes += 1
        moment = when.timestamp()
        if following is not None and int((following.timestamp() - first) / width) == int(
            (moment - first) / width
        ):
            continue  # a later change in the same slice of time is the one drawn
        pooled = running.pooled()
        if pooled is not None:
            steps.append((moment, pooled))
    return steps, len(voters), changes


async def choice_history(
    session: AsyncSession, guild_id: int, prediction_id: int
) -> ChoiceHistory | None:
    """``None`` for a question that is not multiple choice."""
    row = await prediction_in_guild(session, guild_id, prediction_id)
    kind = kind_for(row.kind, row.kind_spec)
    if not isinstance(kind, MultipleChoice):
        return None
    events = await load_kind_events(session, prediction_id, kind, FAR_FUTURE)
    steps, voters, changes = await asyncio.to_thread(replay_pool, kind, events)
    return ChoiceHistory(row.number, kind.options, tuple(steps), voters, changes)
