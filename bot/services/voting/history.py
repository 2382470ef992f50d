"""A prediction's vote events, read and summarised without stalling the event loop.

A popular prediction has 20,000 vote events. Turning that many rows into Python values takes
a noticeable slice of CPU, and so does replaying them into the community series, so rows are
streamed in partitions (the loop runs between them) and the replay runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.kinds import AnyKind
from bot.forecasting.aggregation import community_series
from db.models import VoteEvent

#: ``(time, member, permille or None for a retraction)``, in the order they happened.
Event = tuple[datetime, int, int | None]
#: Rows converted per turn of the event loop (about a millisecond of work each).
PARTITION = 500


async def load_events(
    session: AsyncSession, prediction_id: int, before: datetime | None = None
) -> list[Event]:
    """Every vote event of the prediction (those before ``before``), oldest first."""
    stmt = (
        select(VoteEvent.created_at, VoteEvent.user_id, VoteEvent.permille)
        .where(VoteEvent.prediction_id == prediction_id)
        .order_by(VoteEvent.created_at, VoteEvent.id)
        .execution_options(yield_per=PARTITION)
    )
    if before is not None:
        stmt = stmt.where(VoteEvent.created_at < before)
    events: list[Event] = []
    result = await session.stream(stmt)
    async for rows in result.partitions():
        events.extend((when, user_id, permille) for when, user_id, permille in rows)
        await asyncio.sleep(0)  # let heartbeats and other interactions in between partitions
    return events


async def load_kind_events(
    session: AsyncSession, prediction_id: int, kind: AnyKind, before: datetime
) -> list[tuple[datetime, int, object]]:
    """Like :func:`load_events` for any kind: ``(time, member, forecast or None)``."""
    stmt = (
        select(VoteEvent.created_at, VoteEvent.user_id, VoteEvent.permille, VoteEvent.forecast)
        .where(VoteEvent.prediction_id == prediction_id, VoteEvent.created_at < before)
        .order_by(VoteEvent.created_at, VoteEvent.id)
        .execution_options(yield_per=PARTITION)
    )
    events: list[tuple[datetime, int, object]] = []
    result = await session.stream(stmt)
    async for rows in result.partitions():
        events.extend(
            (
                when,
                user_id,
                None
                if permille is None and payload is None
                else kind.load_forecast(permille, payload),
            )
            for when, user_id, permille, payload in rows
        )
        await asyncio.sleep(0)
    return events


Summary = tuple[tuple[tuple[datetime, float], ...], tuple[tuple[datetime, int], ...], int]


def summarise(events: list[Event]) -> Summary:
    """(community series, every vote cast, members who ever voted); pure, for a worker."""
    community = tuple(community_series(events))
    votes = tuple((when, p) for when, _, p in events if p is not None)
    voters = len({user for _, user, p in events if p is not None})
    return community, votes, voters


async def summarise_off_loop(events: list[Event]) -> Summary:
    """:func:`summarise` in a worker thread: O(events · log voters) CPU, off the loop."""
    return await asyncio.to_thread(summarise, events)
