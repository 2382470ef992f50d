"""Where a benchmark's data lives: a SQLite file in a temporary folder (the default), or, with
``--database-url postgresql+asyncpg://…``, a schema of its own in that PostgreSQL database
(``bench_<name>``, dropped and recreated; nothing else in the database is touched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.migrate import upgrade


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith("postgresql")


def plain_url(url: str) -> str:
    """The URL asyncpg itself takes (without SQLAlchemy's driver suffix)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def fresh_database(url: str | None, name: str, folder: Path) -> tuple[AsyncEngine, str]:
    """A migrated, empty database; returns its engine and what to call it in the output."""
    if not is_postgres(url):
        path = folder / f"{name}.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        return engine, f"SQLite {path.name}"
    assert url is not None
    schema = f"bench_{name.replace('-', '_')}"
    connection = await asyncpg.connect(plain_url(url))
    try:
        await connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    finally:
        await connection.close()
    engine = create_engine(url, connect_args=search_path(schema))
    await upgrade(engine)
    return engine, f"PostgreSQL schema {schema}"


def search_path(schema: str) -> dict[str, Any]:
    return {"server_settings": {"search_path": schema}}


async def drop_schema(url: str, name: str) -> None:
    connection = await asyncpg.connect(plain_url(url))
    try:
        await connection.execute(f"DROP SCHEMA IF EXISTS bench_{name.replace('-', '_')} CASCADE")
    finally:
        await connection.close()
