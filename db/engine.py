"""Engine and session factory, tuned per backend.

SQLite gets WAL (readers never block the writer), enforced foreign keys, a busy timeout so a
second writer waits instead of failing, and ``synchronous=FULL`` by default: with NORMAL, a
commit (a confirmed vote) can vanish on power loss; group commit keeps FULL cheap
(``bench/votes.py``). PostgreSQL gets a command timeout, so a stuck statement fails instead of
holding a vote batch forever, and a pre-ping, so a connection dropped by a restart or a proxy
is replaced instead of failing the next unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000
#: What ``SQLITE_SYNCHRONOUS`` may say: FULL survives power loss, NORMAL only a crash.
SQLITE_SYNCHRONOUS_MODES = ("FULL", "NORMAL")
#: Seconds any one PostgreSQL statement may run (asyncpg's ``command_timeout``).
POSTGRES_COMMAND_TIMEOUT_S = 30.0


def create_engine(url: str, *, sqlite_synchronous: str = "FULL", **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite connections get their pragmas as they open."""
    if sqlite_synchronous not in SQLITE_SYNCHRONOUS_MODES:
        raise ValueError(f"sqlite_synchronous is FULL or NORMAL, not {sqlite_synchronous!r}")
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        # Sessions always end their transaction (commit, or rollback on close), so the pool's
        # own rollback on check-in is a redundant round trip to aiosqlite's thread.
        kwargs.setdefault("pool_reset_on_return", None)
    elif url.startswith("postgresql"):
        kwargs.setdefault("connect_args", {"command_timeout": POSTGRES_COMMAND_TIMEOUT_S})
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(sqlite_synchronous))
    return engine


def _sqlite_pragmas(synchronous: str) -> Callable[[Any, Any], None]:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return apply


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per unit of work; nothing expires on commit, so no lazy loads later."""
    return async_sessionmaker(engine, expire_on_commit=False)
