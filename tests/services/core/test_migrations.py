"""Migrations and models agree, and every migration can be undone and redone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import downgrade, upgrade
from db.models import Base


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_match_the_migrated_schema(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_downgrade_to_base_and_upgrade_again(engine: AsyncEngine) -> None:
    await downgrade(engine, "base")
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_foreign_keys_hold_again_after_migrating(engine: AsyncEngine) -> None:
    """Migrations run with SQLite's foreign keys off; the bot's own connections never do."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's foreign keys are never switched off
    await downgrade(engine, "0009")
    await upgrade(engine)
    async with engine.connect() as connection:  # the pooled connection the migration used
        assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
