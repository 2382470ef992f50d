"""Tier 3: the real AuguryBot, in-process, against the fake Discord, on a fake clock.

Interactions are Discord-shaped INTERACTION_CREATE payloads dispatched over the fake gateway,
so discord.py builds real ``Interaction`` objects; replies are read back from the fake's REST
records, exactly as Discord would receive them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.app import build_bot
from bot.client import AuguryBot
from bot.clock import FakeClock
from bot.services.registry import Services
from bot.settings import Settings
from db.engine import create_engine
from db.migrate import upgrade
from tests.conftest import START
from tests.e2e.minibot import pointed_at
from tests.fakediscord import FakeDiscord, InteractionRecord

EPHEMERAL = 1 << 6
JSON = dict[str, Any]


@dataclass
class Reply:
    """What the member saw in answer to one interaction."""

    record: InteractionRecord
    messages: list[JSON]
    modal: JSON | None = None
    choices: list[JSON] | None = None

    @property
    def text(self) -> str:
        return "\n".join(str(m.get("content") or "") for m in self.messages)

    @property
    def ephemeral(self) -> bool:
        return bool(self.messages) and all(
            int(m.get("flags") or 0) & EPHEMERAL for m in self.messages
        )

    @property
    def embeds(self) -> list[JSON]:
        return [e for m in self.messages for e in m.get("embeds", [])]


@dataclass
class Harness:
    bot: AuguryBot
    fake: FakeDiscord
    clock: FakeClock
    services: Services

    async def run(self, payload: JSON, *, wait: float = 10) -> Reply:
        """Dispatch an interaction and wait until the member has a complete answer."""
        start = self.fake.mark()
        record = await self.fake.interact(payload)

        def answered() -> bool:
            if not record.responded:
                return False
            if record.response_type in (8, 9, 6, 7):
                return True
            return not record.loading

        await self.fake.wait_for(answered, timeout=wait)
        ids = [i for i in [record.original_id, *record.message_ids] if i]
        messages = [self.fake.message(i) for i in dict.fromkeys(ids)]
        choices = None
        if record.response_type == 8:
            callback = self.fake.find_requests("POST", rf"interactions/{record.id}/", after=start)
            choices = callback[-1].json["data"]["choices"] if callback else []
        return Reply(record, messages, record.modal, choices)

    async def settle(self) -> None:
        """Let background tasks (re-renders, reactions) run to completion."""
        for _ in range(3):
            await self.bot.coalescer.drain()
            await asyncio.sleep(0.05)


def settings_for(fake: FakeDiscord, db_url: str) -> Settings:
    return Settings(
        discord_token=SecretStr(fake.token),
        database_url=db_url,
        discord_api_base_url=fake.api_base,
        discord_gateway_url=fake.gateway_url,
        dev_guild_id=int(fake.guild_id),
        vote_render_seconds=0,
        guild_ready_timeout=0.05,
        reminder_poll_seconds=3600,
    )


@pytest.fixture
async def harness(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    marker = request.node.get_closest_marker("fake_discord")
    fake = FakeDiscord(**(marker.kwargs if marker else {}))
    await fake.start()
    url = f"sqlite+aiosqlite:///{tmp_path}/cog.db"
    engine = create_engine(url)
    await upgrade(engine)
    clock = FakeClock(START)
    settings = settings_for(fake, url)
    with pointed_at(fake):
        bot = build_bot(settings, engine, clock)
        task = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), timeout=15)
            yield Harness(bot, fake, clock, bot.services)
            assert fake.violations == [], fake.violations
        finally:
            await bot.close()
            await asyncio.gather(task, return_exceptions=True)
            await engine.dispose()
            await fake.stop()
