"""Tier 3: the real AuguryBot, in-process, against the fake Discord, on a fake clock.

Interactions are Discord-shaped INTERACTION_CREATE payloads dispatched over the fake gateway,
so discord.py builds real ``Interaction`` objects; replies are read back from the fake's REST
records, exactly as Discord would receive them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.app import build_bot
from bot.clock import FakeClock
from bot.rendering.chart_pool import ChartPool
from bot.runtime.client import AuguryBot
from bot.services.registry import Services
from bot.settings import Settings
from db.engine import create_engine
from tests.conftest import START, fresh_sqlite_url
from tests.fakediscord import FakeDiscord, InteractionRecord
from tests.fakediscord.constants import MessageFlag, ResponseType
from tests.fakediscord.inprocess import ClientTasks, caught_up, pointed_at

JSON = dict[str, Any]
#: Responses that are complete as soon as they are sent: nothing follows them.
FINAL_RESPONSES = (
    ResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    ResponseType.MODAL,
    ResponseType.DEFERRED_UPDATE_MESSAGE,
    ResponseType.UPDATE_MESSAGE,
)


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
            int(m.get("flags") or 0) & MessageFlag.EPHEMERAL for m in self.messages
        )

    @property
    def embeds(self) -> list[JSON]:
        return [e for m in self.messages for e in m.get("embeds", [])]


class HarnessClock(FakeClock):
    """The bot's FakeClock, telling when a task goes to sleep on it or wakes up: a long-lived
    task (the reminder scheduler) has finished its work when it goes back to sleep."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.sleepers_changed = asyncio.Event()
        self._wake_at: list[datetime] = []

    @property
    def waking(self) -> bool:
        """A sleeper's time has come (the clock was moved past it) and it has not woken yet."""
        return any(when <= self.now() for when in self._wake_at)

    async def sleep(self, seconds: float) -> None:
        when = self.now() + timedelta(seconds=max(seconds, 0))
        self._wake_at.append(when)
        self.sleepers_changed.set()
        try:
            await super().sleep(seconds)
        finally:
            self._wake_at.remove(when)
            self.sleepers_changed.set()


@dataclass
class Harness:
    bot: AuguryBot
    fake: FakeDiscord
    clock: HarnessClock
    services: Services
    tasks: ClientTasks

    async def run(self, payload: JSON, *, wait: float = 10, settle: bool = False) -> Reply:
        """Dispatch an interaction and wait until the member has a complete answer.

        ``settle``: also wait until the bot is quiet, for answers that edit the message in
        place after a first update (a confirmed "Resolving …" turning into the answer).
        """
        start = self.fake.mark()
        record = await self.fake.interact(payload)

        def answered() -> bool:
            if not record.responded:
                return False
            if record.response_type in FINAL_RESPONSES:
                return True
            # A deleted "thinking…" is no answer: wait for what follows it.
            ids = [record.original_id, *record.message_ids]
            return not record.loading and any(i in self.fake.state.messages for i in ids)

        await self.fake.wait_for(answered, timeout=wait)
        if settle:
            await self.settle()
        ids = [i for i in [record.original_id, *record.message_ids] if i]
        # (a message the bot deleted again, e.g. a public "thinking…" before a private error)
        messages = [
            self.fake.state.messages[i] for i in dict.fromkeys(ids) if i in self.fake.state.messages
        ]
        choices = None
        if record.response_type == ResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            callback = self.fake.find_requests("POST", rf"interactions/{record.id}/", after=start)
            choices = callback[-1].json["data"]["choices"] if callback else []
        return Reply(record, messages, record.modal, choices)

    async def settle(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - test API
        """Wait until the bot is quiet, so that "nothing was sent" checks mean something.

        Quiet: the bot has read every gateway event the fake sent it (a barrier event behind
        them), none of its tasks has work in progress (event listeners, command, button and
        modal callbacks, re-renders, a reminder cycle, and what those start; a task asleep on
        the fake clock is idle unless its time has come), and the fake has answered every REST
        request. Each round waits for what it found busy; the first round that finds nothing
        ends it. ``timeout`` only bounds a bot that never settles: it is not a delay.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self.bot.public_messages.drain()
                    await caught_up(self.fake, self.bot)
                    busy = self.tasks.busy()
                    if busy or self.clock.waking:
                        await self._one_done_or_sleepers_changed(busy)
                    elif self.fake.in_flight:
                        await self.fake.until_idle()
                    else:
                        return
        except TimeoutError:
            raise TimeoutError(
                f"the bot was not quiet after {timeout}s: still running {self.tasks.busy()}, "
                f"{self.fake.in_flight} REST request(s) unanswered"
            ) from None

    async def _one_done_or_sleepers_changed(self, busy: list[asyncio.Task[Any]]) -> None:
        """Until one of ``busy`` finishes, or a task goes to sleep on the clock or wakes up."""
        self.clock.sleepers_changed.clear()
        changed = asyncio.ensure_future(self.clock.sleepers_changed.wait())
        try:
            await asyncio.wait([*busy, changed], return_when=asyncio.FIRST_COMPLETED)
        finally:
            changed.cancel()


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


@pytest.fixture(scope="session")
def chart_pool() -> Iterator[ChartPool]:
    """One chart worker for the whole cog tier: spawning one (and importing matplotlib in it)
    per test would cost seconds each; each bot gets it in place of its own pool."""
    pool = ChartPool(workers=1)
    asyncio.run(pool.start())  # before any test's 10 s answer deadline starts ticking
    yield pool
    asyncio.run(pool.close())


@pytest.fixture
async def harness(
    tmp_path: Path, fake_discord: FakeDiscord, chart_pool: ChartPool, migrated_sqlite: Path
) -> AsyncIterator[Harness]:
    """The bot, ready, against ``fake_discord`` (options: ``@pytest.mark.fake_discord(...)``)."""
    fake = fake_discord
    url = fresh_sqlite_url(migrated_sqlite, tmp_path / "cog.db")
    engine = create_engine(url)
    clock = HarnessClock(START)
    settings = settings_for(fake, url)
    tasks = ClientTasks(timers={FakeClock.sleep.__qualname__})
    with pointed_at(fake), tasks.recording():
        bot = build_bot(settings, engine, clock)
        own_pool, bot.charts = bot.charts, chart_pool
        task = tasks.start(bot.start(settings.discord_token.get_secret_value()))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), timeout=15)
            yield Harness(bot, fake, clock, bot.services, tasks)
            assert fake.violations == [], fake.violations
        finally:
            bot.charts = own_pool  # never started: closing it is free; the shared one lives on
            await bot.close()
            await asyncio.gather(task, return_exceptions=True)
            await engine.dispose()
