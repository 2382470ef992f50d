"""The real ``python -m bot`` starts on a database made by an earlier release: it migrates it on
start and shows the old record (predictions, resolutions, tags, the server's settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.version import version
from db.engine import create_engine
from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.upgrades.answers import embeds_answering
from tests.upgrades.databases import (
    RELEASES,
    head_revision,
    load_postgres,
    move_to_guild,
    postgres_url,
    revision,
    sqlite_copy,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_the_bot_migrates_a_release_database_on_start_and_shows_its_record(
    release: str, dialect: str, fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    bot = BotProcess(fake, tmp_path)
    if dialect == "sqlite":
        url = sqlite_copy(release, bot.db_path)
    else:
        url = postgres_url()
        await load_postgres(release, url)
        bot.extra_env["DATABASE_URL"] = url
    engine = create_engine(url)
    await move_to_guild(engine, int(fake.guild_id))
    try:
        await flows.launch(bot)
        ready = await bot.wait_for_log(r"Augury is ready as .* version ([^;\s]+)")
        assert ready[1] == version()
        assert await revision(engine) == head_revision()

        listed = await embeds_answering(
            fake, fake.slash("predictions", p.subcommand("list"), user="alice")
        )
        assert "30 in all" in listed[0]["footer"]["text"]
        assert "Upgrade fixture prediction 30:" in listed[0]["description"]
        resolved = await embeds_answering(
            fake,
            fake.slash(
                "predictions", p.subcommand("list", p.option("status", "resolved")), user="bob"
            ),
        )
        assert "10 in all" in resolved[0]["footer"]["text"]
        assert all(
            f"Upgrade fixture prediction {n}:" in resolved[0]["description"] for n in range(1, 11)
        )
        tagged = await embeds_answering(
            fake,
            fake.slash("predictions", p.subcommand("list", p.option("tag", "science")), user="bob"),
        )
        assert "15 in all" in tagged[0]["footer"]["text"]
        settings = await embeds_answering(
            fake, fake.slash("augury", p.subcommand("settings"), user="admin")
        )
        shown = " ".join(field["value"] for field in settings[0]["fields"])
        assert "Europe/Berlin" in shown and "every 48 h, 2 times" in shown
        assert "20% 40% 60% 80%" in shown
        assert fake.violations == []
        assert await bot.terminate() == 0
        flows.assert_log_clean(bot)
    finally:
        await engine.dispose()
        if bot.running:
            await bot.kill()
