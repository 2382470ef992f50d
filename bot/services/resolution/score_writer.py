"""Scores written when a prediction resolves, removed when it is reopened.

Called by the resolution service inside its own transaction, so the outcome and the scores
can never disagree, and the leaderboard is a query rather than a recomputation.

The scoring window ends at ``min(closes_at, now)``: a vote counts only if it was made before
the end. Every member who held a forecast for any time before the end is scored, over the
time they held one (as Metaculus scores a withdrawn forecast): the gaps after a retraction
count for nobody, so retracting a confident forecast once the outcome is clear cannot erase
it. A member who retracted for good is scored on the last forecast they held (its Brier, log
score and per-mille); their time-averaged and relative Brier cover only the time it stood.
The community's final forecast is the median of the votes still held at the end.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.kinds import AnyKind, kind_for
from bot.domain.kinds.replay import KindScoreCard, replay_scores
from bot.domain.vocabulary import Outcome
from bot.forecasting.aggregation import community_series, median_permille
from bot.forecasting.scoring import brier_score, log_score, time_averaged_brier
from bot.services.voting.history import load_events, load_kind_events
from db.models import Prediction, Score

#: Score rows written per statement (see :func:`write_scores`).
SCORE_CHUNK = 500

#: ``(time, member, permille or None for a retraction)``, in the order they happened.
Event = tuple[datetime, int, int | None]


@dataclass(frozen=True)
class MemberScore:
    """One member's scores on one prediction (what a ``scores`` row holds)."""

    user_id: int
    permille: int
    brier: float
    log_score: float
    time_brier: float
    relative_brier: float


@dataclass(frozen=True)
class ScoreCard:
    """All members' scores and the community's own record at the end of the window."""

    members: tuple[MemberScore, ...]
    community_permille: float | None
    community_brier: float | None
    community_log: float | None


class _CommunityIntegral:
    """Integral of the community's Brier over time, so any window's average is O(log n).

    Recomputing the community's time-averaged Brier per member would cost members × events;
    a prefix sum over the step series answers each member's window with two lookups.
    """

    def __init__(self, series: Sequence[tuple[datetime, float]], outcome: bool) -> None:
        self._origin = series[0][0] if series else None
        self._times = [self._seconds(t) for t, _ in series]
        self._briers = [brier_score(value / 1000, outcome) for _, value in series]
        self._prefix = [0.0]
        for index in range(1, len(series)):
            step = self._times[index] - self._times[index - 1]
            self._prefix.append(self._prefix[-1] + self._briers[index - 1] * step)

    def _seconds(self, moment: datetime) -> float:
        assert self._origin is not None
        return (moment - self._origin).total_seconds()

    def up_to(self, moment: datetime) -> float:
        """∫ Brier(community) dt from the first community point to ``moment``."""
        x = self._seconds(moment)
        index = bisect_right(self._times, x) - 1
        if index < 0:
            raise ValueError("the community series has no value before this moment")
        return self._prefix[index] + self._briers[index] * (x - self._times[index])


def score_card(events: Sequence[Event], end: datetime, outcome: bool) -> ScoreCard:
    """Replay the vote events before ``end`` and score every member who held a vote before it
    (a vote made and retracted in the same instant never stood, and is not scored).

    Pure: the database part is :func:`write_scores`. ``events`` must be in the order they
    happened (ties in time keep their given order).
    """
    kept = [event for event in events if event[0] < end]
    open_runs: dict[int, list[tuple[datetime, float]]] = {}
    closed_runs: dict[int, list[tuple[list[tuple[datetime, float]], datetime]]] = {}
    for when, user_id, permille in kept:
        if permille is None:
            run = open_runs.pop(user_id, None)
            if run is not None:
                closed_runs.setdefault(user_id, []).append((run, when))
        else:
            open_runs.setdefault(user_id, []).append((when, permille / 1000))

    community = _CommunityIntegral(community_series(kept), outcome)
    members = []
    for user_id in sorted(open_runs.keys() | closed_runs.keys()):
        runs = list(closed_runs.get(user_id, []))
        if user_id in open_runs:
            runs.append((open_runs[user_id], end))
        score = _member_score(user_id, runs, community, outcome)
        if score is not None:
            members.append(score)

    final = median_permille([round(run[-1][1] * 1000) for run in open_runs.values()])
    return ScoreCard(
        members=tuple(members),
        community_permille=final,
        community_brier=None if final is None else brier_score(final / 1000, outcome),
        community_log=None if final is None else log_score(final / 1000, outcome),
    )


def _member_score(
    user_id: int,
    runs: Sequence[tuple[Sequence[tuple[datetime, float]], datetime]],
    community: _CommunityIntegral,
    outcome: bool,
) -> MemberScore | None:
    """Time-weighted over the runs the member held a vote (each ends at its retraction, a
    vote still held at the end); scored on the last forecast held. ``None``: none stood."""
    held = 0.0
    member_area = 0.0
    community_area = 0.0
    for forecasts, until in runs:
        start = forecasts[0][0]
        seconds = (until - start).total_seconds()
        if seconds <= 0:
            continue  # voted and retracted in the same instant: it never stood
        held += seconds
        member_area += time_averaged_brier(forecasts, until, outcome) * seconds
        community_area += community.up_to(until) - community.up_to(start)
    if held <= 0:
        return None
    final = _last_stood(runs)
    time_brier = member_area / held
    return MemberScore(
        user_id=user_id,
        permille=round(final * 1000),
        brier=brier_score(final, outcome),
        log_score=log_score(final, outcome),
        time_brier=time_brier,
        relative_brier=time_brier - community_area / held,
    )


