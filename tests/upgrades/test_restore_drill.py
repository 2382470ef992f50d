"""Restore is a drill: back up the live database while members vote, restore it exactly as the
README's *Backup and restore* says, start the bot on it and find the same record.

The votes are written one after another, each acknowledged to the member before the next, so
the record is a sequence; a consistent backup holds a prefix of it: every vote acknowledged
before the backup began, in order, and nothing half-written.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import pytest

from tests.e2e import flows
from tests.e2e.conftest import REPO_ROOT, BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.upgrades.answers import embeds_answering, text_answering
from tests.upgrades.databases import plain, postgres_url

pytestmark = pytest.mark.e2e
VOTERS = ("bob", "carol", "admin", "mod")
#: (user id, prediction id, per-mille): one acknowledged vote.
Vote = tuple[int, int, int]


class Voters:
    """Members voting through /vote, one vote at a time, until told to stop."""

    def __init__(self, fake: FakeDiscord, predictions: list[int]) -> None:
        self.fake = fake
        self.predictions = predictions
        self.acknowledged: list[Vote] = []
        self.stop = asyncio.Event()

    async def run(self) -> None:
        index = 0
        while not self.stop.is_set():
            who = VOTERS[index % len(VOTERS)]
            prediction = self.predictions[index % len(self.predictions)]
            percent = 5 + (index * 7) % 90
            payload = self.fake.slash(
                "vote",
                p.option("prediction", prediction),
                p.option("probability", str(percent)),
                user=who,
            )
            answer = await text_answering(self.fake, payload)
            assert "Your forecast" in answer, answer
            self.acknowledged.append((int(self.fake.user_id(who)), prediction, percent * 10))
            index += 1

    async def until(self, count: int) -> None:
        await self.fake.wait_for(lambda: len(self.acknowledged) >= count, 60)


@contextmanager
def sqlite_rows(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path)
    try:
        yield connection
    finally:
        connection.close()


def member_events(rows: list[tuple[int, int, int]], voters: set[int]) -> list[Vote]:
    return [row for row in rows if row[0] in voters]


async def read_events(url: str) -> list[tuple[int, int, int]]:
    """Every vote event, in the order written: (user, prediction number, per-mille)."""
    query = (
        "SELECT e.user_id, p.number, e.permille FROM vote_events e "
        "JOIN predictions p ON p.id = e.prediction_id ORDER BY e.id"
    )
    if url.startswith("sqlite"):
        with sqlite_rows(Path(url.split(":///", 1)[1])) as connection:
            return [tuple(row) for row in connection.execute(query)]
    connection = await asyncpg.connect(plain(url))
    try:
        return [tuple(row) for row in await connection.fetch(query)]
    finally:
        await connection.close()


def run(*command: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{command[:3]} failed: {result.stderr}"
    return result.stdout


def back_up(bot: BotProcess, url: str, target: Path) -> None:
    """As the README says: ``python -m bot backup`` on SQLite, ``pg_dump`` on PostgreSQL."""
    if url.startswith("sqlite"):
        env = {**os.environ, "DATABASE_URL": url}
        out = run(sys.executable, "-m", "bot", "backup", str(target), env=env)
        assert "integrity check: ok" in out
    else:
        run("pg_dump", "--format=custom", "--file", str(target), plain(url))


def restore(url: str, backup: Path) -> str:
    """As the README says; the URL the bot then runs on."""
    if url.startswith("sqlite"):
        database = Path(url.split(":///", 1)[1])
        database.rename(database.with_name(database.name + ".broken"))
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        shutil.copyfile(backup, database)
        return url
    server, name = plain(url).rsplit("/", 1)
    restored = restored_name(name)
    drop_restored(f"{server}/{restored}")
    run("createdb", "--maintenance-db", f"{server}/postgres", restored)
    run("pg_restore", "--no-owner", "--dbname", f"{server}/{restored}", str(backup))
    return f"{url.rsplit('/', 1)[0]}/{restored}"


def restored_name(name: str) -> str:
    return f"{name}_restored"


def drop_restored(url: str) -> None:
    """Drop the database the drill restored into (never any other: its name says so)."""
    if url.startswith("sqlite"):
        return
    server, name = plain(url).rsplit("/", 1)
    assert name.endswith("_restored"), name
    run("dropdb", "--if-exists", "--force", "--maintenance-db", f"{server}/postgres", name)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_a_backup_taken_under_writes_restores_to_the_same_record(
    dialect: str, fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    bot = BotProcess(fake, tmp_path)
    url = bot.database_url
    if dialect == "postgresql":
        url = postgres_url()
        connection = await asyncpg.connect(plain(url))
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        await connection.close()
        bot.extra_env["DATABASE_URL"] = url
    restored_url = "sqlite:"  # nothing restored yet: nothing to drop
    voters = {int(fake.user_id(who)) for who in VOTERS}
    try:
        await flows.launch(bot)
        for n in (1, 2, 3):
            await flows.predict(fake, f"Restore drill {n}", "2030-01-01")
        writers = Voters(fake, [1, 2, 3])
        writing = asyncio.create_task(writers.run())
        await writers.until(12)

        before = len(writers.acknowledged)
        backup = tmp_path / ("augury-backup.db" if dialect == "sqlite" else "augury.dump")
        await asyncio.to_thread(back_up, bot, url, backup)
        await writers.until(len(writers.acknowledged) + 8)  # the bot went on writing
        writers.stop.set()
        await writing
        assert await bot.terminate() == 0

        restored_url = restore(url, backup)
        bot.extra_env["DATABASE_URL"] = restored_url
        await bot.start()
        await flows.until_ready(bot)

        kept = member_events(await read_events(restored_url), voters)
        assert len(kept) >= before, "a vote acknowledged before the backup is missing"
        assert kept == writers.acknowledged[: len(kept)], "not a prefix of what was written"
        assert len(kept) < len(writers.acknowledged), "votes after the backup were restored"
        listed = await embeds_answering(
            fake, fake.slash("predictions", p.subcommand("list"), user="alice")
        )
        assert "3 in all" in listed[0]["footer"]["text"]
        # Each member's forecast is their last acknowledged vote in the backup.
        last = {(user, number): permille for user, number, permille in kept}
        user, number, permille = kept[-1]
        who = next(h for h in VOTERS if int(fake.user_id(h)) == user)
        other = "50" if permille != 500 else "60"  # a change, so the reply names the old one
        again = await text_answering(
            fake,
            fake.slash(
                "vote", p.option("prediction", number), p.option("probability", other), user=who
            ),
        )
        assert f"(was {permille // 10}%)" in again and last[(user, number)] == permille
        assert fake.violations == []
        assert await bot.terminate() == 0
        flows.assert_log_clean(bot)
    finally:
        if bot.running:
            await bot.kill()
        drop_restored(restored_url)
