"""Apply Alembic migrations from code (``python -m bot`` and the tests use this).

On PostgreSQL several processes may start together: the upgrade runs in one transaction that
first takes a transaction-level advisory lock, so one process migrates and the others wait for
it to commit, then find the schema current and carry on. SQLite serves one process only.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The advisory lock key every Augury process takes around its upgrade ("augury" in ASCII).
MIGRATION_LOCK_KEY = 0x617567757279

log = logging.getLogger(__name__)


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> bool:
    """Upgrade the database behind ``engine`` on one of its own connections.

    Returns whether this call applied any migration (False: already current, perhaps because
    another process migrated while this one waited for the lock).
    """

    def _run(connection: Connection) -> bool:
        before = MigrationContext.configure(connection).get_current_revision()
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
        if before != after:
            log.info("Migrated the database from %s to %s", before or "empty", after)
        return before != after

    async with engine.begin() as connection:
        await _lock_migrations(connection)
        changed = await connection.run_sync(_run)
    await _drop_migration_connections(engine)
    return changed


async def _lock_migrations(connection: AsyncConnection) -> None:
    """PostgreSQL: wait for any other process's upgrade; released when this transaction ends."""
    if connection.dialect.name != "postgresql":
        return
    key = {"key": MIGRATION_LOCK_KEY}
    if not await connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), key):
        log.info("Another process is migrating the database; waiting for it to finish")
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    def _run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.begin() as connection:
        await _lock_migrations(connection)
        await connection.run_sync(_run)
    await _drop_migration_connections(engine)


async def _drop_migration_connections(engine: AsyncEngine) -> None:
    """SQLite: migrations run with foreign keys off (``db/migrations/env.py``); closing the
    pooled connections makes every later one open with the engine's pragmas again."""
    if engine.dialect.name == "sqlite":
        await engine.dispose()
