"""``/augury settings`` says which Augury answers, so an admin knows what to upgrade from."""

from __future__ import annotations

from bot.version import version
from tests.cogs.conftest import Harness
from tests.fakediscord import payloads as p


async def test_settings_show_the_running_version(harness: Harness) -> None:
    reply = await harness.run(harness.fake.slash("augury", p.subcommand("settings"), user="admin"))
    assert reply.ephemeral
    assert reply.embeds[0]["footer"]["text"] == f"Augury {version()}"
