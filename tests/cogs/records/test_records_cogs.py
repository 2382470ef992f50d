"""Tags, export and forget-me through real interactions against the fake Discord."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import timedelta
from typing import Any

import discord
import discord.webhook.async_
import pytest

from bot.services.records.readers import detect_and_parse
from cogs.records.export_command import EXPORT_PER, EXPORT_RATE
from tests.cogs.conftest import Harness, Reply
from tests.cogs.helpers import (
    button,
    guild,
    message_fields,
    post_with_votes,
    predict,
    prediction_message,
    uid,
)
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ResponseType
from tests.services.records.files import FATEBOOK


def sub(name: str, **options: Any) -> dict[str, Any]:
    return p.subcommand(name, *(p.option(k, v) for k, v in options.items()))


def attachment(h: Harness, reply: Reply) -> tuple[str, bytes]:
    """The file the bot uploaded in answer to ``reply``'s interaction."""
    uploads = [
        f
        for r in h.fake.find_requests("POST", rf"webhooks/.*/{reply.record.token}")
        for f in r.files
    ]
    assert len(uploads) == 1, uploads
    return uploads[0].filename, uploads[0].data


# --- tags ------------------------------------------------------------------------------------


async def test_predict_with_tags_and_list_by_tag(harness: Harness) -> None:
    h = harness
    reply = await predict(
        h,
        p.option("statement", "The bridge opens"),
        p.option("resolves", "2027-06-30"),
        p.option("tags", "Infrastructure,  City Hall"),
    )
    assert "Tagged `city hall`, `infrastructure`" in reply.text
    await predict(h, p.option("statement", "Untagged"), p.option("resolves", "2027-06-30"))
    await h.settle()
    info = await h.services.predictions.get(guild(h), 1)
    assert message_fields(h.fake.message(str(info.message_id)))["Tags"] == (
        "`city hall`, `infrastructure`"
    )
    listed = await h.run(h.fake.slash("predictions", sub("list", tag="city hall")))
    description = listed.embeds[0]["description"]
    assert "**#1**" in description and "#2" not in description
    assert listed.embeds[0]["title"] == "Predictions · tagged city hall"


async def test_bad_tags_are_refused_and_nothing_posted(harness: Harness) -> None:
    h = harness
    reply = await predict(
        h,
        p.option("statement", "Too many"),
        p.option("resolves", "2027-06-30"),
        p.option("tags", "a, b, c, d, e, f"),
    )
    assert reply.ephemeral and "at most 5 tags" in reply.text
    unknown = await h.run(h.fake.slash("predictions", sub("list", tag="nothing")))
    assert unknown.ephemeral and "No prediction in this server is tagged `nothing`" in unknown.text
    assert (await h.services.predictions.list_page(guild(h))).total == 0


async def test_tag_autocomplete_completes_the_last_tag(harness: Harness) -> None:
    h = harness
    await predict(
        h,
        p.option("statement", "S"),
        p.option("resolves", "2027-06-30"),
        p.option("tags", "climate, europe"),
    )
    payload = h.fake.autocomplete(
        "predict",
        p.option("statement", "New"),
        p.option("tags", "weather, CLI", focused=True),
    )
    reply = await h.run(payload)
    assert reply.choices is not None
    assert [c["value"] for c in reply.choices] == ["weather, climate"]
    listed = await h.run(
        h.fake.autocomplete(
            "predict",
            p.option("statement", "New"),
            p.option("tags", "Europe, climate, ", focused=True),
        )
    )
    assert listed.choices is not None  # a tag already in the list is not offered again
    assert [c["value"] for c in listed.choices] == []


async def test_edit_adds_and_removes_tags(harness: Harness) -> None:
    h = harness
    await predict(
        h, p.option("statement", "S"), p.option("resolves", "2027-06-30"), p.option("tags", "a")
    )
    reply = await h.run(
        h.fake.slash("predictions", sub("edit", prediction=1, add_tags="b, c", remove_tags="a"))
    )
    assert reply.ephemeral and "Tags now: b, c" in reply.text
    refused = await h.run(
        h.fake.slash("predictions", sub("edit", prediction=1, add_tags="x"), user="bob")
    )
    assert "Only the author of #1 or a moderator" in refused.text
    assert (await h.services.predictions.get(guild(h), 1)).tags == ("b", "c")


async def test_moderators_rename_and_merge_tags(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), moderator_role_id=int(h.fake.moderator_role_id)
    )
    for tags in ("climate", "weather"):
        await predict(
            h,
            p.option("statement", tags),
            p.option("resolves", "2027-06-30"),
            p.option("tags", tags),
        )

    def rename(old: str, new: str, user: str) -> dict[str, Any]:
        return h.fake.slash(
            "augury", p.subcommand_group("tags", sub("rename", old=old, new=new)), user=user
        )

    refused = await h.run(rename("weather", "climate", "alice"))
    assert "Only moderators" in refused.text
    merged = await h.run(rename("Weather", "climate", "mod"))
    assert merged.ephemeral and "Merged `weather` into `climate`: 2 predictions" in merged.text
    unknown = await h.run(rename("weather", "x", "mod"))
    assert "no tag `weather`" in unknown.text


