"""Migration 0015 (question kinds) on the previous release's database, which holds rows in
every table: up, every prediction is yes/no and every row keeps its values; down, a
prediction of another kind is listed as lost and then removed with its votes, events and
scores, and every yes/no row is back as it was (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.downgrade import downgrade_losses
from db.engine import create_engine
from db.migrate import downgrade, upgrade
from tests.upgrades.databases import (
    load_postgres,
    postgres_url,
    revision,
    snapshot,
    sqlite_copy,
)

BEFORE = "0014"
KINDS = "0015"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_question_kinds_migrate_up_and_down_on_a_real_database(
    dialect: str, tmp_path: Path
) -> None:
    if dialect == "sqlite":
        url = sqlite_copy("0.1.0", tmp_path / "augury.db")
    else:
        url = postgres_url()
        await load_postgres("0.1.0", url)
    engine = create_engine(url)
    try:
        await upgrade(engine, BEFORE)
        before = await snapshot(engine)
        touched = ("predictions", "votes", "vote_events", "scores")
        assert all(before[table][1] for table in touched), "the fixture lacks rows 0015 moves"

        await upgrade(engine, KINDS)
        assert await revision(engine) == KINDS
        assert await snapshot(engine, like=before) == before  # every old value kept
        async with engine.connect() as connection:
            kinds = (await connection.execute(text("SELECT DISTINCT kind FROM predictions"))).all()
            payloads = [
                await connection.scalar(
                    text(f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL")
                )
                for table, column in (
                    ("predictions", "outcome_value"),
                    ("votes", "forecast"),
                    ("vote_events", "forecast"),
                    ("scores", "forecast"),
                )
            ]
        assert kinds == [("yes_no",)]
        assert payloads == [0, 0, 0, 0]

        # A prediction of another kind, as a later release would write it.
        async with engine.begin() as connection:
            template = (
                await connection.execute(
                    text("SELECT id, guild_id, number FROM predictions ORDER BY id DESC LIMIT 1")
                )
            ).one()
            await connection.execute(
                text(
                    "INSERT INTO predictions (id, guild_id, number, author_id, statement, kind,"
                    " created_at, resolves_at, closes_at, status, visibility, reminders_sent,"
                    " outcome, outcome_value)"
                    " SELECT :id, guild_id, :number, author_id, 'How many boats?', 'toy_guess',"
                    " created_at, resolves_at, closes_at, 'resolved', visibility, 0,"
                    " 'answered', :outcome FROM predictions WHERE id = :template"
                ),
                {
                    "id": template.id + 1,
                    "number": template.number + 1000,
                    "outcome": '{"value": 55}',
                    "template": template.id,
                },
            )
            for statement in (
                "INSERT INTO votes (prediction_id, user_id, permille, forecast, source,"
                " updated_at) SELECT :id, 7, NULL, :forecast, 'slash', created_at"
                " FROM predictions WHERE id = :id",
                "INSERT INTO vote_events (prediction_id, user_id, permille, forecast, source,"
                " created_at) SELECT :id, 7, NULL, :forecast, 'slash', created_at"
                " FROM predictions WHERE id = :id",
                "INSERT INTO scores (prediction_id, guild_id, user_id, permille, outcome,"
                " forecast, brier, log_score, time_brier, relative_brier, resolved_at)"
                " SELECT :id, guild_id, 7, NULL, NULL, :forecast, 0.1, -0.3, 0.1, 0.0,"
                " created_at FROM predictions WHERE id = :id",
            ):
                await connection.execute(
                    text(statement), {"id": template.id + 1, "forecast": '{"guess": 40}'}
                )

        lost = await downgrade_losses(engine, BEFORE)
        assert "table predictions: 1 of 31 row(s)" in lost, lost
        assert "column predictions.kind: 31 value(s)" in lost, lost
        assert await revision(engine) == KINDS  # only listed, nothing changed yet

        await downgrade(engine, BEFORE)
        assert await revision(engine) == BEFORE
        assert await snapshot(engine) == before  # the other kind's rows gone, no orphans

        await upgrade(engine, KINDS)  # and forward again
        assert await snapshot(engine, like=before) == before
    finally:
        await engine.dispose()
