"""/predict and "Track as prediction", driven through real interactions."""

from __future__ import annotations

import pytest

from tests.cogs.conftest import Harness
from tests.cogs.helpers import embed_fields, guild, predict, track
from tests.fakediscord import payloads as p


async def test_predict_posts_publicly_and_echoes_the_date(harness: Harness) -> None:
    h = harness
    reply = await predict(
        h,
        p.option("statement", "The @everyone bridge opens"),
        p.option("resolves", "2027-06-30"),
        p.option("probability", "70%"),
        p.option("details", "Per the city council <@&1>"),
    )
    assert reply.ephemeral
    assert "Posted prediction **#1**" in reply.text
    assert "I understood the resolution date as <t:1814399940:F>" in reply.text
    posted = [m for m in h.fake.messages_in(h.fake.text_channel_id) if m.get("embeds")]
    assert len(posted) == 1
    embed = posted[0]["embeds"][0]
    assert embed["title"] == "#1 · The @everyone bridge opens"
    fields = embed_fields(embed)
    assert fields["Author"] == "**alice**"  # the name the bot saw, never a raw <@id>
    assert "<t:1814399940:F>" in fields["Resolves"]
    assert "70%" in fields["Community forecast"]
    # User text never pings: the public message allows no mentions at all.
    create = h.fake.find_requests("POST", rf"channels/{h.fake.text_channel_id}/messages$")[-1]
    assert create.json["allowed_mentions"]["parse"] == []
    thread = h.fake.threads()[0]
    assert thread["name"] == "#1 · The @everyone bridge opens"
    info = await h.services.predictions.get(guild(h), 1)
    assert info.message_id == int(posted[0]["id"]) and info.thread_id == int(thread["id"])


async def test_predict_uses_the_server_channel_and_adds_keycaps(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.general_channel_id)
    )
    await predict(h, p.option("statement", "It rains"), p.option("resolves", "tomorrow"))
    await h.settle()
    [posted] = [m for m in h.fake.messages_in(h.fake.general_channel_id) if m.get("embeds")]
    reactions = h.fake.find_requests("PUT", rf"messages/{posted['id']}/reactions/.*/@me")
    assert [r.path.split("/")[-2] for r in reactions] == ["1️⃣", "3️⃣", "5️⃣", "7️⃣", "9️⃣"]


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"resolves": "yesterday"}, "future"),
        ({"resolves": "asdf"}, "resolution date"),
        ({"resolves": "2027-02-30"}, "resolution date"),
        ({"resolves": "in 500 years"}, "100 years"),
        ({"closes": "2028-01-01"}, "close no later"),
        ({"statement": "x" * 300}, "256"),
        ({"statement": "   "}, "empty"),
        ({"probability": "150"}, "between 1 and 99"),
        ({"probability": "nan"}, "between 1 and 99"),
    ],
)
async def test_bad_input_gets_an_ephemeral_explanation_and_nothing_is_posted(
    harness: Harness, options: dict[str, str], fragment: str
) -> None:
    h = harness
    given = {"statement": "A fine statement", "resolves": "2027-06-30", **options}
    reply = await predict(h, *(p.option(k, v) for k, v in given.items()))
    assert reply.ephemeral and fragment.lower() in reply.text.lower()
    assert not [m for m in h.fake.messages_in(h.fake.text_channel_id) if m.get("embeds")]
    page = await h.services.predictions.list_page(guild(h))
    assert page.total == 0


@pytest.mark.fake_discord(forum_tags=["Open", "Yes", "No", "Ambiguous"])
async def test_forum_channel_gets_a_tagged_post(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id)
    )
    reply = await predict(h, p.option("statement", "Forum bet"), p.option("resolves", "2027-01-01"))
    assert "Posted prediction **#1**" in reply.text
    thread = next(t for t in h.fake.threads() if t["parent_id"] == h.fake.forum_channel_id)
    forum = h.fake.channel(h.fake.forum_channel_id)
    open_tag = next(t for t in forum["available_tags"] if t["name"] == "Open")
    assert thread["applied_tags"] == [open_tag["id"]]
    starter = h.fake.message(thread["id"])
    assert starter["embeds"][0]["title"] == "#1 · Forum bet"


@pytest.mark.fake_discord(forum_tags=["Open", "Yes", "No", "Ambiguous", "climate"])
async def test_a_cancelled_forum_post_is_no_longer_tagged_open(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id)
    )
    await predict(
        h,
        p.option("statement", "Forum bet"),
        p.option("resolves", "2027-01-01"),
        p.option("tags", "climate"),
    )
    reply = await h.run(
        h.fake.slash("predictions", p.subcommand("cancel", p.option("prediction", 1)))
    )
    assert reply.ephemeral and "Cancelled #1" in reply.text
    thread = next(t for t in h.fake.threads() if t["parent_id"] == h.fake.forum_channel_id)
    forum = h.fake.channel(h.fake.forum_channel_id)
    names = {t["id"]: t["name"] for t in forum["available_tags"]}
    assert [names[t] for t in thread["applied_tags"]] == ["climate"]  # the topic stays