async def test_stats_and_leaderboard_by_tag(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=1)
    await post_with_votes(h)
    await h.run(h.fake.slash("predictions", sub("edit", prediction=1, add_tags="bridges")))
    h.clock.advance(days=1)
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes")))
    await h.settle()
    stats = await h.run(h.fake.slash("stats", sub("member", tag="Bridges"), user="bob"))
    assert stats.embeds[0]["title"] == "Track record · bob · bridges"
    assert "1 resolved forecast" in stats.embeds[0]["description"]
    other = await h.run(h.fake.slash("stats", sub("member", tag="bridges"), user="alice"))
    assert "1 resolved forecast" in other.embeds[0]["description"]
    board = await h.run(h.fake.slash("leaderboard", p.option("tag", "bridges")))
    assert board.embeds[0]["title"].endswith("· tagged bridges")
    missing = await h.run(h.fake.slash("leaderboard", p.option("tag", "nope")))
    assert missing.ephemeral and "tagged `nope`" in missing.text


@pytest.mark.fake_discord(forum_tags=["Open", "Yes", "No", "Ambiguous", "Climate"])
async def test_forum_posts_carry_matching_forum_tags(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id)
    )
    await predict(
        h,
        p.option("statement", "Hot summer"),
        p.option("resolves", "2027-06-30"),
        p.option("tags", "climate, europe"),  # only climate exists in the forum
    )
    await h.settle()
    forum = h.fake.channel(h.fake.forum_channel_id)
    by_name = {t["name"]: t["id"] for t in forum["available_tags"]}
    thread = next(t for t in h.fake.threads() if t["parent_id"] == h.fake.forum_channel_id)
    assert set(thread["applied_tags"]) == {by_name["Open"], by_name["Climate"]}
    await h.run(h.fake.slash("predictions", sub("edit", prediction=1, remove_tags="climate")))
    await h.settle()
    thread = h.fake.channel(thread["id"])
    assert thread["applied_tags"] == [by_name["Open"]]
    await h.run(h.fake.slash("predictions", sub("edit", prediction=1, add_tags="Climate")))
    h.clock.advance(days=1)
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "no")))
    await h.settle()
    thread = h.fake.channel(thread["id"])
    assert set(thread["applied_tags"]) == {by_name["No"], by_name["Climate"]}


# --- export ----------------------------------------------------------------------------------


async def test_export_mine_as_csv(harness: Harness) -> None:
    h = harness
    await post_with_votes(h)
    reply = await h.run(h.fake.slash("predictions", sub("export"), user="bob"))
    assert reply.ephemeral and "your predictions and forecasts: 1 prediction, as CSV" in reply.text
    name, data = attachment(h, reply)
    assert name.startswith("augury-mine-") and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["forecaster"], r["probability"]) for r in rows] == [(str(uid(h, "bob")), "30%")]


async def test_export_server_is_for_moderators(harness: Harness) -> None:
    h = harness
    await post_with_votes(h)
    refused = await h.run(h.fake.slash("augury", sub("export", format="json"), user="bob"))
    assert refused.ephemeral and "Only moderators" in refused.text
    reply = await h.run(h.fake.slash("augury", sub("export", format="json"), user="admin"))
    assert reply.ephemeral
    _, data = attachment(h, reply)
    document = json.loads(data)
    assert len(document["predictions"][0]["vote_history"]) == 3


async def test_export_is_rate_limited_per_member(harness: Harness) -> None:
    """An export reads a whole record: a member repeating it is told when to try again."""
    h = harness
    await post_with_votes(h)
    for _ in range(EXPORT_RATE):
        allowed = await h.run(h.fake.slash("predictions", sub("export"), user="bob"))
        assert "Here is your predictions" in allowed.text
    refused = await h.run(h.fake.slash("predictions", sub("export"), user="bob"))
    assert refused.ephemeral and "try again in" in refused.text
    seconds = int(refused.text.split("try again in ")[1].split(" s")[0])
    assert 0 < seconds <= EXPORT_PER
    other = await h.run(h.fake.slash("predictions", sub("export"), user="carol"))
    assert "try again in" not in other.text
    h.clock.advance(timedelta(seconds=EXPORT_PER))
    again = await h.run(h.fake.slash("predictions", sub("export"), user="bob"))
    assert "Here is your predictions" in again.text


@pytest.mark.fake_discord(attachment_size_limit=4096)
async def test_export_too_large_says_to_use_the_command_line(harness: Harness) -> None:
    h = harness
    for n in range(20):
        await predict(
            h,
            p.option("statement", f"Statement {n} " + "x" * 200),
            p.option("resolves", "2027-06-30"),
        )
    payload = h.fake.slash("augury", sub("export"), user="admin")
    payload["attachment_size_limit"] = 4096  # what Discord says this server accepts
    reply = await h.run(payload)
    assert reply.ephemeral
    assert "larger than this server's upload limit" in reply.text
    assert f"python -m bot export --guild {guild(h)} --format csv" in reply.text
    assert h.fake.find_requests("POST", rf"webhooks/.*/{reply.record.token}")[0].files == []


