"""Databases made by earlier releases, loaded for a test, and every row of them read back.

A fixture is ``fixtures/<version>/augury.db`` (SQLite) and ``postgresql.sql`` (``pg_dump
--inserts`` of the same rows), both written by ``make_fixture.py`` at that release's tag.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import alembic_config

FIXTURES = Path(__file__).parent / "fixtures"
#: Every release that has a fixture, oldest first ("0.1.0", …).
RELEASES = sorted(
    (d.name for d in FIXTURES.iterdir() if (d / "augury.db").is_file()),
    key=lambda v: tuple(int(x) for x in v.split(".")),
)
#: The server whose record the fixtures hold (make_fixture.GUILD).
FIXTURE_GUILD = 1_000_000_000_000_001
#: Table -> its rows, each a tuple in column order (columns sorted by name).
Snapshot = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not set to PostgreSQL (CI's PostgreSQL step sets it)")
    return url


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def sqlite_copy(release: str, target: Path) -> str:
    """The release's SQLite database copied to ``target``; its URL."""
    shutil.copyfile(FIXTURES / release / "augury.db", target)
    return f"sqlite+aiosqlite:///{target}"


async def load_postgres(release: str, url: str) -> None:
    """Empty the database at ``url``, then load the release's dump into it.

    psql meta-commands (``\\restrict`` in newer pg_dump output) are left out: the statements
    go through asyncpg, so no psql binary is needed.
    """
    dump = (FIXTURES / release / "postgresql.sql").read_text(encoding="utf-8")
    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    connection = await asyncpg.connect(plain(url))
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        await connection.execute(sql)
    finally:
        await connection.close()


def _columns(connection: Connection) -> dict[str, tuple[str, ...]]:
    found = inspect(connection)
    return {
        table: tuple(sorted(c["name"] for c in found.get_columns(table)))
        for table in found.get_table_names()
        if table != "alembic_version"
    }


async def snapshot(engine: AsyncEngine, like: Snapshot | None = None) -> Snapshot:
    """Every row of every table; with ``like``, only its tables and columns (what an earlier
    release had), so a snapshot taken after an upgrade compares with one taken before."""
    async with engine.connect() as connection:
        columns = await connection.run_sync(_columns)
        wanted = {t: cols for t, (cols, _) in like.items()} if like is not None else columns
        result: Snapshot = {}
        for table, cols in wanted.items():
            missing = set(cols) - set(columns.get(table, ()))
            assert not missing, f"the upgrade dropped {table}: {sorted(missing)}"
            listed = ", ".join(f'"{c}"' for c in cols)
            rows = await connection.execute(
                text(f'SELECT {listed} FROM "{table}" ORDER BY {listed}')
            )
            result[table] = (cols, [tuple(row) for row in rows])
    return result


async def revision(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        return str(await connection.scalar(text("SELECT version_num FROM alembic_version")))


async def move_to_guild(engine: AsyncEngine, guild_id: int) -> None:
    """Give the fixture's server the fake Discord's id (the fake makes new ids every run), so
    the bot finds its record there. Run on the old schema, before the bot migrates it."""
    async with engine.begin() as connection:
        columns = await connection.run_sync(_columns)
        for table, cols in columns.items():
            if "guild_id" in cols:
                await connection.execute(
                    text(f'UPDATE "{table}" SET guild_id = :new WHERE guild_id = :old'),
                    {"new": guild_id, "old": FIXTURE_GUILD},
                )
