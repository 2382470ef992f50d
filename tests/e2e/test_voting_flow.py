"""Voting: the Vote button's modal, keycap reactions, retraction; the message follows along."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e


def reactors_of(message: flows.JSON, user_id: int) -> list[str]:
    """The emojis ``user_id`` currently has on the message (as the fake stores them)."""
    return [
        reaction["emoji"]["name"]
        for reaction in message.get("reactions") or []
        if str(user_id) in reaction.get("_fake_users", [])
    ]


async def test_votes_by_modal_and_reaction_and_retraction_show_in_the_message(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The river freezes this winter", "in 3 months")
    pid, db = posted.prediction_id, bot_process.db_path
    alice, bob, carol = (int(fake.user_id(who)) for who in ("alice", "bob", "carol"))

    # Button → modal → submit.
    mark = fake.mark()
    confirmed = await flows.vote_by_modal(fake, posted.message_id, "alice", "60")
    assert confirmed.ephemeral
    assert confirmed.text == "🗳️ Your forecast on #1 is now **60%**."
    await flows.wait_for_render(fake, posted, flows.shows(1, "60%"), after=mark)

    # A keycap reaction from another member is a vote too.
    mark = fake.mark()
    await flows.react(fake, posted.message_id, flows.keycap(7), "bob")
    await flows.wait_for_render(fake, posted, flows.shows(2, "65%"), after=mark)
    assert flows.votes(db, pid) == {alice: 600, bob: 700}

    mark = fake.mark()
    await flows.react(fake, posted.message_id, flows.keycap(3), "carol")
    await flows.wait_for_render(fake, posted, flows.shows(3, "60%"), after=mark)

    # Another keycap replaces the vote; the bot takes the old keycap away, and that removal
    # (echoed back as a reaction event) does not retract the new vote.
    mark = fake.mark()
    await flows.react(fake, posted.message_id, flows.keycap(9), "carol")
    await fake.wait_for_request(
        method="DELETE",
        path=rf"/reactions/{flows.keycap(3)}/{carol}$",
        after=mark,
    )
    await flows.wait_for_render(fake, posted, flows.shows(3, "70%"), after=mark)
    assert flows.keycap(3) not in reactors_of(fake.message(posted.message_id), carol)

    # Removing the reaction retracts that vote.
    mark = fake.mark()
    await flows.react(fake, posted.message_id, flows.keycap(7), "bob", add=False)
    await flows.wait_for_render(fake, posted, flows.shows(2, "75%"), after=mark)
    assert flows.votes(db, pid) == {alice: 600, carol: 900}

    # Changing a vote: the modal opens prefilled with the current one.
    click = await flows.open_vote_modal(fake, posted.message_id, "alice")
    modal = fake.state.interactions[str(click["id"])].modal
    assert modal is not None and modal["custom_id"] == f"augury:vote-modal:{pid}"
    inputs = flows.modal_inputs(modal)
    field = inputs["How likely is it? (1–99 %)"]
    assert field["custom_id"] == "probability" and field.get("value") == "60"
    assert inputs["Why? (optional, posted in the thread)"]["custom_id"] == "reason"
    mark = fake.mark()
    changed = await flows.send(fake, flows.vote_submit(fake, click, "alice", "20%"))
    assert changed.text == "🗳️ Your forecast on #1 is now **20%** (was 60%)."
    await flows.wait_for_render(fake, posted, flows.shows(2, "55%"), after=mark)

    # The stored message ends in the latest state, and the history kept every change.
    assert flows.shows(2, "55%")(fake.message(posted.message_id))
    assert flows.votes(db, pid) == {alice: 200, carol: 900}
    with flows.database(db) as connection:
        events = connection.execute(
            "SELECT user_id, permille, source FROM vote_events WHERE prediction_id = ? ORDER BY id",
            (pid,),
        ).fetchall()
    assert [tuple(e) for e in events] == [
        (alice, 600, "modal"),
        (bob, 700, "reaction"),
        (carol, 300, "reaction"),
        (carol, 900, "reaction"),
        (bob, None, "reaction"),
        (alice, 200, "modal"),
    ]
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
