"""After a restart, the buttons, a modal opened before it, and reactions on old messages work."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e


async def test_buttons_and_modals_on_a_message_from_before_the_restart(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The old mill is restored", "in 6 months")
    pid, db = posted.prediction_id, bot_process.db_path
    await flows.vote_by_modal(fake, posted.message_id, "alice", "40")
    # Carol opens the vote modal now and submits it only after the restart.
    carol_click = await flows.open_vote_modal(fake, posted.message_id, "carol")

    await flows.relaunch(bot_process)
    assert bot_process.starts == 2
    assert len(fake.find_requests("PUT", r"/commands$")) == 2  # once per start

    mine = await flows.send(fake, fake.click(posted.message_id, f"augury:myvote:{pid}"))
    assert mine.ephemeral
    assert mine.text.startswith("Your forecast on #1: **40%**")
    assert "40% (vote form)" in mine.text  # the member's word, not "modal" (issue 23)

    mark = fake.mark()
    confirmed = await flows.vote_by_modal(fake, posted.message_id, "bob", "80")
    assert confirmed.text == "🗳️ Your forecast on #1 is now **80%**."
    await flows.wait_for_render(fake, posted, flows.shows(2, "60%"), after=mark)

    late = await flows.send(fake, flows.vote_submit(fake, carol_click, "carol", "30"))
    assert late.text == "🗳️ Your forecast on #1 is now **30%**."

    # Reactions on a message this process never saw arrive as raw events and still count.
    mark = fake.mark()
    await flows.react(fake, posted.message_id, flows.keycap(9), "owner")
    await flows.wait_for_render(fake, posted, flows.shows(4, "60%"), after=mark)

    who = {int(fake.user_id(name)): name for name in ("alice", "bob", "carol", "owner")}
    assert {who[user]: permille for user, permille in flows.votes(db, pid).items()} == {
        "alice": 400,
        "bob": 800,
        "carol": 300,
        "owner": 900,
    }
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(fake)  # the string sweep (issue 23), across the restart
