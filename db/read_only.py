"""An engine that cannot write: what the public web view reads through (issue 20).

The web view never writes, and this makes it so below the code: every SQLite connection is
``query_only``, every PostgreSQL session defaults to read-only transactions. A bug or an
injection in the web layer then fails instead of changing the record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import POSTGRES_COMMAND_TIMEOUT_S, create_engine


def create_read_only_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("postgresql"):
        # A startup parameter, so no transaction (and no rollback of one) can undo it.
        kwargs.setdefault(
            "connect_args",
            {
                "command_timeout": POSTGRES_COMMAND_TIMEOUT_S,
                "server_settings": {"default_transaction_read_only": "on"},
            },
        )
        return create_engine(url, **kwargs)
    engine = create_engine(url, **kwargs)

    def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    event.listen(engine.sync_engine, "connect", refuse_writes)
    return engine
