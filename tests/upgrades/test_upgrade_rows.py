"""Upgrades keep every row: a database made by each earlier release, migrated to head by this
code, holds every row and every column value it held before (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import create_engine
from db.migrate import upgrade
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
