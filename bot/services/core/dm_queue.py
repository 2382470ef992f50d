"""What the two DM queues (result DMs, reminder DMs) share: marking rows handled, and pruning.

A handled row (sent, failed, or dropped as no longer true) keeps its ``sent_at`` for a week —
what went out, should an admin ask — and is then deleted, so a queue holds only what is owed
plus a week of history, however many years the bot runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.models import ReminderMessage, ResultMessage

KEEP_HANDLED = timedelta(days=7)


async def mark_handled(
    session: AsyncSession,
    model: type[ResultMessage] | type[ReminderMessage],
    keys: tuple[InstrumentedAttribute[int], InstrumentedAttribute[int]],
    pairs: Iterable[tuple[int, int]],
    now: datetime,
) -> None:
    """Set ``sent_at`` on the rows keyed by ``pairs``; drop rows handled over a week ago."""
    first, second = keys
    for a, b in pairs:
        await session.execute(update(model).where(first == a, second == b).values(sent_at=now))
    await session.execute(delete(model).where(model.sent_at < now - KEEP_HANDLED))
