"""Start-up: the deliberate command sync carries every command, as the checked-in snapshot says.

Regenerate the snapshot after an intended change with
``UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/e2e/test_startup.py`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from discord import AppCommandType
from pydantic import SecretStr

from bot.app import build_bot
from bot.runtime.client import EXTENSIONS
from bot.settings import Settings
from db.engine import create_engine
from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.snapshot import check_snapshot, without_ids
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

GUILD_SYNC = r"^/applications/\d+/guilds/\d+/commands$"
GLOBAL_SYNC = r"^/applications/\d+/commands$"


async def commands_in_the_code(tmp_path: Path) -> set[tuple[str, int]]:
    """(name, type) of every command the bot's extensions register, built in-process."""
    settings = Settings(
        discord_token=SecretStr("unused"),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tree.db'}",
        _env_file=None,  # pydantic-settings: ignore .env, take only these values
    )
    engine = create_engine(settings.database_url)
    try:
        # The context manager initialises the client without logging in, so cogs that start
        # tasks waiting for "ready" load and unload cleanly.
        async with build_bot(settings, engine) as bot:
            for name in EXTENSIONS:
                await bot.load_extension(name)
            return {
                (command.name, getattr(command, "type", AppCommandType.chat_input).value)
                for command in bot.tree.get_commands()
            }
    finally:
        await engine.dispose()


def schema(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The synced commands without ids, in a stable order (options keep theirs: it shows)."""
    stripped: list[dict[str, Any]] = without_ids(commands)
    return sorted(stripped, key=lambda command: (command["type"], command["name"]))


async def test_start_syncs_every_command_once_as_the_snapshot_says(
    fake_discord: FakeDiscord, bot_process: BotProcess, tmp_path: Path
) -> None:
    fake = fake_discord
    bot_process.db_path.unlink()  # a first start: no database yet (not the migrated template)
    await flows.launch(bot_process)
    assert "Migrated the database from empty to" in bot_process.log_text()

    (sync,) = fake.find_requests("PUT", GUILD_SYNC)
    assert sync.status == 200
    assert fake.find_requests("PUT", GLOBAL_SYNC) == [], "DEV_GUILD_ID set: no global sync"
    assert f"/guilds/{fake.guild_id}/" in sync.path
    sent = {(command["name"], command["type"]) for command in sync.json}
    assert sent == await commands_in_the_code(tmp_path)
    check_snapshot("commands.json", schema(sync.json))

    # A reconnect resumes the session; it must not sync again.
    resumes = len([f for f in fake.gateway_frames if f.op == 6])
    await fake.reconnect()
    await fake.wait_for(lambda: len([f for f in fake.gateway_frames if f.op == 6]) > resumes)
    reply = await flows.send(fake, fake.slash("augury", p.subcommand("settings"), user="admin"))
    assert reply.ephemeral and reply.request.json["data"]["embeds"][0]["title"] == "Augury settings"
    assert len(fake.find_requests("PUT", r"/commands$")) == 1

    assert fake.violations == []
    flows.assert_log_clean(bot_process)
