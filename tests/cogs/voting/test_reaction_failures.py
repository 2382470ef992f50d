"""A keycap that did not count is taken away, quietly, whatever stopped it."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, post_and_settle, uid
from tests.fakediscord import payloads as p

SEVEN = "7️⃣"


async def react_and_expect_removal(h: Harness, message: str) -> int:
    mark = h.fake.mark()
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, SEVEN, user="bob"))
    removed = await h.fake.wait_for_request(
        method="DELETE",
        path=rf"messages/{message}/reactions/7️⃣/{h.fake.user_id('bob')}",
        after=mark,
    )
    assert removed.status == 204
    await h.settle()
    return mark


async def test_a_refused_reaction_on_a_hidden_prediction_is_removed_silently(
    harness: Harness,
) -> None:
    h = harness
    info = await post_and_settle(h, p.option("visibility", "hidden_until_vote"))
    h.services.votes._writer._max_queue = 0  # every vote is refused as "busy"
    mark = await react_and_expect_removal(h, str(info.message_id))
    assert h.fake.find_requests("POST", r"channels/\d+/messages", after=mark) == []
    mine = await h.services.votes.my_vote(guild(h), info.id, uid(h, "bob"))
    assert mine.current is None


@pytest.mark.parametrize("visibility", ["visible", "hidden_until_close"])
async def test_a_database_error_in_a_reaction_vote_is_caught_and_the_keycap_removed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, visibility: str
) -> None:
    h = harness
    info = await post_and_settle(h, p.option("visibility", visibility))

    async def failing(*_: object, **__: object) -> None:
        raise OperationalError("INSERT INTO votes", {}, Exception("disk I/O error"))

    monkeypatch.setattr(h.services.votes, "vote", failing)
    mark = await react_and_expect_removal(h, str(info.message_id))
    assert h.fake.find_requests("POST", r"channels/\d+/messages", after=mark) == []
    monkeypatch.undo()
    reply = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "70"), user="bob")
    )
    assert reply.ephemeral and "70%" in reply.text  # the bot kept running