async def test_discord_failing_the_upload_is_named_not_apologised_for(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 503 that outlasts discord.py's retries: the member reads that Discord is having
    trouble (not "something went wrong on my side"), and it is no error of ours in the log."""
    h = harness
    await post_with_votes(h)

    class NoWaits:  # discord.py's retry pauses (1 s, 3 s, ...) without the wait
        def __getattr__(self, name: str) -> object:
            return getattr(asyncio, name)

        async def sleep(self, _: float) -> None:
            await asyncio.sleep(0)

    monkeypatch.setattr(discord.webhook.async_, "asyncio", NoWaits())  # follow-ups retry here
    h.fake.fail("POST", r"^/webhooks/\d+/[^/]+$", 503, times=5)  # each of the tries
    reply = await h.run(h.fake.slash("predictions", sub("export"), user="bob"))
    assert reply.ephemeral and "Discord is having trouble (it answered 503)" in reply.text


# --- forget-me -------------------------------------------------------------------------------


async def test_forget_me_after_confirmation(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    ask = await h.run(h.fake.slash("privacy", p.subcommand("forget-me"), user="bob"))
    assert ask.ephemeral and "have a forecast on 1 prediction" in ask.text
    message_id = ask.record.original_id
    assert message_id is not None
    confirm = button(h, message_id, "Forget me")["custom_id"]
    done = await h.run(h.fake.click(message_id, confirm, user="bob"))
    assert done.record.response_type == ResponseType.UPDATE_MESSAGE
    await h.settle()
    said = h.fake.message(message_id)["content"]
    assert "Your identity is gone from 1 server:" in said
    assert "Your forecast on 1 prediction still open for voting is withdrawn" in said
    assert h.fake.message(message_id)["components"] == []
    community = (await h.services.predictions.get(guild(h), info.number)).community
    assert community.count == 2  # voting is open: bob's forecast no longer counts
    assert "2 forecasters" in str(prediction_message(h, info)["embeds"][0])  # redrawn
    mine = await h.services.votes.my_vote(guild(h), info.id, uid(h, "bob"))
    assert mine.current is None and mine.history == () and not mine.following


async def test_forget_me_cancel_changes_nothing(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    ask = await h.run(h.fake.slash("privacy", p.subcommand("forget-me"), user="bob"))
    message_id = ask.record.original_id
    assert message_id is not None
    cancel = button(h, message_id, "Cancel")["custom_id"]
    await h.run(h.fake.click(message_id, cancel, user="bob"))
    assert "Nothing was changed" in h.fake.message(message_id)["content"]
    mine = await h.services.votes.my_vote(guild(h), info.id, uid(h, "bob"))
    assert mine.current == 300


async def test_forget_me_without_a_record_says_so(harness: Harness) -> None:
    h = harness
    ask = await h.run(h.fake.slash("privacy", p.subcommand("forget-me"), user="carol"))
    assert "authored 0 predictions and have a forecast on 0 predictions" in ask.text
    message_id = ask.record.original_id
    assert message_id is not None
    confirm = button(h, message_id, "Forget me")["custom_id"]
    await h.run(h.fake.click(message_id, confirm, user="carol"))
    await h.settle()
    assert "had no record of you" in h.fake.message(message_id)["content"]


# --- linking an outside forecaster -----------------------------------------------------------


def link(h: Harness, name: str, member: str, user: str) -> dict[str, Any]:
    command = p.subcommand(
        "link-forecaster",
        p.option("name", name),
        p.option("member", str(uid(h, member)), type=p.USER),
    )
    return h.fake.slash("augury", command, user=user)


async def test_a_moderator_links_an_imported_name_to_a_member(harness: Harness) -> None:
    h = harness
    await h.services.records_import.apply(guild(h), detect_and_parse(FATEBOOK, "f.csv"))
    asked = await h.run(
        h.fake.autocomplete(
            "augury",
            p.subcommand("link-forecaster", p.option("name", "hop", focused=True)),
        )
    )
    assert asked.choices is not None
    assert [c["value"] for c in asked.choices] == ["Grace Hopper"]

    refused = await h.run(link(h, "Grace Hopper", "bob", user="bob"))
    assert refused.ephemeral and "Only moderators" in refused.text

    done = await h.run(link(h, "Grace Hopper", "bob", user="admin"))
    assert done.ephemeral
    assert f"“Grace Hopper” is now <@{uid(h, 'bob')}>: 2 forecasts on 2 predictions" in done.text
    assert "1 resolved prediction was scored again" in done.text
    assert done.messages[-1]["_fake_allowed_mentions"] == {"parse": []}  # named, not pinged

    again = await h.run(link(h, "Grace Hopper", "carol", user="admin"))
    assert again.ephemeral and f"already linked to <@{uid(h, 'bob')}>" in again.text
