"""BotProcess drives a bot subprocess through the environment contract the real bot follows.

A stub bot stands in for ``python -m bot`` so these tests hold while the bot is being written.
"""

from __future__ import annotations

import signal
import sqlite3
import textwrap
from pathlib import Path

import pytest

from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e

STUB = textwrap.dedent(
    """
    import asyncio, os, sqlite3
    import discord, yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    Route.BASE = os.environ["DISCORD_API_BASE_URL"]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    path = os.environ["DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS starts (n INTEGER)")
        db.execute("INSERT INTO starts VALUES (1)")

    class Stub(discord.Client):
        def __init__(self):
            super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05)
            self.tree = discord.app_commands.CommandTree(self)

        async def setup_hook(self):
            guild = discord.Object(int(os.environ["DEV_GUILD_ID"]))

            @self.tree.command(name="ping", description="pong", guild=guild)
            async def ping(interaction):
                await interaction.response.send_message("pong from the stub")

            await self.tree.sync(guild=guild)

        async def on_ready(self):
            print("stub ready", flush=True)

    asyncio.run(Stub().start(os.environ["DISCORD_TOKEN"]))
    """
)


def stub_bot(fake: FakeDiscord, tmp_path: Path) -> BotProcess:
    (tmp_path / "stubbot").mkdir()
    (tmp_path / "stubbot" / "__main__.py").write_text(STUB)
    return BotProcess(fake, tmp_path, module="stubbot", cwd=tmp_path)


async def test_start_answer_restart_keep_the_database(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    bot = stub_bot(fake_discord, tmp_path)
    try:
        await bot.start()
        await bot.wait_ready()
        await bot.wait_for_log(r"stub ready")

        await fake_discord.dispatch("INTERACTION_CREATE", fake_discord.slash("ping"))
        reply = await fake_discord.wait_for_request(method="POST", path=r"/callback$")
        assert reply.json["data"]["content"] == "pong from the stub"

        await bot.restart(kill=True)
        assert len(fake_discord.identifies()) == 2
        with sqlite3.connect(bot.db_path) as db:
            assert db.execute("SELECT count(*) FROM starts").fetchone() == (2,)

        assert await bot.terminate() == -signal.SIGTERM
        assert "===== start 2" in bot.log_text()
    finally:
        if bot.running:
            await bot.kill()


async def test_wait_ready_reports_an_early_exit(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    bot = BotProcess(fake_discord, tmp_path, module="no_such_module_for_augury", cwd=tmp_path)
    await bot.start()

    with pytest.raises(RuntimeError, match="exited with 1 before it was ready"):
        await bot.wait_ready(timeout=20)
    assert "No module named" in bot.log_text()
