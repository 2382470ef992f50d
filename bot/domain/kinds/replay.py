"""Scores of any kind, from its vote events: the same rules as the yes/no score card.

A member is scored over the time they held a forecast before the end of the window (a
retraction ends a run, it does not erase it); on the last forecast that stood; their
penalty averaged over the time each forecast stood; and relative to the community's penalty
over the same time (the community forecast is the kind's pool of the forecasts held at each
moment). Yes/no has its own O(events · log voters) path on plain ints
(``bot.services.score_writer``); other kinds keep the community through the kind's
:meth:`~bot.domain.kinds.base.QuestionKind.running_pool`, which by default pools from scratch
at each moment (O(events · voters)) and is O(change) for a kind whose pool adds up.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.kinds.base import PointScore, QuestionKind

#: ``(time, member, forecast or None for a retraction)``, in the order they happened.
KindEvent = tuple[datetime, int, Any]


@dataclass(frozen=True)
class KindMemberScore:
    user_id: int
    forecast: Any  # the last forecast that stood
    penalty: float
    log: float
    time_penalty: float
    relative_penalty: float


@dataclass(frozen=True)
class KindScoreCard:
    members: tuple[KindMemberScore, ...]
    community: Any  # the pool of the forecasts held at the end (None: nobody held one)
    community_score: PointScore | None


class _Integral:
    """∫ community penalty dt over the step series, by prefix sums: O(log n) per window."""

    def __init__(self, steps: Sequence[tuple[float, float]]) -> None:
        self._times = [t for t, _ in steps]
        self._values = [v for _, v in steps]
        self._prefix = [0.0]
        for i in range(1, len(steps)):
            width = self._times[i] - self._times[i - 1]
            self._prefix.append(self._prefix[-1] + self._values[i - 1] * width)

    def up_to(self, x: float) -> float:
        i = bisect_right(self._times, x) - 1
        if i < 0:
            return 0.0
        return self._prefix[i] + self._values[i] * (x - self._times[i])


def replay_scores(
    kind: QuestionKind[Any, Any], events: Sequence[KindEvent], end: datetime, outcome: Any
) -> KindScoreCard:
    """Pure: every member who held a forecast before ``end``, scored by ``kind``."""
    kept = [event for event in events if event[0] < end]
    origin = kept[0][0] if kept else end

    def seconds(moment: datetime) -> float:
        return (moment - origin).total_seconds()

    held: dict[int, Any] = {}
    running = kind.running_pool()
    steps: list[tuple[float, float]] = []  # (time, community penalty); 0 while nobody holds
    runs: dict[int, list[tuple[datetime, datetime, Any]]] = {}  # member → (from, to, forecast)
    since: dict[int, datetime] = {}
    for index, (when, user_id, forecast) in enumerate(kept):
        if user_id in held:
            runs.setdefault(user_id, []).append((since[user_id], when, held.pop(user_id)))
            running.drop(user_id)
        if forecast is not None:
            held[user_id], since[user_id] = forecast, when
            running.hold(user_id, forecast)
        if index + 1 < len(kept) and kept[index + 1][0] == when:
            continue  # several events at one moment: the state after the last counts
        pooled = running.pooled()
        steps.append(
            (seconds(when), 0.0 if pooled is None else kind.score(pooled, outcome).penalty)
        )
    for user_id, forecast in held.items():
        runs.setdefault(user_id, []).append((since[user_id], end, forecast))

    community = _Integral(steps)
    members = []
    for user_id in sorted(runs):
        stood = [(a, b, f) for a, b, f in runs[user_id] if b > a]
        if not stood:
            continue  # voted and retracted (or replaced) in the same instant: never stood
        total = sum((b - a).total_seconds() for a, b, _ in stood)
        area = sum(kind.score(f, outcome).penalty * (b - a).total_seconds() for a, b, f in stood)
        community_area = sum(
            community.up_to(seconds(b)) - community.up_to(seconds(a)) for a, b, _ in stood
        )
        final = kind.score(stood[-1][2], outcome)
        members.append(
            KindMemberScore(
                user_id=user_id,
                forecast=stood[-1][2],
                penalty=final.penalty,
                log=final.log,
                time_penalty=area / total,
                relative_penalty=(area - community_area) / total,
            )
        )
    final_pool = kind.pool(list(held.values()))
    return KindScoreCard(
        members=tuple(members),
        community=final_pool,
        community_score=None if final_pool is None else kind.score(final_pool, outcome),
    )
