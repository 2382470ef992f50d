"""Migration 0020 (one running season per server): a server left with two running seasons by
the race it closes keeps the latest, the earlier ends when the next started and its recap
comes due; other servers' seasons are untouched (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import downgrade, upgrade
from db.models import Season
from tests.conftest import GUILD, OTHER_GUILD, START


async def test_a_server_with_two_running_seasons_keeps_the_latest(engine: AsyncEngine) -> None:
    later = START + timedelta(seconds=1)
    await downgrade(engine, "0019")
    async with engine.begin() as connection:
        await connection.execute(
            insert(Season),
            [
                {"guild_id": GUILD, "name": "Winter", "started_at": START},
                {"guild_id": GUILD, "name": "Spring", "started_at": later},
                {"guild_id": OTHER_GUILD, "name": "Winter", "started_at": START},
            ],
        )
    await upgrade(engine)
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(Season.guild_id, Season.name, Season.ended_at, Season.recap_due_at).order_by(
                    Season.id
                )
            )
        ).all()
    assert rows == [
        (GUILD, "Winter", later, later),
        (GUILD, "Spring", None, None),
        (OTHER_GUILD, "Winter", None, None),
    ]
