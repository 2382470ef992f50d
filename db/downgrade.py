"""Going back to an earlier schema, saying first what it would drop.

Downgrades that lose data say so before they run: the downgrade is tried where it can be
undone (PostgreSQL: one transaction, rolled back; SQLite, whose DDL the driver does not keep
in a transaction: a copy made with the online backup API), and every table, column and row
present before and gone after is reported with how much data it held.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.migrate import alembic_config

#: table -> (rows, {column: values that are not NULL})
Inventory = dict[str, tuple[int, dict[str, int]]]


def known_revision(revision: str) -> bool:
    """Whether ``revision`` names a migration (or ``base``, the empty schema)."""
    if revision == "base":
        return True
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or ambiguous name
        return False


def ancestors(revision: str | None) -> list[str]:
    """The revisions below ``revision``, newest first, ending with ``base``."""
    if revision is None:
        return []
    script = ScriptDirectory.from_config(alembic_config())
    below = [r.revision for r in script.iterate_revisions(revision, "base")][1:]
    return [*below, "base"]


def _inventory(connection: Connection) -> Inventory:
    found: Inventory = {}
    for table in inspect(connection).get_table_names():
        if table == "alembic_version":
            continue
        columns = [c["name"] for c in inspect(connection).get_columns(table)]
        counts = ", ".join(f'count("{c}")' for c in columns)
        row = connection.execute(text(f'SELECT count(*), {counts} FROM "{table}"')).one()
        found[table] = (int(row[0]), {c: int(n) for c, n in zip(columns, row[1:], strict=True)})
    return found


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def losses(before: Inventory, after: Inventory) -> list[str]:
    """What held data before and is gone after, one line each."""
    lines = []
    for table, (rows, columns) in sorted(before.items()):
        if table not in after:
            if rows:
                lines.append(f"table {table}: {rows} row(s)")
            continue
        rows_after, columns_after = after[table]
        if rows_after < rows:
            lines.append(f"table {table}: {rows - rows_after} of {rows} row(s)")
        for column, values in sorted(columns.items()):
            if column not in columns_after and values:
                lines.append(f"column {table}.{column}: {values} value(s)")
    return lines


async def downgrade_losses(engine: AsyncEngine, revision: str) -> list[str]:
    """What going back to ``revision`` would drop; the database itself is left as it was."""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            transaction = await connection.begin()
            try:
                before = await connection.run_sync(_inventory)
                await connection.run_sync(_downgrade, revision)
                after = await connection.run_sync(_inventory)
            finally:
                await transaction.rollback()
        return losses(before, after)
    database = engine.url.database
    assert database, "a SQLite engine names its file"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "trial.db"
        source, target = sqlite3.connect(database), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        trial = create_engine(f"sqlite+aiosqlite:///{copy}")
        try:
            async with trial.connect() as connection:
                before = await connection.run_sync(_inventory)
            async with trial.begin() as connection:
                await connection.run_sync(_downgrade, revision)
            async with trial.connect() as connection:
                after = await connection.run_sync(_inventory)
        finally:
            await trial.dispose()
    return losses(before, after)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None: never migrated)."""

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)
