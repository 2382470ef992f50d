"""Issue 17 through real interactions: the reopen rule and its reason, no second ping for the
same outcome, and member names that cannot inject markdown or mentions."""

from __future__ import annotations

import re

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, pinged, post_with_votes, uid
from tests.cogs.resolution.actions import (
    WAIT,
    allowed_users,
    announced,
    announcements,
    make_moderators,
    reopen_payload,
    resolve,
)
from tests.fakediscord import payloads as p
from tests.fakediscord.payloads import JSON

EVIL_NAME = "[Claim prize](https://evil.example)"
#: A masked link Discord would render: ``[text](url)`` whose ``[`` is not escaped.
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(https?://")


def history_payload(h: Harness) -> JSON:
    return h.fake.slash("predictions", p.subcommand("history", p.option("prediction", 1)))


async def test_author_reopen_after_others_voted_is_refused_and_explained(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await resolve(h, "no")
    await announced(h, info)
    for reason in (None, "I misread it"):
        refused = await h.run(reopen_payload(h, reason=reason))
        assert refused.ephemeral
        assert "only a moderator" in refused.text and "reason" in refused.text
    stored = await h.services.predictions.get(guild(h), 1)
    assert (stored.status, stored.outcome) == ("resolved", "no")
    assert len(await h.services.predictions.edits(guild(h), 1)) == 1  # the resolution only


async def test_moderator_reopen_without_a_reason_is_refused(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await make_moderators(h)
    await resolve(h, "no")
    await announced(h, info)
    refused = await h.run(reopen_payload(h, user="mod"))
    assert refused.ephemeral and "give a `reason`" in refused.text
    assert (await h.services.predictions.get(guild(h), 1)).status == "resolved"


async def test_the_history_shows_who_reopened_and_why(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await make_moderators(h)
    await resolve(h, "no")
    await announced(h, info)
    await h.run(reopen_payload(h, user="mod", reason="Source **retracted**"))
    history = await h.run(history_payload(h))
    [embed] = history.messages[-1]["embeds"]
    last = embed["description"].splitlines()[-1]
    assert f"<@{uid(h, 'mod')}> reopened it (it was resolved ❌ NO)" in last
    assert "“Source \\*\\*retracted\\*\\*”" in last


async def test_resolving_again_to_the_same_outcome_pings_nobody_twice(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    await make_moderators(h)
    await resolve(h, "yes")
    first = await announced(h, info)
    assert pinged(first) == {uid(h, "bob"), uid(h, "carol")}

    await h.run(reopen_payload(h, user="mod", reason="Check the date"))
    again = await resolve(h, "yes")
    assert "Resolved #1 ✅ YES" in again.text
    await h.fake.wait_for(lambda: len(announcements(h, info)) == 2, timeout=WAIT)
    second = announcements(h, info)[-1]
    assert pinged(second) == set() and allowed_users(second) == set()
    assert "not pinged again" in second["content"]

    # A different outcome is news: the followers are pinged about it.
    await h.run(reopen_payload(h, user="mod", reason="It was reversed"))
    await resolve(h, "no")
    await h.fake.wait_for(lambda: len(announcements(h, info)) == 3, timeout=WAIT)
    assert pinged(announcements(h, info)[-1]) == {uid(h, "bob"), uid(h, "carol")}


async def test_names_in_the_announcement_and_reopen_notice_are_not_markdown(
    harness: Harness,
) -> None:
    h = harness
    info = await post_with_votes(h)
    await make_moderators(h)
    bob, mod = uid(h, "bob"), uid(h, "mod")
    await h.services.member_names.seen(guild(h), bob, EVIL_NAME)
    h.fake.world.members[str(mod)]["nick"] = f"<@{bob}> {EVIL_NAME}"
    await resolve(h, "no")  # bob said 30 %: he called it best
    message = await announced(h, info)
    assert "🥇 **\\[Claim prize](https://evil.example)** 30%" in message["content"]
    assert not LIVE_LINK.search(message["content"])

    await h.run(reopen_payload(h, user="mod", reason="Recheck"))
    [post] = [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if "**#1 was reopened** by" in (m.get("content") or "")
    ]
    assert "\\[Claim prize](https://evil.example)" in post["content"]
    assert not LIVE_LINK.search(post["content"])
    assert f"<@\u200b{bob}>" in post["content"]  # the name's mention is shown, inert
    assert pinged(post) == set()
