"""Going back to an earlier release's schema: the steps that drop data are listed, with how
much, before anything runs, and run only with ``--yes``; a lossless step just runs."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from db.downgrade import downgrade_losses
from db.engine import create_engine
from db.migrate import upgrade
from db.single_process import hold_sqlite_lock
from tests.conftest import CliRun, call_cli
from tests.e2e.conftest import REPO_ROOT
from tests.upgrades.databases import (
    head_revision,
    load_postgres,
    postgres_url,
    revision,
    snapshot,
    sqlite_copy,
)

#: What going back from 0.1.0's schema (0009) to 0006 drops in the 0.1.0 fixture.
LOST_TO_0006 = [
    "table member_names: 2 row(s)",
    "table reminder_messages: 10 row(s)",
    "table result_messages: 10 row(s)",
    "column guild_settings.voters_follow: 2 value(s)",
    "column votes.reason: 30 value(s)",
]


async def migrate(url: str, *args: str) -> CliRun:
    """``python -m bot migrate ARGS`` in this process (in a thread: it runs its own event loop);
    the lock test below runs the real process."""
    return await asyncio.to_thread(call_cli, "migrate", *args, env={"DATABASE_URL": url})


def migrate_process(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "migrate", *args],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def fixture_database(dialect: str, tmp_path: Path) -> str:
    """The 0.1.0 fixture, upgraded to head (what an admin has before going back)."""
    if dialect == "sqlite":
        url = sqlite_copy("0.1.0", tmp_path / "augury.db")
    else:
        url = postgres_url()
        await load_postgres("0.1.0", url)
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    return url


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_losses_are_listed_and_the_database_is_left_as_it_was(
    dialect: str, tmp_path: Path
) -> None:
    url = await fixture_database(dialect, tmp_path)
    engine = create_engine(url)
    try:
        before = await snapshot(engine)
        lost = await downgrade_losses(engine, "0006")
        assert all(line in lost for line in LOST_TO_0006), lost
        assert await revision(engine) == head_revision()
        assert await snapshot(engine) == before
    finally:
        await engine.dispose()


async def test_the_command_refuses_a_lossy_downgrade_without_yes(tmp_path: Path) -> None:
    url = await fixture_database("sqlite", tmp_path)
    refused = await migrate(url, "--to", "0006")
    assert refused.returncode == 1, refused.stderr
    assert "would drop:" in refused.stdout
    assert all(f"  {line}\n" in refused.stdout for line in LOST_TO_0006), refused.stdout
    assert "Nothing was changed" in refused.stdout and "--yes" in refused.stdout
    engine = create_engine(url)
    try:
        assert await revision(engine) == head_revision()

        done = await migrate(url, "--to", "0006", "--yes")
        assert done.returncode == 0, done.stderr
        assert "Dropping table member_names: 2 row(s)" in done.stdout
        assert await revision(engine) == "0006"
        kept = await snapshot(engine)
        assert len(kept["predictions"][1]) == 30 and "member_names" not in kept

        forward = await migrate(url)  # and a newer release migrates it forward again
        assert forward.returncode == 0, forward.stderr
        assert await revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_a_lossless_step_runs_without_yes_and_a_bad_revision_is_refused(
    tmp_path: Path,
) -> None:
    url = sqlite_copy("0.1.0", tmp_path / "augury.db")  # at 0.1.0's schema, 0009
    # 0009 only added indexes: going back from 0009 to 0008 drops no data.
    engine = create_engine(url)
    try:
        done = await migrate(url, "--to", "0008")
        assert done.returncode == 0 and "Dropping" not in done.stdout, done.stdout
        assert await revision(engine) == "0008"
        unknown = await migrate(url, "--to", "0.1.0")
        assert unknown.returncode == 1
        assert "Unknown revision '0.1.0'" in unknown.stdout
        assert await revision(engine) == "0008"
    finally:
        await engine.dispose()


async def test_going_back_is_refused_while_the_bot_holds_the_sqlite_file(tmp_path: Path) -> None:
    url = await fixture_database("sqlite", tmp_path)
    with hold_sqlite_lock(tmp_path / "augury.db"):  # as the running bot does, in its process
        refused = migrate_process(url, "--to", "0006", "--yes")
    assert refused.returncode == 1
    assert "Stop the bot" in refused.stdout, refused.stdout
    engine = create_engine(url)
    try:
        assert await revision(engine) == head_revision()
    finally:
        await engine.dispose()
