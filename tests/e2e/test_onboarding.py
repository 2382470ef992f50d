"""A new admin's first minutes, through the real process: the invite URL in the ready line,
the set-up message when the bot joins a server (once, pinging nobody, where someone who can
act on it sees it), and no command listed twice after testing with DEV_GUILD_ID."""

from __future__ import annotations

import re
from pathlib import Path

import discord
import pytest

from bot.runtime.invite import RECOMMENDED
from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e

SETUP_TITLE = "👋 Thanks for adding Augury"


def _greetings(fake: FakeDiscord, channel_id: str) -> list[dict[str, object]]:
    return [
        m
        for m in fake.messages_in(channel_id)
        if any(e.get("title") == SETUP_TITLE for e in m["embeds"])
    ]


def _greeting_row(bot: BotProcess, guild_id: str) -> str | None:
    with flows.database(bot.db_path) as db:
        row = db.execute(
            "SELECT delivered_to FROM guild_greetings WHERE guild_id = ?", (int(guild_id),)
        ).fetchone()
    return None if row is None else str(row["delivered_to"])


async def test_ready_line_prints_the_invite_url(bot_process: BotProcess) -> None:
    await flows.launch(bot_process)
    line = await bot_process.wait_for_log(r"Augury is ready as .*; invite it with (\S+)")
    assert line.group(1) == (
        "https://discord.com/oauth2/authorize?client_id="
        f"{bot_process.fake.state.world.application_id}&scope=bot+applications.commands"
        f"&permissions={RECOMMENDED.value}"
    )
    asked = discord.Permissions(int(line.group(1).rsplit("=", 1)[1]))
    assert asked.manage_events and asked.manage_roles  # scheduled events and earned roles


async def test_joining_a_server_posts_the_setup_message_once(bot_process: BotProcess) -> None:
    fake = bot_process.fake
    await flows.launch(bot_process)
    guild_id = await fake.join_guild()
    general = fake.state.world.guild_channel_ids[guild_id]["general"]
    posted = await fake.wait_for_request(
        method="POST", path=rf"^/channels/{general}/messages$", timeout=10
    )
    assert posted.json["allowed_mentions"]["parse"] == []
    [embed] = posted.json["embeds"]
    text = embed["description"] + " ".join(f["name"] + f["value"] for f in embed["fields"])
    for needed in ("</augury channel:", "</augury timezone:", "</augury moderator-role:", "UTC"):
        assert needed in text  # commands as mentions: a click runs them
    assert "where </predict:" in text
    assert "1\ufe0f\u20e3 3\ufe0f\u20e3 5\ufe0f\u20e3 7\ufe0f\u20e3 9\ufe0f\u20e3" in text
    await bot_process.wait_for_log(rf"Joined server {guild_id}: set-up message sent to system")
    assert _greeting_row(bot_process, guild_id) == "system channel"

    # Kicked and invited again in the same process, then a restart: said once is enough.
    await fake.dispatch("GUILD_DELETE", {"id": guild_id, "unavailable": False})
    mark = fake.mark()
    await fake.dispatch("GUILD_CREATE", fake.joined_guild_payload(guild_id))
    await bot_process.wait_for_log(rf"Joined server {guild_id} again: its set-up message was")
    await flows.relaunch(bot_process)
    await fake.until_idle()
    assert not fake.find_requests("POST", rf"^/channels/{general}/messages$", after=mark)
    assert len(_greetings(fake, general)) == 1
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)


async def test_without_a_usable_system_channel_the_owner_gets_it_by_dm(
    bot_process: BotProcess,
) -> None:
    fake = bot_process.fake
    await flows.launch(bot_process)
    mark = fake.mark()
    guild_id = await fake.join_guild(bot_can_post=False)
    owner_dm = fake.dm_channel_id("owner")
    posted = await fake.wait_for_request(
        method="POST", path=rf"^/channels/{owner_dm}/messages$", after=mark, timeout=10
    )
    [embed] = posted.json["embeds"]
    assert fake.state.world.guild_names[guild_id] in embed["description"]
    general = fake.state.world.guild_channel_ids[guild_id]["general"]
    assert not fake.find_requests("POST", rf"^/channels/{general}/messages$", after=mark)
    await bot_process.wait_for_log(rf"Joined server {guild_id}: set-up message sent to owner DM")
    assert _greeting_row(bot_process, guild_id) == "owner DM"
    assert_member_texts_clean(fake)  # the string sweep (issue 23)


async def test_clearing_dev_guild_id_removes_the_guild_copies(bot_process: BotProcess) -> None:
    """Testing with DEV_GUILD_ID, then clearing it: the next start syncs globally and empties
    the development guild, so no member there sees each command twice."""
    fake = bot_process.fake
    guild = fake.state.world.guild_id
    await flows.launch(bot_process)
    assert fake.state.commands.get(guild) and not fake.state.commands.get(None)
    bot_process.dev_guild = False
    await flows.relaunch(bot_process)
    await bot_process.wait_for_log(rf"Cleared the development commands in server {guild}")
    assert fake.state.commands[guild] == []
    assert {c["name"] for c in fake.state.commands[None]} >= {"predict", "augury", "help"}
    # Known to be cleared: the start after that does not ask again.
    mark = fake.mark()
    await flows.relaunch(bot_process)
    assert not fake.find_requests(
        "PUT", rf"^/applications/\d+/guilds/{guild}/commands$", after=mark
    )
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)


async def test_sync_clear_guild_on_the_command_line(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """For a server the database does not know (commands synced from another copy)."""
    guild = fake_discord.state.world.guild_id
    fake_discord.state.put_commands(guild, [{"name": "old", "description": "left over", "type": 1}])
    cli = BotProcess(
        fake_discord, tmp_path, args=["sync", "--clear-guild", guild], expect_sync=False
    )
    await cli.start()
    assert await cli.wait_exit(20) == 0, cli.log_text()
    assert fake_discord.state.commands[guild] == []
    assert re.search(rf"Server {guild}: this bot's server-only commands removed", cli.log_text())
