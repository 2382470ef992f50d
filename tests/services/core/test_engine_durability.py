"""Engine settings that decide whether a confirmed vote survives and a stuck database fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import db.engine
from bot.app import open_database
from bot.settings import Settings
from db.engine import POSTGRES_COMMAND_TIMEOUT_S, create_engine

FULL, NORMAL = 2, 1  # what PRAGMA synchronous reports


async def synchronous(url: str, **kw: Any) -> int:
    engine = create_engine(url, **kw)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text("PRAGMA synchronous"))).scalar_one())
    finally:
        await engine.dispose()


async def test_sqlite_is_fully_synchronous_by_default(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/durable.db"
    assert await synchronous(url) == FULL
    assert await synchronous(url, sqlite_synchronous="NORMAL") == NORMAL
    with pytest.raises(ValueError):
        create_engine(url, sqlite_synchronous="OFF")


async def test_the_setting_chooses_normal(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/fast.db"
    settings = Settings(_env_file=None, database_url=url, sqlite_synchronous="normal")  # type: ignore[call-arg, arg-type]
    engine = await open_database(settings)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA synchronous"))).scalar_one() == NORMAL
    finally:
        await engine.dispose()
    assert Settings(_env_file=None).sqlite_synchronous == "FULL"  # type: ignore[call-arg]


def test_postgresql_gets_a_command_timeout_and_a_pre_ping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}
    real = db.engine.create_async_engine

    def recording(url: str, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(url, **kwargs)

    monkeypatch.setattr(db.engine, "create_async_engine", recording)
    engine = create_engine("postgresql+asyncpg://augury@127.0.0.1:1/augury")
    assert seen["connect_args"]["command_timeout"] == POSTGRES_COMMAND_TIMEOUT_S
    assert engine.pool._pre_ping is True  # type: ignore[attr-defined]
