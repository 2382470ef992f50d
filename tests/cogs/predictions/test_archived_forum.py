"""A forum post auto-archives after a week; its message must still follow votes (issue 10).

Discord refuses edits in an archived thread (50083): the bot unarchives the post first and
leaves it open (Discord archives it again after the inactivity period).
"""

from __future__ import annotations

import pytest

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, message_fields, post_with_votes, prediction_message
from tests.fakediscord import payloads as p


@pytest.mark.fake_discord(forum_tags=["Open", "Yes", "No", "Ambiguous"])
async def test_a_vote_on_an_archived_forum_post_updates_its_message(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.forum_channel_id)
    )
    info = await post_with_votes(h)  # alice, bob and carol voted
    thread = h.fake.channel(str(info.thread_id))
    h.fake.state.update_channel(thread, {"archived": True})  # a week without messages
    await h.settle()
    h.clock.advance(days=8)

    reply = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "90"), user="mod")
    )
    assert "90%" in reply.text
    await h.settle()
    assert "4 forecasters" in message_fields(prediction_message(h, info))["Community forecast"]
    assert await h.services.message_state.pending() == []
    assert h.fake.channel(str(info.thread_id))["thread_metadata"]["archived"] is False
