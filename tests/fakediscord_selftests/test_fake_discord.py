"""The fake Discord runs the real discord.py: login, cache, commands, views, limits, faults."""

from __future__ import annotations

import discord
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ResponseType
from tests.fakediscord_selftests.minibot import MiniBot

pytestmark = pytest.mark.fakediscord_selftest


async def test_logs_in_and_caches_the_guild(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    guild = minibot.get_guild(int(fake_discord.guild_id))
    assert guild is not None and guild.chunked
    assert isinstance(guild.get_channel(int(fake_discord.text_channel_id)), discord.TextChannel)
    assert isinstance(guild.get_channel(int(fake_discord.forum_channel_id)), discord.ForumChannel)
    moderators = guild.get_role(int(fake_discord.moderator_role_id))
    assert moderators is not None and moderators.name == "Moderators"
    alice = guild.get_member(int(fake_discord.user_id("alice")))
    assert alice is not None and alice.name == "alice"
    assert guild.me.id == int(fake_discord.bot_id)
    assert guild.default_role.permissions.send_messages
    assert not guild.default_role.permissions.manage_guild
    # Only the bot's member came in GUILD_CREATE; the rest arrived by a chunk request (op 8).
    assert [f.op for f in fake_discord.gateway_frames].count(8) == 1
    # discord.py asked for a compressed stream and still read our plain text frames.
    assert "compress=" in fake_discord.gateway.connections[0]
    assert fake_discord.violations == []


async def test_slash_command_with_view_and_followup(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    sync = fake_discord.find_requests("PUT", r"/guilds/\d+/commands$")
    assert [c["name"] for c in sync[0].json] == [
        "ping",
        "ask",
        "slow",
        "prediction",
        "Track as prediction",
    ]

    await fake_discord.dispatch(
        "INTERACTION_CREATE", fake_discord.slash("ping", p.option("text", "hi"))
    )

    callback = await fake_discord.wait_for_request(method="POST", path=r"/callback$")
    assert callback.status == 200
    assert callback.json["type"] == ResponseType.CHANNEL_MESSAGE_WITH_SOURCE
    assert callback.json["data"]["content"] == "pong hi"
    original = fake_discord.message(callback.response["interaction"]["response_message_id"])
    assert original["components"][0]["components"][0]["custom_id"] == "ping:again"
    followup = await fake_discord.wait_for_request(method="POST", path=r"^/webhooks/\d+/")
    assert followup.response["content"] == "followed up"

    mark = fake_discord.mark()
    await fake_discord.dispatch(
        "INTERACTION_CREATE", fake_discord.click(original["id"], "ping:again", user="bob")
    )
    update = await fake_discord.wait_for_request(method="POST", path=r"/callback$", after=mark)
    assert update.json["type"] == ResponseType.UPDATE_MESSAGE
    assert fake_discord.message(original["id"])["content"] == "pong again"
    assert fake_discord.message(original["id"])["components"] == []
    assert minibot.ping_view.clicked_by == [int(fake_discord.user_id("bob"))]
    assert fake_discord.violations == []


async def test_raw_reaction_add_reaches_the_client(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    message = fake_discord.user_message("I predict rain")
    await fake_discord.dispatch(
        "MESSAGE_REACTION_ADD", fake_discord.reaction_add(message["id"], "👍")
    )

    await fake_discord.wait_for(lambda: minibot.raw_reactions)
    (event,) = minibot.raw_reactions
    assert event.event_type == "REACTION_ADD"
    assert event.message_id == int(message["id"])
    assert str(event.emoji) == "👍"
    assert event.member is not None and event.member.name == "alice"


async def test_an_over_long_embed_title_is_refused(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    channel = minibot.get_channel(int(fake_discord.text_channel_id))
    assert isinstance(channel, discord.TextChannel)

    with pytest.raises(discord.HTTPException) as raised:
        await channel.send(embed=discord.Embed(title="x" * 257))

    assert raised.value.status == 400 and raised.value.code == 50035
    assert "embeds.0.title" in str(raised.value)
    assert [(v.field, v.code) for v in fake_discord.violations] == [
        ("embeds.0.title", "BASE_TYPE_MAX_LENGTH")
    ]


async def test_a_rate_limit_is_retried(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    channel = minibot.get_channel(int(fake_discord.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    fake_discord.fail("POST", r"^/channels/\d+/messages$", 429, retry_after=0.05)

    message = await channel.send("after the storm")

    attempts = fake_discord.find_requests("POST", r"^/channels/\d+/messages$")
    assert [r.status for r in attempts] == [429, 200]
    assert fake_discord.message(str(message.id))["content"] == "after the storm"


async def test_missing_permissions_on_thread_creation(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    channel = minibot.get_channel(int(fake_discord.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("discuss")
    fake_discord.fail("POST", r"/messages/\d+/threads$", 403)

    with pytest.raises(discord.Forbidden) as raised:
        await message.create_thread(name="Discussion")

    assert raised.value.code == 50013
    assert fake_discord.threads() == []
