"""Discord failing the bot: a missing permission, a deleted message, a rate limit."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

THREAD_FROM_MESSAGE = r"^/channels/\d+/messages/\d+/threads$"


def slash_vote(fake: FakeDiscord, number: int, probability: str, who: str) -> flows.JSON:
    return fake.slash(
        "vote", p.option("prediction", number), p.option("probability", probability), user=who
    )


async def test_thread_creation_forbidden_still_posts_and_names_the_permission(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    fake.fail("POST", THREAD_FROM_MESSAGE, 403)

    posted = await flows.predict(fake, "The pier is rebuilt", "in 4 months")

    assert posted.thread_id is None
    assert "Create Public Threads" in posted.reply
    assert "Posted prediction **#1**" in posted.reply
    assert fake.threads() == []
    row = flows.prediction_row(bot_process.db_path, posted.prediction_id)
    assert row["thread_id"] is None and str(row["message_id"]) == posted.message_id

    # The prediction works without its thread, and the next one gets a thread again.
    mark = fake.mark()
    vote = await flows.vote_by_modal(fake, posted.message_id, "bob", "35")
    assert vote.text == "🗳️ Your forecast on #1 is now **35%**."
    await flows.wait_for_render(fake, posted, flows.shows(1, "35%"), after=mark)
    second = await flows.predict(fake, "The pier reopens to cars", "in 5 months")
    assert second.thread_id is not None and "⚠️" not in second.reply

    assert fake.violations == []
    flows.assert_log_clean(bot_process)


async def test_votes_still_count_after_the_message_was_deleted(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The tower clock is repaired", "in 2 months")
    mark = fake.mark()
    await flows.vote_by_modal(fake, posted.message_id, "alice", "55")
    await flows.wait_for_render(fake, posted, flows.shows(1, "55%"), after=mark)

    # Someone deletes the prediction's message: every later edit of it is a 404.
    fake.state.delete_message(fake.message(posted.message_id))
    edits = flows.edit_path(posted.channel_id, posted.message_id)
    for number, (who, value) in enumerate((("bob", "70"), ("carol", "20")), start=1):
        mark = fake.mark()
        reply = await flows.send(fake, slash_vote(fake, 1, value, who))
        assert reply.text == f"🗳️ Your forecast on #1 is now **{value}%**.", number
        refused = await fake.wait_for_request(method="PATCH", path=edits, after=mark)
        assert refused.status == 404

    users = {int(fake.user_id(who)): who for who in ("alice", "bob", "carol")}
    stored = flows.votes(bot_process.db_path, posted.prediction_id)
    assert {users[user]: permille for user, permille in stored.items()} == {
        "alice": 550,
        "bob": 700,
        "carol": 200,
    }
    warnings = [
        line for line in bot_process.log_text().splitlines() if "Cannot update the message" in line
    ]
    assert len(warnings) == 1, warnings  # logged once per message, not once per vote
    assert "votes still count" in warnings[0]

    # The bot carries on: a new prediction is posted and rendered as usual.
    second = await flows.predict(fake, "The tower clock chimes again", "in 3 months")
    mark = fake.mark()
    await flows.vote_by_modal(fake, second.message_id, "bob", "65")
    await flows.wait_for_render(fake, second, flows.shows(1, "65%"), after=mark)
    assert fake.violations == []
    flows.assert_log_clean(bot_process)


async def test_a_rate_limited_edit_is_retried_until_the_final_state_shows(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The canal is dredged", "in 2 months")
    edits = flows.edit_path(posted.channel_id, posted.message_id)
    limited = fake.fail("PATCH", edits, 429, times=1, retry_after=0.3)

    mark = fake.mark()
    await flows.vote_by_modal(fake, posted.message_id, "alice", "70")
    await flows.react(fake, posted.message_id, flows.keycap(9), "bob")
    await flows.wait_for_render(fake, posted, flows.shows(2, "80%"), after=mark)

    attempts = fake.find_requests("PATCH", edits, after=mark)
    assert limited.hits == 1 and attempts[0].status == 429
    assert all(attempt.status == 200 for attempt in attempts[1:])
    assert flows.shows(2, "80%")(fake.message(posted.message_id))
    users = {int(fake.user_id(who)): who for who in ("alice", "bob")}
    stored = flows.votes(bot_process.db_path, posted.prediction_id)
    assert {users[user]: permille for user, permille in stored.items()} == {
        "alice": 700,
        "bob": 900,
    }
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
