"""/predictions show in the real bot process: the chart comes from the chart worker process,
and a member repeating the command is told privately to wait."""

from __future__ import annotations

import pytest

from cogs.predictions.manage_commands import SHOW_RATE
from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


async def test_show_draws_the_history_chart_then_cools_down(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The lake freezes over", "in 3 months")
    mark = fake.mark()
    await flows.react(fake, posted.message_id, flows.keycap(7), "bob")
    await flows.react(fake, posted.message_id, flows.keycap(3), "carol")
    await flows.wait_for_render(fake, posted, flows.shows(2, "50%"), after=mark)

    def show() -> flows.JSON:
        return fake.slash(
            "predictions", p.subcommand("show", p.option("prediction", 1)), user="bob"
        )

    for _ in range(SHOW_RATE):
        shown = await flows.send(fake, show(), timeout=60.0)
        assert not shown.ephemeral
        (embed,) = (shown.request.json or {})["embeds"]
        assert embed["image"]["url"] == "attachment://history.png"
    refused = await flows.send(fake, show())
    assert refused.ephemeral and "try again in" in refused.text
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
