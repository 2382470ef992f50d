"""Time every database statement by kind (``augury_db_query_seconds``), from the engine's
cursor events: the span covers the driver's round trip, and nothing here knows the callers."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import DB_QUERY_SECONDS

KINDS = ("select", "insert", "update", "delete")
_STARTED = "augury_query_started"


def statement_kind(statement: str) -> str:
    """The first SQL keyword, folded to a handful of kinds (labels stay few)."""
    word = statement.lstrip(" \n\t(").split(None, 1)[0].lower() if statement.strip() else ""
    return word if word in KINDS else "other"


def time_queries(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _start(conn: Any, _cursor: Any, _statement: str, *_args: Any) -> None:
        conn.info.setdefault(_STARTED, []).append(time.perf_counter())

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _stop(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started = conn.info.get(_STARTED)
        if started:
            elapsed = time.perf_counter() - started.pop()
            DB_QUERY_SECONDS.labels(statement_kind(statement)).observe(elapsed)

    @event.listens_for(sync_engine, "handle_error")
    def _failed(context: Any) -> None:
        started = context.connection.info.get(_STARTED) if context.connection else None
        if started:
            started.pop()
