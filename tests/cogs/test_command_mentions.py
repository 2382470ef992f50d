"""Issue 23: texts name commands as mentions, with the ids of the commands as synced.

The process that syncs learns the ids from the sync (every cog test's harness does); a process
that does not sync (another shard's) fetches them at start, so its texts carry mentions too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.rendering.command_mentions import command_mention, forget_commands
from bot.runtime.client import AuguryBot
from bot.services.core.context import ServiceContext
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from tests.cogs.conftest import Harness, settings_for
from tests.conftest import START, fresh_sqlite_url
from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import pointed_at


@pytest.fixture
def no_ids() -> Iterator[None]:
    forget_commands()
    yield
    forget_commands()


async def test_the_syncing_process_mentions_every_command_it_synced(harness: Harness) -> None:
    fake = harness.fake
    synced = {c["name"]: c["id"] for c in fake.state.commands[fake.guild_id] if c["type"] == 1}
    assert command_mention("vote") == f"</vote:{synced['vote']}>"
    assert command_mention("predictions list") == f"</predictions list:{synced['predictions']}>"
    reply = await harness.run(fake.slash("help", user="bob"))
    help_text = str(reply.embeds)
    assert f"</predictions reopen:{synced['predictions']}>" in help_text
    assert "`/" not in help_text.replace("`/vote prediction", "")  # no command left as code


async def test_a_process_that_does_not_sync_fetches_the_ids(
    fake_discord: FakeDiscord, migrated_sqlite: Path, tmp_path: Path, no_ids: None
) -> None:
    fake = fake_discord
    [vote, predictions] = fake.state.put_commands(
        fake.guild_id,  # as the syncing process left them (DEV_GUILD_ID: guild commands)
        [
            {"name": "vote", "description": "Vote", "type": 1},
            {
                "name": "predictions",
                "description": "Predictions",
                "type": 1,
                "options": [{"type": 1, "name": "list", "description": "List"}],
            },
        ],
    )
    url = fresh_sqlite_url(migrated_sqlite, tmp_path / "fetch.db")
    engine = create_engine(url)
    clock = FakeClock(START)
    services = Services.build(ServiceContext(sessions=create_session_factory(engine), clock=clock))
    bot = AuguryBot(
        settings=settings_for(fake, url),
        services=services,
        clock=clock,
        sync_commands=False,
        extensions=(),
    )
    try:
        with pointed_at(fake):
            await bot.login(fake.token)  # runs setup_hook: no sync, a fetch
    finally:
        await bot.close()
        await engine.dispose()
    assert not fake.find_requests("PUT", r"/commands$")  # it did not sync
    assert command_mention("vote") == f"</vote:{vote['id']}>"
    assert command_mention("predictions list") == f"</predictions list:{predictions['id']}>"
    assert command_mention("stats") == "`/stats`"  # unknown to Discord: plain code
