"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
services on a fake clock, a running fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.rendering.command_mentions import forget_commands
from bot.services.core.context import ServiceContext
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from tests.fakediscord import FakeDiscord


@pytest.fixture(autouse=True)
def _no_command_ids_from_an_earlier_test() -> None:
    """Command ids are remembered per process (:mod:`bot.rendering.command_mentions`): each
    test starts without those of a bot from an earlier test; a bot that syncs learns its own."""
    forget_commands()


START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
GUILD = 1_000_000_000_000_001
OTHER_GUILD = 1_000_000_000_000_002
AUTHOR = 2_000_000_000_000_001
VOTER = 2_000_000_000_000_002
MOD = 2_000_000_000_000_003


def pytest_configure(config: pytest.Config) -> None:
    """The README runs the suite on every core (``-n auto``); PostgreSQL runs share one database
    (each test empties its schema), so they must run on one."""
    workers = getattr(config.option, "numprocesses", None)
    if os.environ.get("TEST_DATABASE_URL") and workers not in (None, 0, 1):
        raise pytest.UsageError(
            "TEST_DATABASE_URL tests share one database: run them without -n (or with -n 0)."
        )


def database_urls(tmp_path: Path) -> str:
    """``TEST_DATABASE_URL`` if given, else a fresh SQLite file in ``tmp_path`` (unmigrated)."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_path}/test.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head for the whole run: each test copies it (a millisecond)
    instead of running every migration again (a few hundred milliseconds, hundreds of times).

    Built even when ``TEST_DATABASE_URL`` points elsewhere: the cog tier always runs on SQLite.
    """
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def build() -> None:
        template = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(template)
        await template.dispose()

    asyncio.run(build())
    return path


def fresh_sqlite_url(template: Path, target: Path) -> str:
    """A migrated SQLite database at ``target``, copied from the session's template."""
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture
async def engine(tmp_path: Path, migrated_sqlite: Path) -> AsyncIterator[AsyncEngine]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url is None:
        engine = create_engine(fresh_sqlite_url(migrated_sqlite, tmp_path / "test.db"))
    else:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def services(engine: AsyncEngine, clock: FakeClock) -> Services:
    return Services.build(ServiceContext(sessions=create_session_factory(engine), clock=clock))


@pytest.fixture
async def fake_discord(request: pytest.FixtureRequest) -> AsyncIterator[FakeDiscord]:
    """A started fake Discord on a free 127.0.0.1 port, stopped after the test.

    ``@pytest.mark.fake_discord(forum_tags=["Science"], ...)`` passes options to FakeDiscord.
    """
    marker = request.node.get_closest_marker("fake_discord")
    fake = FakeDiscord(**(marker.kwargs if marker else {}))
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot <args>`` against ``database_url``, as an admin runs it (a real process:
    about a second and a half to start; :func:`call_cli` tests the same paths in-process)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DISCORD_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=120
    )


@dataclass(frozen=True)
class CliRun:
    """What the command line returned and printed (the fields of a CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


def call_cli(*args: str, env: Mapping[str, str]) -> CliRun:
    """``python -m bot <args>`` without a process: :func:`bot.__main__.main` in this one, with
    ``env`` over the environment, stdout and stderr captured (its log handler writes to that
    stderr, as in a process), then the environment and the logging set-up put back.

    Synchronous (the CLI runs its own event loop): an async test awaits it in a thread.
    """
    from bot.__main__ import main
    from bot.logging_setup import CHATTY

    root = logging.getLogger()
    saved = (root.handlers[:], root.level, [logging.getLogger(n).level for n in CHATTY])
    out, err = io.StringIO(), io.StringIO()
    root.handlers = []  # basicConfig only configures a root logger without handlers
    try:
        with (
            mock.patch.dict(os.environ, env),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse refusing the arguments
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers, level, chatty = saved
        root.setLevel(level)
        for name, was in zip(CHATTY, chatty, strict=True):
            logging.getLogger(name).setLevel(was)
    return CliRun(code, out.getvalue(), err.getvalue())


def cli_in_process(*args: str, database_url: str) -> CliRun:
    """:func:`run_cli` in this process (:func:`call_cli`): the same arguments and environment."""
    return call_cli(*args, env={"DATABASE_URL": database_url, "DISCORD_TOKEN": ""})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Spread the tests that mostly wait (a real bot process, a subprocess) evenly among those
    that compute, so the two workers of ``-n auto`` are rarely both waiting at once."""
    waiting = [item for item in items if _mostly_waits(item)]
    if not waiting or len(waiting) == len(items):
        return
    computing = [item for item in items if not _mostly_waits(item)]
    step = len(computing) / len(waiting)
    mixed: list[pytest.Item] = []
    for index, item in enumerate(computing):
        while len(mixed) - index < len(waiting) and index >= step * (len(mixed) - index):
            mixed.append(waiting[len(mixed) - index])
        mixed.append(item)
    mixed.extend(waiting[len(mixed) - len(computing) :])
    items[:] = mixed


def _mostly_waits(item: pytest.Item) -> bool:
    path = str(item.path)
    return "/tests/e2e/" in path or "/tests/upgrades/" in path
