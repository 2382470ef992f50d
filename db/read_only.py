"""An engine that cannot write: what the public web view reads through (issue 20).

The web view never writes, and this makes it so below the code: every SQLite connection is
``query_only``, every PostgreSQL session defaults to read-only transactions. A bug or an
injection in the web layer then fails instead of changing the record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine


def create_read_only_engine(url: str, **kwargs: Any) -> AsyncEngine:
    engine = create_engine(url, **kwargs)
    dialect = engine.dialect.name

    def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if dialect == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()

    event.listen(engine.sync_engine, "connect", refuse_writes)
    return engine
