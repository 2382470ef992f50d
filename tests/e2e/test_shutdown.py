"""SIGTERM while handlers run (issue 10): they finish or end quietly; no "Session is closed"."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

KEYCAP_PUT = r"^/channels/\d+/messages/\d+/reactions/[^/]+/@me$"


async def test_sigterm_while_keycaps_are_being_added_stops_cleanly(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    fake.delay("PUT", KEYCAP_PUT, 1.0, times=None)  # each keycap takes a second
    payload = fake.slash(
        "predict", p.option("statement", "The pier reopens"), p.option("resolves", "in 3 months")
    )
    await flows.send(fake, payload)
    await fake.wait_for(lambda: fake.find_requests("PUT", KEYCAP_PUT), message="a keycap PUT")
    assert len(fake.find_requests("PUT", KEYCAP_PUT)) < 5  # still adding them

    assert await bot_process.terminate(timeout=20) == 0
    log = bot_process.log_text()
    assert "Session is closed" not in log
    flows.assert_log_clean(bot_process)
