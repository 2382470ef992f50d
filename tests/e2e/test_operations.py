"""Operations: /healthz and /metrics on METRICS_PORT, JSON logs, and the setups refused at
start with one clear line and exit code 2 (bad sharding, SQLite shared by processes)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import build_bot
from bot.runtime.operations import OperationsServer
from bot.settings import Settings
from db.engine import create_engine
from tests.e2e import flows
from tests.e2e.conftest import REPO_ROOT, BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def metric(text: str, name: str) -> float:
    """The value of one sample line (``name`` with its labels, exactly)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name!r} in /metrics")


async def test_health_metrics_and_json_logs_of_a_running_bot(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    port = free_port()
    await flows.launch(
        bot_process, METRICS_PORT=str(port), LOG_FORMAT="json", CHART_WORKERS_AT_START="true"
    )
    base = f"http://127.0.0.1:{port}"
    status, body = await get(base + "/healthz")
    assert status == 200, body
    assert json.loads(body) == {"ready": True, "shards": {"0": True}, "database": True}

    posted = await flows.predict(fake, "The ferry runs on time", "in 3 months")
    for who, tens in (("alice", 3), ("bob", 7)):
        await flows.react(fake, posted.message_id, flows.keycap(tens), who)
    await flows.wait_for_render(fake, posted, flows.shows(2), after=0)

    status, text = await get(base + "/metrics")
    assert status == 200
    assert metric(text, "augury_votes_written_total") == 2
    assert metric(text, "augury_vote_batch_size_count") >= 1
    assert metric(text, "augury_renders_pending") >= 0
    assert metric(text, 'augury_gateway_latency_seconds{shard="0"}') >= 0
    assert metric(text, 'augury_shard_connected{shard="0"}') == 1
    assert metric(text, "augury_ready") == 1
    assert metric(text, 'augury_db_query_seconds_count{kind="insert"}') >= 1
    assert metric(text, 'augury_db_query_seconds_count{kind="select"}') >= 1
    assert "augury_event_loop_lag_seconds_bucket" in text
    assert "augury_reminders_sent_total 0.0" in text
    # Once ready, the start-up heap (modules, classes, caches) is out of full collections.
    assert metric(text, "augury_startup_heap_objects") > 50_000

    # The chart workers start in the background once ready, as children of the bot.
    await bot_process.wait_for_log(r"Chart workers started \(2 processes\)", timeout=30)
    assert bot_process.process is not None
    pid = bot_process.process.pid
    children = (await asyncio.to_thread(Path(f"/proc/{pid}/task/{pid}/children").read_text)).split()
    assert len(children) >= 2

    # Every line the bot wrote is one JSON object (the test's start marker aside).
    lines = [line for line in bot_process.log_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines if not line.startswith("=====")]
    assert any(r["message"].startswith("Augury is ready as") for r in records)
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert not [r for r in records if r["level"] in ("ERROR", "CRITICAL")]


async def test_health_is_503_until_ready_and_while_the_database_is_unreachable(
    tmp_path: Path,
) -> None:
    # A bot that never connected, on a PostgreSQL server that is not there (port 1).
    settings = Settings(
        discord_token=SecretStr("unused"),
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
        _env_file=None,  # type: ignore[call-arg]
    )
    engine = create_engine(settings.database_url)
    port = free_port()
    try:
        async with build_bot(settings, engine) as bot:
            server = OperationsServer(bot, "127.0.0.1", port)
            await server.start()
            try:
                status, body = await get(f"http://127.0.0.1:{port}/healthz")
            finally:
                await server.stop()
    finally:
        await engine.dispose()
    assert status == 503
    assert json.loads(body) == {"ready": False, "shards": {"0": False}, "database": False}


async def run_bot(env: dict[str, str], cwd: Path) -> tuple[int, list[str]]:
    """``python -m bot`` with ``env``; its exit code and output lines."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "DISCORD_TOKEN": "t", **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return int(process.returncode or 0), out.decode().strip().splitlines()


PG = "postgresql+asyncpg://nobody@127.0.0.1:1/none"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-4", "DATABASE_URL": PG}, "4 outside SHARD_COUNT 4"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-", "DATABASE_URL": PG}, "ranges like 0-3 or 4,5"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "2-1", "DATABASE_URL": PG}, "runs backwards"),
        ({"SHARD_COUNT": "auto", "SHARD_IDS": "0", "DATABASE_URL": PG}, "numeric SHARD_COUNT"),
        ({"SHARD_COUNT": "none", "DATABASE_URL": PG}, "whole number ≥ 1 or auto"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0"}, "which needs PostgreSQL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
async def test_bad_setups_exit_2_with_one_clear_line(
    env: dict[str, str], says: str, tmp_path: Path
) -> None:
    env.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'augury.db'}")
    code, lines = await run_bot(env, tmp_path)
    assert code == 2
    assert len(lines) == 1 and says in lines[0], lines


async def test_a_second_process_on_the_same_sqlite_file_is_refused(
    fake_discord: FakeDiscord, bot_process: BotProcess, tmp_path: Path
) -> None:
    await flows.launch(bot_process)
    env = {
        "DATABASE_URL": bot_process.database_url,
        "DISCORD_API_BASE_URL": fake_discord.api_base,
        "DISCORD_GATEWAY_URL": fake_discord.gateway_url,
    }
    code, lines = await run_bot(env, tmp_path)
    assert code == 2
    assert len(lines) == 1, lines
    assert f"Another Augury process is already using {bot_process.db_path}" in lines[0]
    assert "PostgreSQL" in lines[0]
    assert len(fake_discord.identifies()) == 1, "the refused process never connected"
    # The first process goes on serving; killed, it leaves no stale lock behind.
    reply = await flows.send(fake_discord, fake_discord.slash("predictions", p.subcommand("list")))
    assert reply.request.status == 200 and reply.ephemeral
    await flows.relaunch(bot_process, kill=True)
    assert (bot_process.db_path.parent / "augury.db.lock").exists()
    flows.assert_log_clean(bot_process)
