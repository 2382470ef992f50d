"""Issue 17 end to end: members try to game the record through resolution, and fail.

Against the real ``python -m bot`` process and the fake Discord: bob (display name a markdown
link) holds 🔟 (99 %) and removes the reaction once NO is clear; the author tries to reopen
after others voted; a moderator reopens (with a reason) and the author resolves the same
outcome again, across a restart, then a different one.

The e2e tier runs on the real clock (the process has no fake one), so bob holds his forecast
for the seconds the scenario takes rather than ten days: what is checked does not depend on
how long (his score is on the 99 % he held, over the time he held it). The ten days, with the
fake clock, are in tests/services/resolution/test_gaming_resolution.py.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord, RecordedRequest
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

EVIL_NAME = "[Claim prize](https://evil.example)"
#: A masked link Discord would render: ``[text](url)`` whose ``[`` is not escaped.
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(https?://")


def reopen(fake: FakeDiscord, who: str, reason: str | None = None) -> flows.JSON:
    extra = [p.option("reason", reason)] if reason is not None else []
    return fake.slash(
        "predictions", p.subcommand("reopen", p.option("prediction", 1), *extra), user=who
    )


def resolve(fake: FakeDiscord, outcome: str) -> flows.JSON:
    return fake.slash("resolve", p.option("prediction", 1), p.option("outcome", outcome))


async def thread_post(fake: FakeDiscord, thread: str, marker: str, after: int) -> RecordedRequest:
    return await fake.wait_for_request(
        lambda r: r.status == 200 and marker in str((r.json or {}).get("content")),
        timeout=15,
        method="POST",
        path=rf"^/channels/{thread}/messages$",
        after=after,
    )


def score_of(bot: BotProcess, prediction_id: int, user_id: str) -> dict[str, float] | None:
    with flows.database(bot.db_path) as db:
        row = db.execute(
            "SELECT permille, brier, time_brier, relative_brier FROM scores "
            "WHERE prediction_id = ? AND user_id = ?",
            (prediction_id, int(user_id)),
        ).fetchone()
    return None if row is None else dict(row)


async def test_retraction_reopen_ping_loop_and_markdown_names_do_not_game_the_record(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    bob, carol = fake.user_id("bob"), fake.user_id("carol")
    fake.world.members[bob]["nick"] = EVIL_NAME
    await flows.launch(bot_process)
    posted = await flows.predict(
        fake, "The old pier reopens this winter", "in 3 months", p.option("probability", "60")
    )
    pid, thread = posted.prediction_id, str(posted.thread_id)

    # carol forecasts 30 % and follows; bob holds 🔟 (99 %), then removes it once NO is clear.
    voted = await flows.send(
        fake,
        fake.slash("vote", p.option("prediction", 1), p.option("probability", "30"), user="carol"),
    )
    assert voted.ephemeral
    follow = p.subcommand("follow", p.option("prediction", 1))
    assert (await flows.send(fake, fake.slash("predictions", follow, user="carol"))).ephemeral
    await flows.react(fake, posted.message_id, "🔟", "bob")
    await fake.wait_for(lambda: flows.votes(bot_process.db_path, pid).get(int(bob)) == 990)
    await flows.react(fake, posted.message_id, "🔟", "bob", add=False)
    await fake.wait_for(lambda: int(bob) not in flows.votes(bot_process.db_path, pid))

    # alice resolves NO: bob is scored on the 99 % he held; his name is no link.
    mark = fake.mark()
    done = await flows.send(fake, resolve(fake, "no"))
    assert done.text.startswith("Resolved #1 ❌ NO.")
    first = (await thread_post(fake, thread, "resolved ❌ NO", mark)).json
    assert "🥉 **\\[Claim prize](https://evil.example)** 99%" in first["content"]
    assert not LIVE_LINK.search(first["content"])
    assert [str(u) for u in first["allowed_mentions"]["users"]] == [carol]
    scored = score_of(bot_process, pid, bob)
    assert scored is not None and scored["permille"] == 990
    assert scored["brier"] == pytest.approx(0.9801)
    assert scored["time_brier"] == pytest.approx(0.9801)
    assert scored["relative_brier"] > 0  # worse than the crowd while he held it
    assert flows.prediction_row(bot_process.db_path, pid)["community_permille"] == 450

    # The author cannot reopen once others voted; a moderator needs a reason.
    refused = await flows.send(fake, reopen(fake, "alice", "I misread it"))
    assert refused.ephemeral and "only a moderator" in refused.text and "reason" in refused.text
    bare = await flows.send(fake, reopen(fake, "admin"))
    assert bare.ephemeral and "give a `reason`" in bare.text
    assert flows.prediction_row(bot_process.db_path, pid)["status"] == "resolved"
    assert score_of(bot_process, pid, bob) == scored

    mark = fake.mark()
    reopened = await flows.send(fake, reopen(fake, "admin", "Checking the council minutes"))
    assert "Reopened #1" in reopened.text
    notice = (await thread_post(fake, thread, "was reopened", mark)).json
    assert "Reason: “Checking the council minutes”" in notice["content"]
    assert notice["allowed_mentions"]["parse"] == [] and not notice["allowed_mentions"].get("users")

    # Resolved the same again, after a restart: announced, nobody pinged a second time.
    await flows.relaunch(bot_process)
    mark = fake.mark()
    assert (await flows.send(fake, resolve(fake, "no"))).text.startswith("Resolved #1 ❌ NO.")
    again = await thread_post(fake, thread, "resolved ❌ NO", mark)
    assert "not pinged again" in again.json["content"]
    assert not again.json["allowed_mentions"].get("users")
    assert fake.message(str(again.response["id"]))["mentions"] == []
    assert score_of(bot_process, pid, bob) == scored  # the same window: the same score

    # The history keeps who reopened and why.
    history = await flows.send(
        fake, fake.slash("predictions", p.subcommand("history", p.option("prediction", 1)))
    )
    assert "reopened it (it was resolved ❌ NO): “Checking the council minutes”" in str(
        history.request.json
    )

    # A different outcome is news: carol is pinged about it.
    await flows.send(fake, reopen(fake, "admin", "The minutes say otherwise"))
    mark = fake.mark()
    await flows.send(fake, resolve(fake, "yes"))
    changed = await thread_post(fake, thread, "resolved ✅ YES", mark)
    assert [str(u) for u in changed.json["allowed_mentions"]["users"]] == [carol]
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
