"""A prediction's history as members read it: created, then every edit, cancel, resolve and
reopen from the edit log (``prediction_edits``), with who and when, oldest first, by pages."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import get_prediction
from db.models import PredictionEdit

HISTORY_PAGE_SIZE = 10


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the log: ``field`` changed from ``old`` to ``new`` by ``user_id``.

    ``field`` is ``created`` (the first line), ``statement``, ``details``, ``resolves_at``,
    ``status`` (cancel) or ``outcome`` (resolve: old None; reopen: new None). ``reason``: why
    (a reopen's reason, required of a moderator once others have voted).
    """

    user_id: int
    field: str
    old: str | None
    new: str | None
    when: datetime
    reason: str | None = None


@dataclass(frozen=True)
class HistoryPage:
    number: int
    entries: tuple[HistoryEntry, ...]
    page: int
    pages: int
    total: int


class PredictionHistoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def page(
        self, guild_id: int, number: int, page: int = 0, page_size: int = HISTORY_PAGE_SIZE
    ) -> HistoryPage:
        """One page of the history (the creation counts as its first entry)."""
        async with self._ctx.sessions() as session:
            row = await get_prediction(session, guild_id, number)
            edits = select(PredictionEdit).where(PredictionEdit.prediction_id == row.id)
            logged = await session.scalar(select(func.count()).select_from(edits.subquery())) or 0
            total = logged + 1
            pages = max(1, math.ceil(total / page_size))
            page = min(max(page, 0), pages - 1)
            first = page * page_size
            entries: list[HistoryEntry] = []
            if first == 0:
                entries.append(
                    HistoryEntry(row.author_id, "created", None, row.statement, row.created_at)
                )
            offset = max(first - 1, 0)
            limit = page_size - len(entries)
            rows = await session.scalars(
                edits.order_by(PredictionEdit.id).offset(offset).limit(limit)
            )
            entries.extend(
                HistoryEntry(e.editor_id, e.field, e.old_value, e.new_value, e.created_at, e.reason)
                for e in rows
            )
        return HistoryPage(number, tuple(entries), page, pages, total)
