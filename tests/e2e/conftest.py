"""End-to-end fixtures: the real ``python -m bot`` as a subprocess, pointed at the
``fake_discord`` fixture (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pytest

from tests.fakediscord import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """The bot as a subprocess pointed at a FakeDiscord; its database survives restarts.

    Output (stdout and stderr) goes to ``log_path``; every start appends a marker line.
    """

    def __init__(
        self,
        fake: FakeDiscord,
        workdir: Path,
        *,
        module: str = "bot",
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        cwd: Path = REPO_ROOT,
        dev_guild: bool = True,
        expect_sync: bool = True,
    ) -> None:
        self.fake = fake
        self.module = module
        self.args = list(args)
        self.cwd = cwd
        self.dev_guild = dev_guild
        self.expect_sync = expect_sync
        self.extra_env = dict(env or {})
        self.db_path = workdir / "augury.db"
        self.log_path = workdir / "bot.log"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._log: IO[bytes] | None = None
        self._start_mark = 0
        self._start_frames = 0

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db_path}"

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DISCORD_TOKEN": self.fake.token,
            "DATABASE_URL": self.database_url,
            "DISCORD_API_BASE_URL": self.fake.api_base,
            "DISCORD_GATEWAY_URL": self.fake.gateway_url,
            "PYTHONUNBUFFERED": "1",
            # Most scenarios draw no chart: their chart workers start on the first one.
            "CHART_WORKERS_AT_START": "false",
            # Unreachable-at-start scenarios retry 0.1, 0.2, 0.4 s instead of 1, 2, 4 s.
            "STARTUP_RETRY_SECONDS": "0.1",
        }
        if self.dev_guild:
            env["DEV_GUILD_ID"] = self.fake.guild_id
        env.update(self.extra_env)
        return env

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.returncode

    async def start(self) -> None:
        if self.running:
            raise RuntimeError("bot process already running")
        self.starts += 1
        self._start_mark = self.fake.mark()
        self._start_frames = len(self.fake.gateway_frames)
        self._log = self.log_path.open("ab")
        self._log.write(f"\n===== start {self.starts}: {self.module} {self.args} =====\n".encode())
        self._log.flush()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            self.module,
            *self.args,
            cwd=self.cwd,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _ready(self) -> bool:
        if not self.running:
            raise RuntimeError(
                f"bot exited with {self.returncode} before it was ready:\n{self.log_text()[-4000:]}"
            )
        frames = self.fake.gateway_frames[self._start_frames :]
        identified = any(f.op == 2 for f in frames)
        synced = not self.expect_sync or bool(
            self.fake.find_requests(
                "PUT", r"^/applications/\d+/(guilds/\d+/)?commands$", after=self._start_mark
            )
        )
        return identified and synced

    async def wait_ready(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - test API
        """Until the process has IDENTIFYed on the gateway and (if expected) synced commands."""
        try:
            await self.fake.wait_for(self._ready, timeout, message="for the bot to be ready")
        except TimeoutError as error:
            raise TimeoutError(f"{error}\nbot log:\n{self.log_text()[-4000:]}") from None

    async def wait_for_log(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:  # noqa: ASYNC109
        """The first match of ``pattern`` in the log written since the last start."""

        def found() -> re.Match[str] | None:
            text = self.log_text()
            marker = f"===== start {self.starts}:"
            return re.search(pattern, text[text.rfind(marker) :])

        result: re.Match[str] = await self.fake.wait_for(found, timeout, message=f"for {pattern!r}")
        return result

    async def wait_exit(self, timeout: float = 10.0) -> int:  # noqa: ASYNC109 - test API
        if self.process is None:
            raise RuntimeError("never started")
        code = await asyncio.wait_for(self.process.wait(), timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    async def kill(self) -> int:
        """SIGKILL: no shutdown code runs (a crash, or the host losing power)."""
        if self.running and self.process is not None:
            self.process.kill()
        return await self.wait_exit()

    async def terminate(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - test API
        sig: signal.Signals = signal.SIGTERM,
    ) -> int:
        """Send ``sig`` (SIGINT acts as Ctrl-C), then SIGKILL if still alive after ``timeout``."""
        if self.running and self.process is not None:
            self.process.send_signal(sig)
            try:
                return await self.wait_exit(timeout)
            except TimeoutError:
                self.process.kill()
        return await self.wait_exit()

    async def restart(self, *, kill: bool = False, wait_ready: bool = True) -> None:
        """Stop (SIGTERM, or SIGKILL with ``kill``) and start again on the same database."""
        await (self.kill() if kill else self.terminate())
        await self.start()
        if wait_ready:
            await self.wait_ready()


@pytest.fixture
async def bot_process(
    fake_discord: FakeDiscord, tmp_path: Path, migrated_sqlite: Path
) -> AsyncIterator[BotProcess]:
    """An unstarted BotProcess for ``python -m bot``; killed after the test if still running.

    Its database starts as a copy of the session's migrated template (tests/conftest.py): the
    bot finds it current instead of running every migration at its first start (a quarter of
    a second of a start's CPU). Scenarios that build a BotProcess themselves start on an empty
    file, so the migrations at start stay covered end to end (test_web_flow, test_onboarding,
    tests/upgrades)."""
    process = BotProcess(fake_discord, tmp_path)
    shutil.copyfile(migrated_sqlite, process.db_path)
    try:
        yield process
    finally:
        if process.running:
            await process.kill()
