"""Upgrades keep every row: a database made by each earlier release, migrated to head by this
code, holds every row and every column value it held before (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import create_engine
from db.migrate import downgrade, upgrade
from tests.upgrades.databases import (
    RELEASES,
    head_revision,
    load_postgres,
    postgres_url,
    revision,
    snapshot,
    sqlite_copy,
)


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_upgrading_a_release_database_keeps_every_row(
    release: str, dialect: str, tmp_path: Path
) -> None:
    if dialect == "sqlite":
        url = sqlite_copy(release, tmp_path / "augury.db")
    else:
        url = postgres_url()
        await load_postgres(release, url)
    engine = create_engine(url)
    try:
        before = await snapshot(engine)
        assert all(rows for _, rows in before.values()), "the fixture has an empty table"
        assert sum(len(rows) for _, rows in before.values()) > 1000

        await upgrade(engine)

        assert await revision(engine) == head_revision()
        after = await snapshot(engine, like=before)
        for table, (columns, rows) in before.items():
            assert after[table] == (columns, rows), f"{table} changed in the upgrade"
    finally:
        await engine.dispose()


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_going_back_to_a_release_keeps_every_row_it_had(
    release: str, dialect: str, tmp_path: Path
) -> None:
    """Up to head and back down to the release's own schema: the release's rows are all there.
    (On SQLite a migration that rebuilds ``predictions`` with foreign keys on cascaded into
    every vote, score and queued message.)"""
    if dialect == "sqlite":
        url = sqlite_copy(release, tmp_path / "augury.db")
    else:
        url = postgres_url()
        await load_postgres(release, url)
    engine = create_engine(url)
    try:
        release_revision = await revision(engine)
        before = await snapshot(engine)
        await upgrade(engine)
        await downgrade(engine, release_revision)
        assert await revision(engine) == release_revision
        after = await snapshot(engine, like=before)
        for table, (columns, rows) in before.items():
            assert after[table] == (columns, rows), f"{table} changed going up and back down"
    finally:
        await engine.dispose()