def _last_stood(runs: Sequence[tuple[Sequence[tuple[datetime, float]], datetime]]) -> float:
    """The last forecast that stood for any time: one replaced or retracted in the instant it
    was made never stood, so it cannot stand in for a forecast that did."""
    for forecasts, until in reversed(runs):
        ends = [*(when for when, _ in forecasts[1:]), until]
        for (since, probability), stop in zip(reversed(forecasts), reversed(ends), strict=True):
            if stop > since:
                return probability
    raise ValueError("no forecast stood for any time")


async def write_scores(
    session: AsyncSession,
    prediction: Prediction,
    outcome: str,
    now: datetime,
    value: object = None,
) -> None:
    """Score everyone who held a vote during the window; AMBIGUOUS writes nothing.

    ``value``: the kind's outcome when ``outcome`` is ANSWERED (any kind but yes/no).
    Replaces any earlier scores of the prediction, so resolving again after a reopen is safe.
    """
    if outcome == Outcome.AMBIGUOUS:
        return
    if outcome not in (Outcome.YES, Outcome.NO, Outcome.ANSWERED):
        raise ValueError(f"outcome must be yes, no, answered or ambiguous, got {outcome!r}")
    kind = kind_for(prediction.kind, prediction.kind_spec)
    if not kind.per_mille:  # yes/no keeps its fast path on plain ints, below
        await _write_kind_scores(session, kind, prediction, value, now)
        return
    if outcome == Outcome.ANSWERED:
        raise ValueError("a yes/no prediction resolves YES or NO")
    end = min(prediction.closes_at, now)
    events = await load_events(session, prediction.id, before=end)
    # O(events · log voters), but 20,000 events are still ~100 ms of CPU: a worker thread
    # keeps the event loop answering while the transaction waits for the card.
    card = await asyncio.to_thread(score_card, events, end, outcome == Outcome.YES)
    await session.execute(delete(Score).where(Score.prediction_id == prediction.id))
    # Negative ids are outside forecasters (imported by name, or forgotten members): their
    # votes shape the community and everyone's relative score, but they have no record.
    members = [m for m in card.members if m.user_id > 0]
    rows = [
        {
            "prediction_id": prediction.id,
            "guild_id": prediction.guild_id,
            "user_id": m.user_id,
            "permille": m.permille,
            "outcome": outcome == Outcome.YES,
            "brier": m.brier,
            "log_score": m.log_score,
            "time_brier": m.time_brier,
            "relative_brier": m.relative_brier,
            "resolved_at": now,
        }
        for m in members
    ]
    # Building the parameters of 5,000 rows is ~30 ms of CPU on the event loop: in chunks,
    # with other work let in between (the transaction holds its write lock meanwhile).
    for start in range(0, len(rows), SCORE_CHUNK):
        if start:
            await asyncio.sleep(0)
        await session.execute(insert(Score), rows[start : start + SCORE_CHUNK])
    prediction.community_permille = card.community_permille
    prediction.community_brier = card.community_brier
    prediction.community_log = card.community_log


async def _write_kind_scores(
    session: AsyncSession, kind: AnyKind, prediction: Prediction, outcome: object, now: datetime
) -> None:
    """:func:`write_scores` for a kind without a per-mille fast path: the kind scores."""
    end = min(prediction.closes_at, now)
    events = await load_kind_events(session, prediction.id, kind, end)
    prediction_id, guild_id = prediction.id, prediction.guild_id  # no ORM access off the loop

    def card_and_rows() -> tuple[KindScoreCard, list[dict[str, object]]]:
        """The replay and the rows' parameters (the kind's payloads): a worker thread's work."""
        card = replay_scores(kind, events, end, outcome)
        return card, [
            {
                "prediction_id": prediction_id,
                "guild_id": guild_id,
                "user_id": m.user_id,
                "permille": None,
                "outcome": None,
                "forecast": kind.store_forecast(m.forecast).payload,
                "brier": m.penalty,
                "log_score": m.log,
                "time_brier": m.time_penalty,
                "relative_brier": m.relative_penalty,
                "resolved_at": now,
            }
            for m in card.members
            if m.user_id > 0  # outside forecasters shape the community but have no record
        ]

    card, rows = await asyncio.to_thread(card_and_rows)
    await session.execute(delete(Score).where(Score.prediction_id == prediction.id))
    for start in range(0, len(rows), SCORE_CHUNK):
        if start:
            await asyncio.sleep(0)
        await session.execute(insert(Score), rows[start : start + SCORE_CHUNK])
    prediction.community_permille = None
    prediction.community_brier = (
        None if card.community_score is None else card.community_score.penalty
    )
    prediction.community_log = None if card.community_score is None else card.community_score.log


async def remove_scores(session: AsyncSession, prediction: Prediction) -> None:
    """Undo :func:`write_scores` for a reopened prediction."""
    await session.execute(delete(Score).where(Score.prediction_id == prediction.id))
    prediction.community_permille = None
    prediction.community_brier = None
    prediction.community_log = None
