"""Members learn how they did (issue 11): the Resolve button (private, for who may use it), the
resolution post (best callers, one message, "How did I do?"), My vote after the close, vote
reasons, and result DMs queued and paced at 5,000 voters."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from bot.domain.actor import Actor
from bot.services.predictions.service import NewPrediction
from bot.services.voting.writer import VoteRequest, write_votes
from cogs.resolution.results import ResultSenderCog
from db.models import UserSettings
from tests.cogs.conftest import Harness, Reply
from tests.cogs.helpers import (
    custom_ids,
    guild,
    pinged,
    post_with_votes,
    prediction_message,
    uid,
)
from tests.fakediscord import payloads as p


def _button(reply: Reply, label: str) -> tuple[str, str]:
    [message] = reply.messages
    found = next(
        c for row in message["components"] for c in row["components"] if label in c["label"]
    )
    return message["id"], found["custom_id"]


async def test_resolve_button_offers_the_choice_privately_to_author_and_moderators(
    harness: Harness,
) -> None:
    """Resolve is not on the public message (every member would see it); the author and
    moderators find it under My vote's private answer. A member who may not resolve sees no
    Resolve there, and clicking one on an old message is refused privately."""
    h = harness
    info = await post_with_votes(h)
    resolve_id = f"augury:resolvemenu:{info.id}"
    public = prediction_message(h, info)
    assert resolve_id not in custom_ids(public)
    my_vote = f"augury:myvote:{info.id}"
    theirs = await h.run(h.fake.click(str(info.message_id), my_vote, user="bob"))
    assert theirs.ephemeral and "Resolve" not in theirs.text
    assert not theirs.messages[0].get("components")
    for manager in ("alice", "admin"):  # the author, and Manage Server
        mine = await h.run(h.fake.click(str(info.message_id), my_vote, user=manager))
        assert "You may resolve it: **Resolve** below." in mine.text
        assert _button(mine, "Resolve")[1] == resolve_id

    # A message posted before this change still carries Resolve: a non-author is told why.
    public["components"][0]["components"].append(
        {"type": 2, "style": 2, "label": "Resolve", "custom_id": resolve_id}
    )
    refused = await h.run(h.fake.click(str(info.message_id), resolve_id, user="bob"))
    assert refused.ephemeral and "Only the author of #1" in refused.text

    mine = await h.run(h.fake.click(str(info.message_id), my_vote, user="alice"))
    menu = await h.run(h.fake.click(*_button(mine, "Resolve"), user="alice"))
    assert menu.ephemeral and "How did #1 turn out?" in menu.text
    labels = [c["label"] for row in menu.messages[0]["components"] for c in row["components"]]
    assert labels == ["Resolve YES", "Resolve NO", "Resolve AMBIGUOUS", "Cancel"]
    cancelled = await h.run(h.fake.click(*_button(menu, "Cancel"), user="alice"))
    assert "nothing changed" in cancelled.text
    assert (await h.services.predictions.get(guild(h), 1)).status == "open"
    menu = await h.run(h.fake.click(*_button(mine, "Resolve"), user="alice"))
    done = await h.run(h.fake.click(*_button(menu, "Resolve YES"), user="alice"), settle=True)
    assert "Resolved #1 ✅ YES" in done.text
    after = await h.run(h.fake.click(str(info.message_id), my_vote, user="alice"))
    assert "Resolve" not in after.text  # resolved: nothing to resolve


async def test_resolution_post_names_best_callers_and_answers_each_member_privately(
    harness: Harness,
) -> None:
    h = harness
    # alice 70 %, bob 30 %, carol 40 %: on YES alice called it best, then carol, then bob.
    info = await post_with_votes(h)
    for who in ("bob", "carol"):  # the bot learns their display names from an interaction
        await h.run(h.fake.slash("help", user=who))
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes")))
    await h.settle()
    [post] = [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if (m.get("content") or "").startswith("**#1 resolved")
    ]
    content = post["content"]
    assert "Called it best: 🥇 **alice** 70% · 🥈 **carol** 40% · 🥉 **bob** 30%" in content
    assert pinged(post) == {uid(h, "bob"), uid(h, "carol")}  # followers only, names don't ping
    assert custom_ids(post) == [f"augury:howdid:{info.id}"]
    answer = await h.run(h.fake.click(post["id"], f"augury:howdid:{info.id}", user="bob"))
    assert answer.ephemeral
    assert "You said **30%**; the community said **40%**." in answer.text
    assert "Your Brier score here: **0.490**" in answer.text
    assert "worse than the community's 0.360" in answer.text
    assert "Overall: 1 scored forecast, mean Brier 0.490" in answer.text
    stranger = await h.run(h.fake.click(post["id"], f"augury:howdid:{info.id}", user="admin"))
    assert "You didn't vote on it" in stranger.text
    # My vote stays on the resolved message and now shows the score.
    assert custom_ids(prediction_message(h, info)) == [f"augury:myvote:{info.id}"]
    mine = await h.run(h.fake.click(str(info.message_id), f"augury:myvote:{info.id}", user="bob"))
    assert "Your Brier score on it: **0.490**" in mine.text


async def test_a_member_who_withdrew_is_told_the_forecast_they_are_scored_on(
    harness: Harness,
) -> None:
    """Issue 17: retracting does not dodge the score, and the member is told so."""
    h = harness
    info = await post_with_votes(h)
    h.clock.advance(days=1)
    await h.services.votes.retract(guild(h), info.id, uid(h, "bob"), "slash")
    h.clock.advance(minutes=1)
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes")))
    await h.settle()
    [post] = [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if (m.get("content") or "").startswith("**#1 resolved")
    ]
    answer = await h.run(h.fake.click(post["id"], f"augury:howdid:{info.id}", user="bob"))
    assert "You said **30%**, then withdrew it before the close" in answer.text
    assert "scored for the time it stood" in answer.text
    assert "Your Brier score here: **0.490**" in answer.text
    assert "the community said **55%**" in answer.text  # alice 70 % and carol 40 % at the end


async def test_my_vote_stays_after_voting_closes_while_vote_goes(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    h.clock.set(info.closes_at + timedelta(minutes=1))
    h.bot.public_messages.changed(info.id)
    await h.settle()
    ids = custom_ids(prediction_message(h, info))
    assert f"augury:vote:{info.id}" not in ids and f"augury:myvote:{info.id}" in ids
    mine = await h.run(h.fake.click(str(info.message_id), f"augury:myvote:{info.id}", user="bob"))
    assert "Your forecast on #1: **30%**" in mine.text and "Voting has closed." in mine.text


async def test_vote_form_shows_the_statement_and_keeps_and_posts_the_reason(
    harness: Harness,
) -> None:
    h = harness
    info = await post_with_votes(h, voters=())
    opened = await h.run(h.fake.click(str(info.message_id), f"augury:vote:{info.id}", user="bob"))
    assert opened.modal is not None and "**#1** · The bridge opens" in str(opened.modal)
    reason = "The contractor says so, ask @everyone <@1>"
    submitted = await h.run(
        h.fake.submit_modal({"probability": "80", "reason": reason}, user="bob")
    )
    assert "80%" in submitted.text and "Your reason is posted in the thread." in submitted.text
    await h.settle()
    [post] = [
        m for m in h.fake.messages_in(str(info.thread_id)) if "💬" in (m.get("content") or "")
    ]
    assert post["content"] == f"💬 **bob** (80%) on #1: {reason}"
    assert pinged(post) == set() and post["mention_everyone"] is False
    mine = await h.run(h.fake.click(str(info.message_id), f"augury:myvote:{info.id}", user="bob"))
    assert f"Your reason: {reason}" in mine.text
    too_long = await h.run(
        h.fake.slash(
            "vote",
            p.option("prediction", 1),
            p.option("probability", "60"),
            p.option("reason", "x" * 1001),
            user="carol",
        )
    )
    assert too_long.ephemeral and (await h.services.votes.community(info.id)).count == 2


async def test_result_dms_at_5000_voters_are_queued_paced_and_restart_safe(
    harness: Harness,
) -> None:
    """5,000 voters chose DMs: resolving opens no DM at once; each cycle sends a bounded
    batch; a new sender (a restart) continues where the last stopped, never twice."""
    h = harness
    gid = guild(h)
    info = await h.services.predictions.create(
        NewPrediction(gid, uid(h, "alice"), "Crowded", resolves="2027-06-30")
    )
    voters = [4_000_000_000_000_000 + i for i in range(5000)]
    async with h.services.ctx.sessions.begin() as session:
        await session.execute(
            insert(UserSettings), [{"user_id": v, "notify_where": "dm"} for v in voters]
        )
        requests = [VoteRequest(gid, info.id, v, 100 + v % 800, "slash") for v in voters]
        await write_votes(session, requests, h.clock.now())
    for v in voters:  # members of the fake's world, so their DMs open
        h.fake.state.world.users[str(v)] = {**h.fake.user("bob"), "id": str(v), "username": "v"}
    opened = len(h.fake.find_requests("POST", r"/users/@me/channels"))
    h.clock.advance(days=1)
    await h.settle()  # the bot's own sender has finished its cycle: only ours run below
    await h.services.resolution.resolve(gid, info.number, Actor(uid(h, "alice")), "yes")
    queued = await h.services.results.enqueue(info.id)
    assert queued == 5000 and await h.services.results.pending() == 5000
    assert len(h.fake.find_requests("POST", r"/users/@me/channels")) == opened  # none yet
    sender = ResultSenderCog(h.bot, batch=25)
    assert await sender.run_once() == 25
    assert await h.services.results.pending() == 4975
    restarted = ResultSenderCog(h.bot, batch=25)
    assert await restarted.run_once() == 25
    assert await h.services.results.pending() == 4950
    dms = h.fake.find_requests("POST", r"/users/@me/channels")[opened:]
    recipients = [r.json["recipient_id"] for r in dms]
    assert len(recipients) == 50 and len(set(recipients)) == 50  # never twice
    first = h.fake.messages_in(h.fake.dm_channel_id(str(recipients[0])))
    assert len(first) == 1 and first[0]["content"].startswith("🎯 **#1 resolved ✅ YES**")
    assert "Your Brier score here" in first[0]["content"]

    # A member who muted everything after the DMs were queued is skipped, not sent to.
    queued = await h.services.results.queued(1)
    muting = queued[0].user_id
    await h.services.notifications.update(muting, muted=True)
    before = len(h.fake.find_requests("POST", r"/users/@me/channels"))
    assert await ResultSenderCog(h.bot, batch=1).run_once() == 1  # handled: dropped
    assert len(h.fake.find_requests("POST", r"/users/@me/channels")) == before
    assert await h.services.results.pending() == 4949