async def test_forum_without_tags_or_permission_posts_untagged_and_says_why(
    harness: Harness,
) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id)
    )
    reply = await predict(h, p.option("statement", "Forum bet"), p.option("resolves", "2027-01-01"))
    assert "Posted prediction **#1**" in reply.text and "Manage Channels" in reply.text
    thread = next(t for t in h.fake.threads() if t["parent_id"] == h.fake.forum_channel_id)
    assert thread["applied_tags"] == []


async def test_missing_thread_permission_is_reported_but_prediction_works(
    harness: Harness,
) -> None:
    h = harness
    h.fake.fail("POST", r"channels/\d+/messages/\d+/threads", 403)
    reply = await predict(h, p.option("statement", "No thread"), p.option("resolves", "2027-01-01"))
    assert "Posted prediction **#1**" in reply.text
    assert "Create Public Threads" in reply.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.message_id is not None and info.thread_id is None


async def test_cannot_post_in_channel_undoes_the_creation(harness: Harness) -> None:
    h = harness
    h.fake.fail("POST", rf"channels/{h.fake.text_channel_id}/messages$", 403)
    reply = await predict(h, p.option("statement", "Hidden"), p.option("resolves", "2027-01-01"))
    assert reply.ephemeral and "Send Messages" in reply.text
    assert (await h.services.predictions.list_page(guild(h))).total == 0


@pytest.mark.parametrize(
    ("status", "code", "says"),
    [
        (404, 10003, "I can't find the channel"),  # deleted meanwhile
        (400, 50035, "Discord did not take the post (it answered 400)"),
    ],
)
async def test_a_post_discord_refuses_says_why_and_keeps_the_text(
    harness: Harness, status: int, code: int, says: str
) -> None:
    h = harness
    h.fake.fail("POST", rf"channels/{h.fake.text_channel_id}/messages$", status, code=code)
    reply = await predict(h, p.option("statement", "Kept"), p.option("resolves", "2027-01-01"))
    assert reply.ephemeral and says in reply.text
    assert "Your text is kept" in reply.text and "> Kept" in reply.text  # and the form button
    assert (await h.services.predictions.list_page(guild(h))).total == 0


async def test_direct_message_gets_a_clear_answer(harness: Harness) -> None:
    h = harness
    payload = h.fake.slash(
        "predict",
        p.option("statement", "x"),
        p.option("resolves", "tomorrow"),
        channel_id=h.fake.dm_channel_id("alice"),
    )
    reply = await h.run(payload)
    assert "inside servers only" in reply.text


async def test_track_as_prediction_prefills_the_modal_and_links_back(harness: Harness) -> None:
    h = harness
    message = h.fake.user_message("The new stadium opens by June 30, 2027, mark my words")
    reply = await track(h, message["id"])
    assert reply.modal is not None
    values = {
        c["custom_id"]: c.get("value")
        for row in reply.modal["components"]
        for c in ([row["component"]] if "component" in row else row["components"])
    }
    statement_id, resolves_id = list(values)[:2]
    assert values[statement_id] == "The new stadium opens by June 30, 2027, mark my words"
    assert "June 30, 2027" in (values[resolves_id] or "")
    submitted = await h.run(
        h.fake.submit_modal({statement_id: "The stadium opens", resolves_id: "June 30, 2027"})
    )
    assert "Posted prediction **#1**" in submitted.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.source_message_url is not None
    assert info.source_message_url.endswith(f"/{message['channel_id']}/{message['id']}")


async def test_track_as_prediction_without_a_date_leaves_a_hint(harness: Harness) -> None:
    h = harness
    message = h.fake.user_message("I just think it will happen")
    reply = await track(h, message["id"])
    assert reply.modal is not None
    inputs = [
        c
        for row in reply.modal["components"]
        for c in ([row["component"]] if "component" in row else row["components"])
    ]
    assert not inputs[1].get("value")
    assert "No date found" in inputs[1]["placeholder"]


async def test_tracking_a_prediction_message_points_to_the_prediction(harness: Harness) -> None:
    h = harness
    await predict(h, p.option("statement", "Already here"), p.option("resolves", "2027-01-01"))
    info = await h.services.predictions.get(guild(h), 1)
    assert info.message_id is not None
    reply = await h.run(h.fake.message_command("Track as prediction", str(info.message_id)))
    assert reply.modal is None and reply.ephemeral
    assert "That message is prediction #1 already" in reply.text
    assert (await h.services.predictions.list_page(guild(h))).total == 1


async def test_a_first_prediction_shows_its_author_by_name_without_the_name_listener(
    harness: Harness,
) -> None:
    """The name listener runs beside the command, not before it: the author's first public
    message must not depend on which finishes first (it once showed no name, now and then)."""
    h = harness
    names = h.bot.get_cog("MemberNamesCog")
    assert names is not None
    await h.bot.remove_cog(names.qualified_name)
    await predict(h, p.option("statement", "It rains"), p.option("resolves", "tomorrow"))
    [posted] = [m for m in h.fake.messages_in(h.fake.text_channel_id) if m.get("embeds")]
    assert embed_fields(posted["embeds"][0])["Author"] == "**alice**"
