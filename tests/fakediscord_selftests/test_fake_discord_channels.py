"""Channels through the fake: forum posts and tags, threads, DMs, files, resume, errors."""

from __future__ import annotations

import io

import aiohttp
import discord
import pytest
from discord.http import Route

from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import caught_up
from tests.fakediscord_selftests.minibot import MiniBot

pytestmark = pytest.mark.fakediscord_selftest


def text_channel(fake: FakeDiscord, bot: MiniBot) -> discord.TextChannel:
    channel = bot.get_channel(int(fake.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    return channel


@pytest.mark.fake_discord(forum_tags=["Science"], forum_requires_tag=True)
async def test_forum_post_tags_and_archive(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    fake, bot = fake_discord, minibot
    forum = bot.get_channel(int(fake.forum_channel_id))
    assert isinstance(forum, discord.ForumChannel)
    (science,) = forum.available_tags

    post = await forum.create_thread(
        name="Will fusion break even by 2030?", content="Details", applied_tags=[science]
    )

    stored = fake.channel(str(post.thread.id))
    assert stored["parent_id"] == fake.forum_channel_id
    assert stored["applied_tags"] == [str(science.id)]
    assert post.message.id == post.thread.id  # a forum post's starter message id
    assert fake.message(str(post.message.id))["content"] == "Details"
    await caught_up(fake, bot)
    assert forum.guild.get_thread(post.thread.id) is not None  # THREAD_CREATE was read

    await post.thread.edit(archived=True)
    assert fake.channel(str(post.thread.id))["thread_metadata"]["archived"] is True

    await forum.edit(available_tags=[science, discord.ForumTag(name="Resolved")])
    names = [t["name"] for t in fake.channel(fake.forum_channel_id)["available_tags"]]
    assert names == ["Science", "Resolved"]

    with pytest.raises(discord.HTTPException) as untagged:
        await forum.create_thread(name="No tag", content="x")
    assert untagged.value.code == 40067
    with pytest.raises(discord.HTTPException) as long_name:
        await forum.create_thread(name="x" * 101, content="x", applied_tags=[science])
    assert long_name.value.code == 50035
    assert [v.code for v in fake.violations] == ["40067", "BASE_TYPE_BAD_LENGTH"]


async def test_thread_on_a_message_unarchives_when_posted_to(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    message = await text_channel(fake_discord, minibot).send("Prediction #1")
    thread = await message.create_thread(name="#1 discussion")
    assert thread.id == message.id
    await thread.edit(archived=True)

    await thread.send("Reminder: #1 resolves today")

    stored = fake_discord.channel(str(thread.id))
    assert stored["thread_metadata"]["archived"] is False
    assert [m["content"] for m in fake_discord.messages_in(str(thread.id))] == [
        "Reminder: #1 resolves today"
    ]


async def test_direct_messages(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    alice = minibot.get_user(int(fake_discord.user_id("alice")))
    assert alice is not None
    await alice.send("Your prediction resolves today")
    dm = await fake_discord.wait_for_request(method="POST", path=r"^/users/@me/channels$")
    assert dm.json == {"recipient_id": int(fake_discord.user_id("alice"))}
    assert (
        fake_discord.messages_in(dm.response["id"])[0]["content"]
        == "Your prediction resolves today"
    )

    fake_discord.close_dms("bob")
    bob = minibot.get_user(int(fake_discord.user_id("bob")))
    assert bob is not None
    with pytest.raises(discord.Forbidden) as raised:
        await bob.send("hello")
    assert raised.value.code == 50007


async def test_files_go_multipart_and_become_attachments(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    embed = discord.Embed(title="Calibration").set_image(url="attachment://chart.png")
    chart = discord.File(io.BytesIO(b"\x89PNG fake"), filename="chart.png")

    message = await text_channel(fake_discord, minibot).send(embed=embed, file=chart)

    request = fake_discord.find_requests("POST", r"/messages$")[-1]
    assert request.json["embeds"][0]["title"] == "Calibration"
    assert [(f.filename, f.data) for f in request.files] == [("chart.png", b"\x89PNG fake")]
    assert message.attachments[0].filename == "chart.png"
    assert message.attachments[0].content_type == "image/png"


async def test_reactions_by_the_bot_are_kept(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    message = await text_channel(fake_discord, minibot).send("Vote with keycaps")
    for emoji in ("1\N{COMBINING ENCLOSING KEYCAP}", "\N{THUMBS UP SIGN}"):
        await message.add_reaction(emoji)
    await message.remove_reaction("\N{THUMBS UP SIGN}", minibot.user)  # type: ignore[arg-type]

    stored = fake_discord.message(str(message.id))
    assert [(r["emoji"]["name"], r["count"], r["me"]) for r in stored["reactions"]] == [
        ("1\N{COMBINING ENCLOSING KEYCAP}", 1, True)
    ]
    with pytest.raises(discord.HTTPException) as raised:
        await message.add_reaction("thumbsup")
    assert raised.value.code == 10014


async def test_resume_after_the_connection_drops(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    await fake_discord.drop_connections()
    await fake_discord.wait_for(lambda: any(f.op == 6 for f in fake_discord.gateway_frames))
    assert fake_discord.gateway.connections[-1].startswith("/gateway-resume")

    message = fake_discord.user_message("still there?")
    await fake_discord.dispatch(
        "MESSAGE_REACTION_ADD", fake_discord.reaction_add(message["id"], "👍")
    )
    await fake_discord.wait_for(lambda: minibot.raw_reactions)
    assert len(fake_discord.identifies()) == 1


async def test_not_found_fault_and_unknown_routes(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    message = await text_channel(fake_discord, minibot).send("fetch me")
    fake_discord.fail("GET", r"/messages/\d+$", 404)
    with pytest.raises(discord.NotFound) as raised:
        await text_channel(fake_discord, minibot).fetch_message(message.id)
    assert raised.value.code == 10008

    with pytest.raises(discord.NotFound):
        await minibot.http.request(Route("GET", "/nothing/here"))
    assert [v.code for v in fake_discord.violations] == ["FAKE_UNHANDLED_ROUTE"]


async def test_json_content_type_is_exact(fake_discord: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.get(fake_discord.api_base + "/users/@me", headers=headers) as response:
            assert response.headers["Content-Type"] == "application/json"
            assert (await response.json())["id"] == fake_discord.bot_id
        async with session.get(fake_discord.api_base + "/users/@me") as response:
            assert response.status == 401
    assert [v.code for v in fake_discord.violations] == ["401"]


async def test_nonce_dedupes_only_within_the_window(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    """Discord returns the first message for a repeated enforce_nonce send for a few minutes,
    and creates a new one after that."""
    fake, bot = fake_discord, minibot
    channel = text_channel(fake, bot)
    now = 1000.0
    fake.state.clock = lambda: now

    first = await channel.send("once", nonce="rm1d1.0")
    now += 60
    again = await channel.send("once", nonce="rm1d1.0")
    assert again.id == first.id and len(fake.messages_in(fake.text_channel_id)) == 1
    other = await channel.send("other", nonce="rm1d1.1")
    assert other.id != first.id

    now += fake.state.nonce_window  # past Discord's window: the same nonce posts again
    late = await channel.send("once", nonce="rm1d1.0")
    assert late.id != first.id
    assert [m["content"] for m in fake.messages_in(fake.text_channel_id)] == [
        "once",
        "other",
        "once",
    ]
    assert len(fake.state.nonces) == 1  # what fell out of the window is forgotten


async def test_editing_a_message_in_an_archived_thread_fails_with_50083(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    fake, bot = fake_discord, minibot
    forum = bot.get_channel(int(fake.forum_channel_id))
    assert isinstance(forum, discord.ForumChannel)
    post = await forum.create_thread(name="A week later", content="Details")
    await post.thread.edit(archived=True)
    with pytest.raises(discord.HTTPException) as archived:
        await post.message.edit(content="Edited")
    assert archived.value.code == 50083
    assert fake.message(str(post.message.id))["content"] == "Details"
    await post.thread.edit(archived=False)
    await post.message.edit(content="Edited")
    assert fake.message(str(post.message.id))["content"] == "Edited"
