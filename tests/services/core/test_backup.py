"""Backups of the live SQLite database: consistent under a vote burst, and restorable.

``python -m bot backup`` runs in-process here (the backup is synchronous: no event loop of its
own); tests/upgrades/test_restore_drill.py runs it as a real process."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.vocabulary import VoteSource
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.backup import BackupError, backup_sqlite
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Vote
from tests.conftest import AUTHOR, GUILD, START, cli_in_process, fresh_sqlite_url

VOTERS = 3000


@pytest.fixture
async def sqlite_services(tmp_path: Path, migrated_sqlite: Path) -> tuple[Services, Path]:
    path = tmp_path / "live.db"
    engine = create_engine(fresh_sqlite_url(migrated_sqlite, path))
    services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))
    return services, path


async def test_backup_during_a_vote_burst_keeps_every_acknowledged_vote(
    sqlite_services: tuple[Services, Path], tmp_path: Path
) -> None:
    services, path = sqlite_services
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "The bridge opens", "in 10 days")
    )
    acknowledged: set[int] = set()
    a_third_in = asyncio.Event()

    async def vote(user_id: int) -> None:
        await services.votes.vote(GUILD, info.id, user_id, 500, VoteSource.SLASH)
        acknowledged.add(user_id)
        if len(acknowledged) >= VOTERS // 3:
            a_third_in.set()

    burst = [asyncio.create_task(vote(10_000 + n)) for n in range(VOTERS)]
    await a_third_in.wait()  # start the backup mid-burst
    before_backup = set(acknowledged)
    copy = tmp_path / "copy.db"
    verdict = await asyncio.to_thread(backup_sqlite, path, copy)
    await asyncio.gather(*burst)

    assert verdict == "ok"
    with sqlite3.connect(copy) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        in_copy = {u for (u,) in restored.execute("SELECT user_id FROM votes")}
    assert before_backup <= in_copy
    assert len(before_backup) < VOTERS  # the burst really went on during the backup

    # Restore: the copy is a complete database the services can open.
    engine = create_engine(f"sqlite+aiosqlite:///{copy}")
    await upgrade(engine)
    async with create_session_factory(engine)() as session:
        restored_votes = set(await session.scalars(select(Vote.user_id)))
    await engine.dispose()
    assert restored_votes == in_copy


def test_backup_refuses_a_missing_database_or_itself(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "copy.db")
    existing = tmp_path / "db.sqlite"
    sqlite3.connect(existing).close()
    with pytest.raises(BackupError, match="must not be the database itself"):
        backup_sqlite(existing, existing)
    assert not (tmp_path / "copy.db").exists()


async def test_backup_command(sqlite_services: tuple[Services, Path], tmp_path: Path) -> None:
    services, path = sqlite_services
    await services.predictions.create(NewPrediction(GUILD, AUTHOR, "Kept", "in 10 days"))
    done = cli_in_process(
        "backup", str(tmp_path / "b.db"), database_url=f"sqlite+aiosqlite:///{path}"
    )
    assert done.returncode == 0, done.stderr
    assert "integrity check: ok" in done.stdout
    with sqlite3.connect(tmp_path / "b.db") as copy:
        assert copy.execute("SELECT statement FROM predictions").fetchall() == [("Kept",)]


def test_backup_command_on_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    done = cli_in_process(
        "backup", str(tmp_path / "b.db"), database_url="postgresql+asyncpg://u@127.0.0.1/x"
    )
    assert done.returncode == 1 and "pg_dump" in done.stderr


async def test_backup_is_readable_by_its_owner_only(
    sqlite_services: tuple[Services, Path], tmp_path: Path
) -> None:
    """A backup holds every member's record: 0600, and the folders it creates 0700."""
    _, path = sqlite_services
    target = tmp_path / "backups" / "daily" / "b.db"
    done = cli_in_process("backup", str(target), database_url=f"sqlite+aiosqlite:///{path}")
    assert done.returncode == 0, done.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "backups" / "daily").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("where", ["a-file/b.db", "/proc/augury/b.db"])
async def test_backup_to_a_path_that_cannot_be_written_is_one_line(
    sqlite_services: tuple[Services, Path], tmp_path: Path, where: str
) -> None:
    """Under a file, or where not even root may create anything (/proc)."""
    _, path = sqlite_services
    (tmp_path / "a-file").write_text("not a folder")
    done = cli_in_process(
        "backup", str(tmp_path / where), database_url=f"sqlite+aiosqlite:///{path}"
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Cannot write" in done.stderr
    assert (tmp_path / "a-file").read_text() == "not a folder"
