"""/resolve, the reminders' Resolve buttons and /predictions reopen, through real interactions.

What follows a resolution (the re-render, the announcement in the thread, the forum tag, the
archive) runs after the member's ephemeral answer, so tests wait for its visible effects on the
fake Discord (a condition, never a sleep).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

import pytest

from bot.services.core.dto import PredictionInfo
from tests.cogs.conftest import Harness
from tests.cogs.helpers import (
    PNG_SIGNATURE,
    custom_ids,
    guild,
    message_fields,
    pinged,
    post_with_votes,
    prediction_message,
    uid,
)
from tests.cogs.resolution.actions import (
    BLURPLE,
    GREEN,
    RED,
    WAIT,
    allowed_users,
    announced,
    announcements,
    confirm,
    make_moderators,
    reopen_payload,
    resolve,
)
from tests.fakediscord import payloads as p
from tests.fakediscord.payloads import JSON

if TYPE_CHECKING:
    from cogs.reminders.scheduler import RemindersCog


async def test_author_resolves_yes_message_goes_final_and_followers_are_told(
    harness: Harness,
) -> None:
    h = harness
    info = await post_with_votes(h)
    reply = await resolve(h, "yes", note="The council cut the ribbon", source="https://x.test/a")
    assert reply.ephemeral
    assert "Resolved #1 ✅ YES" in reply.text and "/predictions reopen" in reply.text

    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.status, stored.outcome) == ("resolved", "yes")
    assert stored.resolver_id == uid(h, "alice")
    assert stored.resolution_note == "The council cut the ribbon"

    message = await announced(h, info)
    bob, carol = uid(h, "bob"), uid(h, "carol")
    # The final message: outcome, resolver and note; no buttons left; green.
    final = prediction_message(h, info)
    embed = final["embeds"][0]
    assert embed["color"] == GREEN
    assert "✅ YES" in message_fields(final)["Status"]
    resolution = message_fields(final)["Resolution"]
    assert "✅ YES" in resolution and "by **alice**" in resolution  # a name, not a raw <@id>
    assert "> The council cut the ribbon" in resolution and "https://x.test/a" in resolution
    assert custom_ids(final) == [f"augury:myvote:{info.id}"]  # Vote, Follow, Resolve gone
    # The announcement: community forecast vs the outcome; pings the followers, not the resolver.
    content = message["content"]
    assert "**#1 resolved ✅ YES** by **alice**" in content
    assert "The community said **40%** (3 forecasters)" in content  # median of 30, 40, 70
    assert f"<@{bob}>" in content and f"<@{carol}>" in content
    assert allowed_users(message) == {bob, carol}
    assert pinged(message) == {bob, carol}
    # Three votes: the history chart is attached, as a real PNG.
    assert [a["filename"] for a in message["attachments"]] == ["history.png"]
    upload = h.fake.find_requests("POST", rf"channels/{info.thread_id}/messages$")[-1]
    assert [f.filename for f in upload.files] == ["history.png"]
    assert upload.files[0].data.startswith(PNG_SIGNATURE)


async def test_resolving_no_turns_the_message_red(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h, voters=("bob",))
    reply = await resolve(h, "no")
    assert reply.ephemeral and "Resolved #1 ❌ NO" in reply.text
    message = await announced(h, info)
    # Two votes (alice's and bob's) are enough for a history chart.
    assert [a["filename"] for a in message["attachments"]] == ["history.png"]
    assert allowed_users(message) == {uid(h, "bob")}
    final = prediction_message(h, info)
    assert final["embeds"][0]["color"] == RED
    assert "❌ NO" in message_fields(final)["Resolution"]
    assert custom_ids(final) == [f"augury:myvote:{info.id}"]


async def test_a_single_vote_gets_no_chart_and_ambiguous_says_not_scored(
    harness: Harness,
) -> None:
    h = harness
    info = await post_with_votes(h, voters=())
    await resolve(h, "ambiguous")
    message = await announced(h, info)
    assert "AMBIGUOUS" in message["content"] and "not scored" in message["content"]
    assert message["attachments"] == []
    # The author resolved and is the only follower: nobody is pinged.
    assert pinged(message) == set() and allowed_users(message) == set()


async def test_resolve_by_someone_else_is_refused_and_nothing_changes(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    before = prediction_message(h, info)
    thread_before = len(h.fake.messages_in(str(info.thread_id)))
    reply = await resolve(h, "yes", user="bob")
    assert reply.ephemeral and "Only the author of #1" in reply.text
    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.status, stored.outcome, stored.resolver_id) == ("open", None, None)
    await h.settle()
    assert prediction_message(h, info) == before and custom_ids(before)
    assert len(h.fake.messages_in(str(info.thread_id))) == thread_before


async def test_note_over_1000_characters_is_explained(harness: Harness) -> None:
    h = harness
    await post_with_votes(h)
    reply = await resolve(h, "yes", note="n" * 1001)
    assert reply.ephemeral and "1000" in reply.text and "note" in reply.text
    assert (await h.services.predictions.get(guild(h), 1)).status == "open"


async def test_resolving_twice_is_explained(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await resolve(h, "yes")
    await announced(h, info)
    again = await resolve(h, "no")
    assert again.ephemeral and "already resolved YES" in again.text
    assert (await h.services.predictions.get(guild(h), 1)).outcome == "yes"
    assert len(announcements(h, info)) == 1


# --- the Resolve buttons on a reminder ----------------------------------------------------------


async def reminder_with_buttons(h: Harness) -> tuple[PredictionInfo, JSON]:
    """A prediction due in 30 minutes; the scheduler's own cycle sleeps an hour, so the test's
    ``run_once`` is the only cycle that sees it due."""
    loaded = h.bot.get_cog("RemindersCog")
    # load_extension imports its own copy of the module, so compare by name, not class.
    assert loaded is not None and type(loaded).__name__ == "RemindersCog"
    cog = cast("RemindersCog", loaded)
    await h.settle()  # the scheduler's first cycle is over: it sleeps on the clock
    assert cog.completed_cycles >= 1, "scheduler never started"
    info = await post_with_votes(h, resolves="2026-11-27 12:30")
    h.clock.set(info.resolves_at + timedelta(minutes=1))
    assert await cog.run_once() == 1
    [reminder] = [m for m in h.fake.messages_in(str(info.thread_id)) if m.get("components")]
    assert custom_ids(reminder) == [
        f"augury:resolve:{info.id}:yes",
        f"augury:resolve:{info.id}:no",
        f"augury:resolve:{info.id}:ambiguous",
        f"augury:reminder:{info.id}:due:1:0",  # the delivery's marker (disabled)
    ]
    return info, reminder


async def test_reminder_buttons_refuse_others_and_let_a_moderator_resolve(
    harness: Harness,
) -> None:
    h = harness
    await make_moderators(h)
    info, reminder = await reminder_with_buttons(h)
    no_button = f"augury:resolve:{info.id}:no"

    refused = await h.run(h.fake.click(reminder["id"], no_button, user="bob"))
    assert refused.ephemeral and "Only the author of #1" in refused.text
    assert (await h.services.predictions.get(guild(h), 1)).status == "open"
    assert announcements(h, info) == []

    asked = await h.run(h.fake.click(reminder["id"], no_button, user="mod"))
    assert asked.ephemeral and asked.text == "Resolve #1 as ❌ NO?"
    assert (await h.services.predictions.get(guild(h), 1)).status == "open"  # not yet
    accepted = await confirm(h, asked, "mod")
    assert accepted.ephemeral and "Resolved #1 ❌ NO" in accepted.text
    # The answered question lost its buttons: it cannot be pressed twice.
    [question] = asked.messages
    question = h.fake.message(question["id"])
    assert question["content"] == "Resolve #1 as ❌ NO?" and not question.get("components")
    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.status, stored.outcome, stored.resolver_id) == ("resolved", "no", uid(h, "mod"))
    message = await announced(h, info)
    followers = {uid(h, "alice"), uid(h, "bob"), uid(h, "carol")}
    assert allowed_users(message) == followers and pinged(message) == followers
    assert prediction_message(h, info)["embeds"][0]["color"] == RED

    # A second press (a stale reminder) is explained, not announced twice.
    again = await h.run(h.fake.click(reminder["id"], f"augury:resolve:{info.id}:yes", user="mod"))
    again = await confirm(h, again, "mod")
    assert again.ephemeral and "already resolved NO" in again.text
    assert len(announcements(h, info)) == 1


@pytest.mark.parametrize(("who", "outcome"), [("alice", "yes"), ("admin", "ambiguous")])
async def test_reminder_buttons_work_for_the_author_and_manage_server(
    harness: Harness, who: str, outcome: str
) -> None:
    h = harness
    info, reminder = await reminder_with_buttons(h)  # no moderator role configured at all
    asked = await h.run(
        h.fake.click(reminder["id"], f"augury:resolve:{info.id}:{outcome}", user=who)
    )
    reply = await confirm(h, asked, who)
    assert reply.ephemeral and "Resolved #1" in reply.text
    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.outcome, stored.resolver_id) == (outcome, uid(h, who))
    await announced(h, info)


# --- forums and archiving -----------------------------------------------------------------------


@pytest.mark.fake_discord(forum_tags=["Open", "Yes", "No", "Ambiguous"])
async def test_forum_post_gets_the_outcome_tag(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id)
    )
    info = await post_with_votes(h)
    assert info.thread_id == info.channel_id  # a forum post: the thread is the channel
    forum = h.fake.channel(h.fake.forum_channel_id)
    tags = {t["name"]: t["id"] for t in forum["available_tags"]}
    assert h.fake.channel(str(info.thread_id))["applied_tags"] == [tags["Open"]]

    await resolve(h, "yes")
    await announced(h, info)
    await h.fake.wait_for(
        lambda: h.fake.channel(str(info.thread_id))["applied_tags"] == [tags["Yes"]],
        timeout=WAIT,
        message="the Yes tag was never applied",
    )
    thread = h.fake.channel(str(info.thread_id))
    assert thread["thread_metadata"]["archived"] is False  # archive_on_resolve is off
    assert prediction_message(h, info)["embeds"][0]["color"] == GREEN


async def test_archive_on_resolve_archives_after_the_announcement(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(guild(h), archive_on_resolve=True)
    info = await post_with_votes(h)
    start = h.fake.mark()
    await resolve(h, "no")
    await announced(h, info)
    await h.fake.wait_for(
        lambda: h.fake.channel(str(info.thread_id))["thread_metadata"]["archived"],
        timeout=WAIT,
        message="the thread was never archived",
    )
    [post] = h.fake.find_requests("POST", rf"channels/{info.thread_id}/messages$", after=start)
    [archive] = h.fake.find_requests("PATCH", rf"channels/{info.thread_id}$", after=start)
    assert archive.json.get("archived") is True
    assert post.index < archive.index


async def test_without_archive_on_resolve_the_thread_stays_open(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    start = h.fake.mark()
    await resolve(h, "yes")
    await announced(h, info)
    await h.settle()
    assert h.fake.find_requests("PATCH", rf"channels/{info.thread_id}$", after=start) == []
    assert h.fake.channel(str(info.thread_id))["thread_metadata"]["archived"] is False


# --- /predictions reopen ------------------------------------------------------------------------


async def test_reopen_puts_the_message_back_to_open_with_buttons(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await resolve(h, "yes")
    await announced(h, info)
    assert custom_ids(prediction_message(h, info)) == [f"augury:myvote:{info.id}"]

    await make_moderators(h)
    reply = await h.run(reopen_payload(h, user="mod", reason="The ribbon was cut on the 2nd"))
    assert reply.ephemeral and "Reopened #1" in reply.text
    # Announced in the thread as publicly as the resolution was, with why; nobody pinged.
    [post] = [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if "**#1 was reopened** by **mod**" in (m.get("content") or "")
    ]
    assert "Reason: “The ribbon was cut on the 2nd”" in post["content"]
    assert pinged(post) == set()
    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.status, stored.outcome, stored.resolver_id) == ("open", None, None)
    message = prediction_message(h, info)
    assert message["embeds"][0]["color"] == BLURPLE
    assert "Open for voting" in message_fields(message)["Status"]
    assert "Resolution" not in message_fields(message)
    assert custom_ids(message)  # the vote buttons are back
    # And it can be resolved again, differently.
    again = await resolve(h, "no")
    assert "Resolved #1 ❌ NO" in again.text
    assert (await h.services.predictions.get(guild(h), 1)).outcome == "no"


async def test_reopen_of_an_open_prediction_or_by_others_is_explained(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    reply = await h.run(reopen_payload(h))
    assert reply.ephemeral and "not resolved" in reply.text
    await resolve(h, "yes")
    await announced(h, info)
    refused = await h.run(reopen_payload(h, user="bob"))
    assert refused.ephemeral and "Only the author of #1" in refused.text
    assert (await h.services.predictions.get(guild(h), 1)).status == "resolved"


@pytest.mark.fake_discord(forum_tags=["Open", "Yes", "No", "Ambiguous"])
async def test_reopen_unarchives_the_post_and_puts_the_open_tag_back(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id), archive_on_resolve=True
    )
    info = await post_with_votes(h)
    tags = {t["name"]: t["id"] for t in h.fake.channel(h.fake.forum_channel_id)["available_tags"]}
    await resolve(h, "yes")
    await announced(h, info)
    await h.fake.wait_for(
        lambda: h.fake.channel(str(info.thread_id))["thread_metadata"]["archived"], timeout=WAIT
    )
    start = h.fake.mark()
    await make_moderators(h)
    reply = await h.run(reopen_payload(h, user="mod", reason="Premature"))
    assert "Reopened" in reply.text
    thread = h.fake.channel(str(info.thread_id))
    assert thread["thread_metadata"]["archived"] is False
    assert thread["applied_tags"] == [tags["Open"]]
    # The thread is unarchived before the message in it is edited back to open.
    [unarchive] = h.fake.find_requests("PATCH", rf"channels/{info.thread_id}$", after=start)
    edits = h.fake.find_requests("PATCH", rf"messages/{info.message_id}$", after=start)
    assert edits and unarchive.index < edits[0].index
    assert "Open for voting" in str(prediction_message(h, info)["embeds"][0])


async def test_a_resolver_never_seen_before_is_named_in_the_message_and_the_announcement(
    harness: Harness,
) -> None:
    """The name listener runs beside the command: a moderator's first act being a resolution
    must still be named, not shown as a raw mention."""
    h = harness
    info = await post_with_votes(h)
    await make_moderators(h)
    names = h.bot.get_cog("MemberNamesCog")
    assert names is not None
    await h.bot.remove_cog(names.qualified_name)
    reply = await resolve(h, "yes", user="mod")
    assert reply.ephemeral and "Resolved #1" in reply.text, reply.text
    message = await announced(h, info)
    assert "by **mod**" in message_fields(prediction_message(h, info))["Resolution"]
    assert "**#1 resolved ✅ YES** by **mod**" in message["content"]


async def test_a_reopener_never_seen_before_is_named_in_the_thread(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await resolve(h, "yes")
    await announced(h, info)
    await make_moderators(h)
    names = h.bot.get_cog("MemberNamesCog")
    assert names is not None
    await h.bot.remove_cog(names.qualified_name)
    reply = await h.run(reopen_payload(h, user="mod", reason="Premature"))
    assert "Reopened" in reply.text, reply.text
    notices = [
        m["content"]
        for m in h.fake.messages_in(str(info.thread_id))
        if "reopened" in m.get("content", "").lower()
    ]
    assert notices and "**mod**" in notices[-1], notices


async def test_a_moderator_never_seen_before_who_reopens_for_a_dispute_is_named(
    harness: Harness,
) -> None:
    h = harness
    info = await post_with_votes(h)
    await resolve(h, "no")
    await announced(h, info)
    dispute = h.fake.slash(
        "dispute",
        p.option("prediction", 1),
        p.option("reason", "The bell rang on the 2nd, not the 1st"),
        user="bob",
    )
    assert "is recorded" in (await h.run(dispute)).text
    await make_moderators(h)
    names = h.bot.get_cog("MemberNamesCog")
    assert names is not None
    await h.bot.remove_cog(names.qualified_name)
    settle = h.fake.slash(
        "augury",
        p.subcommand_group("dispute", p.subcommand("reopen", p.option("prediction", 1))),
        user="mod",
    )
    assert "Reopened #1" in (await h.run(settle)).text
    await h.settle()
    notices = [
        m["content"]
        for m in h.fake.messages_in(str(info.thread_id))
        if "was reopened" in m.get("content", "")
    ]
    assert notices and "by **mod**" in notices[-1], notices
