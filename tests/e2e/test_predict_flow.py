"""Creating predictions: ``/predict`` in a text channel, in a forum, and "Track as prediction"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import MessageFlag, ResponseType

pytestmark = pytest.mark.e2e

FORUM_TAGS = ["Open", "Yes", "No", "Ambiguous"]


def stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


async def test_predict_posts_message_thread_and_keycaps_and_echoes_the_date(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    due = datetime(2031, 6, 30, 23, 59, tzinfo=UTC)  # a date alone means the end of that day
    mark = fake.mark()

    posted = await flows.predict(fake, "The bridge opens before June", "2031-06-30")

    # The ephemeral reply: deferred privately, then says which date was understood.
    deferral = fake.find_requests("POST", r"/callback$", after=mark)[0]
    assert deferral.json == {
        "type": ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        "data": {"flags": MessageFlag.EPHEMERAL},
    }
    assert f"I understood the resolution date as {stamp(due)}" in posted.reply
    assert posted.number == 1
    answer = fake.find_requests("POST", r"^/webhooks/", after=mark)[0]
    assert int(answer.json["flags"]) & MessageFlag.EPHEMERAL

    # The public message in the channel: embed, buttons, nobody pinged.
    assert posted.channel_id == fake.text_channel_id
    message = fake.message(posted.message_id)
    assert message["author"]["id"] == fake.bot_id
    embed = flows.embed_of(message)
    assert embed["title"] == "#1 · The bridge opens before June"
    assert flows.field(embed, "Author") == "**alice**"  # the name the bot saw, not a raw <@id>
    assert stamp(due) in flows.field(embed, "Resolves")
    assert flows.forecast(message) == "No forecasts yet."
    pid = posted.prediction_id
    assert flows.custom_ids(message) == [
        f"augury:vote:{pid}",
        f"augury:myvote:{pid}",
        f"augury:follow:{pid}",
    ]  # no Resolve for everyone to see: the author finds it under My vote
    (post,) = fake.find_requests("POST", rf"^/channels/{fake.text_channel_id}/messages$")
    assert post.json["allowed_mentions"] == {"parse": []}

    # Its discussion thread, and the keycaps to vote with.
    assert posted.thread_id == posted.message_id
    thread = fake.channel(posted.message_id)
    assert thread["name"] == "#1 · The bridge opens before June"
    assert thread["parent_id"] == fake.text_channel_id
    assert flows.bot_reactions(message) == [flows.keycap(n) for n in flows.DEFAULT_KEYCAPS]

    # What the database remembers about where it lives.
    row = flows.prediction_row(bot_process.db_path, pid)
    assert (str(row["channel_id"]), str(row["message_id"]), str(row["thread_id"])) == (
        posted.channel_id,
        posted.message_id,
        posted.thread_id,
    )
    assert row["status"] == "open" and row["number"] == 1

    # A long statement: numbered next, the thread name cut visibly at Discord's 100.
    statement = "Within the decade, " + "the city council will approve the tram line " * 5
    second = await flows.predict(fake, statement.strip(), "in 3 months", user="bob")
    assert second.number == 2
    name = fake.channel(str(second.thread_id))["name"]
    assert len(name) <= 100 and name.startswith("#2 · Within the decade") and name.endswith("…")

    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)


@pytest.mark.fake_discord(forum_tags=FORUM_TAGS)
async def test_predict_in_the_forum_set_by_augury_channel(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    forum = fake.forum_channel_id
    await flows.launch(bot_process)

    set_channel = p.subcommand("channel", p.option("channel", forum, type=p.CHANNEL))
    reply = await flows.send(fake, fake.slash("augury", set_channel, user="admin"))
    assert reply.text == f"📌 New predictions will be posted in <#{forum}>."

    # Used in the text channel, the prediction goes to the forum as a tagged post.
    posted = await flows.predict(fake, "The library reopens", "in 3 months", user="carol")
    thread = fake.channel(posted.channel_id)
    assert thread["parent_id"] == forum
    assert thread["name"] == "#1 · The library reopens"
    open_tag = next(t["id"] for t in fake.channel(forum)["available_tags"] if t["name"] == "Open")
    assert thread["applied_tags"] == [open_tag]
    starter = fake.message(posted.message_id)
    assert starter["channel_id"] == thread["id"]
    assert flows.embed_of(starter)["title"] == "#1 · The library reopens"
    assert f"augury:vote:{posted.prediction_id}" in flows.custom_ids(starter)
    assert flows.bot_reactions(starter) == [flows.keycap(n) for n in flows.DEFAULT_KEYCAPS]
    assert "⚠️" not in posted.reply
    public = [
        m for m in fake.messages_in(fake.text_channel_id) if not m["flags"] & MessageFlag.EPHEMERAL
    ]
    assert public == []  # nothing public outside the forum

    row = flows.prediction_row(bot_process.db_path, posted.prediction_id)
    assert str(row["thread_id"]) == thread["id"] and str(row["message_id"]) == starter["id"]

    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)


async def test_track_as_prediction_prefills_the_modal_and_links_the_message(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    text = "The new bridge opens by 2031-03-01, mark my words"
    source = fake.user_message(text, user="bob")
    source_url = (
        f"https://discord.com/channels/{fake.guild_id}/{fake.text_channel_id}/{source['id']}"
    )

    menu = fake.message_command("Track as prediction", source["id"], user="bob")
    opened = await flows.send(fake, menu)
    assert opened.modal is not None and opened.modal["title"] == "Track as prediction"
    inputs = flows.modal_inputs(opened.modal)
    assert inputs["Statement"].get("value") == text
    assert inputs["Resolution date"].get("value") in ("2031-03-01", "by 2031-03-01")

    values = {component["custom_id"]: component.get("value") or "" for component in inputs.values()}
    record = fake.state.interactions[str(menu["id"])]
    reply = await flows.send(fake, fake.submit_modal(values, user="bob", record=record))
    due = datetime(2031, 3, 1, 23, 59, tzinfo=UTC)
    assert f"I understood the resolution date as {stamp(due)}" in reply.text

    posted = await flows.posted_from(fake, reply.text)
    embed = flows.embed_of(fake.message(posted.message_id))
    assert embed["title"] == f"#1 · {text}"
    assert flows.field(embed, "Author") == "**bob**"
    assert flows.field(embed, "Source") == f"[original message]({source_url})"
    row = flows.prediction_row(bot_process.db_path, posted.prediction_id)
    assert row["source_message_url"] == source_url
    assert row["author_id"] == int(fake.user_id("bob"))

    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
