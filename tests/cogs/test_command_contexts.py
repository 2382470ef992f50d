"""Where each command may be used, as Discord reads it: ``contexts`` and ``integration_types``.

Augury is installed to servers only. Commands about a server's record are usable in servers
only (``contexts: [0]``); the few about the member themself (help, notifications, privacy)
keep Discord's default so they also work in a DM with the bot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app import build_bot
from bot.settings import Settings
from db.engine import create_engine

GUILD = 0  # Discord's InteractionContextType.GUILD and ApplicationIntegrationType.GUILD_INSTALL
ANYWHERE = {"help", "notifications", "privacy"}


async def synced_payload(tmp_path: Path) -> list[dict[str, Any]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/contexts.db")
    bot = build_bot(Settings(discord_token="x"), engine)
    try:
        for extension in bot._extensions:
            await bot.load_extension(extension)
        return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    finally:
        await bot.close()
        await engine.dispose()


async def test_server_commands_say_servers_only_through_contexts_not_dm_permission(
    tmp_path: Path,
) -> None:
    payload = await synced_payload(tmp_path)
    server_only = {c["name"]: c["contexts"] for c in payload if c["name"] not in ANYWHERE}
    assert {"predict", "predictions", "vote", "resolve", "stats", "augury"} <= set(server_only)
    assert "Track as prediction" in server_only  # the message menu too
    assert {name: contexts for name, contexts in server_only.items() if contexts != [GUILD]} == {}


async def test_every_command_is_installed_to_servers_only(tmp_path: Path) -> None:
    payload = await synced_payload(tmp_path)
    assert {c["name"]: c["integration_types"] for c in payload} == {
        c["name"]: [GUILD] for c in payload
    }
