"""Issue 11 end to end: a vote with a reason, Resolve from the prediction message, the
resolution post with its best callers and "How did I do?", and the result DM for a member
who chose DMs — through the real process against the fake Discord."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean, assert_stands_on_its_own
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


async def test_reason_resolve_button_how_did_i_do_and_result_dm(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The ferry runs on time all week", "in 3 months")
    pid = posted.prediction_id

    # bob chooses DMs, then votes 80 % with a reason: kept, posted in the thread, no pings.
    chose = await flows.send(fake, fake.slash("notifications", p.option("where", "dm"), user="bob"))
    assert chose.ephemeral and "sent a DM" in chose.text
    click = await flows.open_vote_modal(fake, posted.message_id, "bob")
    record = fake.state.interactions[str(click["id"])]
    reason = "New timetable, and @everyone knows it"
    voted = await flows.send(
        fake, fake.submit_modal({"probability": "80", "reason": reason}, user="bob", record=record)
    )
    assert "Your reason is posted in the thread." in voted.text
    said = await fake.wait_for_request(
        lambda r: r.status == 200 and "💬" in str((r.json or {}).get("content")),
        method="POST",
        path=rf"^/channels/{posted.thread_id}/messages$",
    )
    assert said.json["content"] == f"💬 **bob** (80%) on #1: {reason}"
    assert said.json["allowed_mentions"]["parse"] == []

    # alice resolves from the message: Resolve is under her My vote, the choice privately.
    my_vote_click = fake.click(posted.message_id, f"augury:myvote:{pid}")
    my_vote = await flows.send(fake, my_vote_click, timeout=15)
    assert my_vote.ephemeral and "You may resolve it" in my_vote.text
    my_vote_id = str(fake.state.interactions[str(my_vote_click["id"])].original_id)
    menu_click = fake.click(my_vote_id, f"augury:resolvemenu:{pid}")
    menu = await flows.send(fake, menu_click)
    assert menu.ephemeral and "How did #1 turn out?" in menu.text
    menu_id = str(fake.state.interactions[str(menu_click["id"])].original_id)
    done = await flows.send(fake, fake.click(menu_id, f"augury:resolve-confirm:{pid}:yes"))
    assert done.text.startswith("Resolved #1 ✅ YES.")

    post = await fake.wait_for_request(
        lambda r: r.status == 200 and "resolved ✅ YES" in str((r.json or {}).get("content")),
        method="POST",
        path=rf"^/channels/{posted.thread_id}/messages$",
    )
    content = post.json["content"]
    assert "Called it best: 🥇 **bob** 80%" in content
    assert "How did I do?" in content
    post_id = str(post.response["id"])
    assert flows.custom_ids(fake.message(post_id)) == [f"augury:howdid:{pid}"]
    assert fake.message(post_id)["mentions"] == []  # bob chose DMs; alice resolved it

    mine = await flows.send(fake, fake.click(post_id, f"augury:howdid:{pid}", user="bob"))
    assert mine.ephemeral and "You said **80%**" in mine.text
    assert "Your Brier score here: **0.040**" in mine.text

    # The same result by DM, from the paced queue.
    dm = await fake.wait_for_request(
        lambda r: r.status == 200 and "🎯" in str((r.json or {}).get("content")),
        timeout=15,  # the sender's cycle is a few seconds
        method="POST",
        path=rf"^/channels/{fake.dm_channel_id('bob')}/messages$",
    )
    assert "Your Brier score here: **0.040**" in dm.json["content"]
    assert_stands_on_its_own(fake, dm.json["content"], "The ferry runs on time all week", posted)
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
