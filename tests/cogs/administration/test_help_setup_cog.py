"""/help tells those who can configure the server about /augury, and only them."""

from __future__ import annotations

import pytest

from tests.cogs.conftest import Harness


@pytest.mark.parametrize(
    ("who", "sees_setup"), [("admin", True), ("owner", True), ("bob", False), ("mod", False)]
)
async def test_help_mentions_augury_to_whoever_can_use_it(
    harness: Harness, who: str, sees_setup: bool
) -> None:
    reply = await harness.run(harness.fake.slash("help", user=who))
    [embed] = reply.embeds
    setup = [f["value"] for f in embed["fields"] if f["name"] == "⚙️ Set up"]
    assert bool(setup) is sees_setup
    if sees_setup:
        assert "</augury settings:" in setup[0] and "</augury moderator-role:" in setup[0]
