"""PostgreSQL for the scale-out scenarios: ``E2E_DATABASE_URL`` names a database the tests own
(its ``public`` schema is dropped and recreated); without it they skip with that reason."""

from __future__ import annotations

import os
from typing import Any

import asyncpg
import pytest

ENV = "E2E_DATABASE_URL"


def database_url() -> str:
    url = os.environ.get(ENV, "")
    if not url.startswith("postgresql"):
        pytest.skip(
            f"{ENV} is not set: these scenarios need a PostgreSQL database of their own "
            "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/augury_e2e; .ci/run sets it)"
        )
    return url


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def empty(url: str) -> None:
    """Drop everything: the next process starts on an empty database."""
    connection = await asyncpg.connect(_plain(url))
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()


async def fetch(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(_plain(url))
    try:
        return list(await connection.fetch(query, *args))
    finally:
        await connection.close()


async def hold_migration_lock(url: str, key: int) -> asyncpg.Connection:
    """A connection holding the migration advisory lock (as a migrating process would)."""
    connection = await asyncpg.connect(_plain(url))
    await connection.execute("SELECT pg_advisory_lock($1)", key)
    return connection
