"""Reminders never blocked, never repeated: failing servers, failed records, restarts after the
nonce window, multi-part deliveries, leaving and rejoining a server (issue 10).

The fixtures are in this folder's conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.clock import FakeClock
from bot.domain.vocabulary import ReminderKind
from bot.runtime.client import AuguryBot
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.reminders.attempts import CLAIM_LEASE, MAX_FAILURES
from bot.services.reminders.service import ReminderService
from cogs.reminders.scheduler import FAILURE_BUDGET, RemindersCog
from tests.cogs.helpers import pinged, uid
from tests.cogs.reminders.conftest import (
    POLL,
    RESOLVES,
    forbid_posting,
    post_prediction,
    stored,
)
from tests.fakediscord import FakeDiscord

KICKED_FROM = 5_000_000_000_000_000_000
DELETED = 6_000_000_000_000_000_000


async def undeliverable(services: Services, fake: FakeDiscord, count: int) -> None:
    """Due an hour before the deliverable one: half in servers the bot was kicked from, half
    in this server with their channel and thread deleted and the author's DMs closed."""
    fake.close_dms("bob")
    for i in range(count):
        kicked = i % 2 == 0
        info = await services.predictions.create(
            NewPrediction(
                KICKED_FROM + i if kicked else int(fake.guild_id),
                uid(fake, "bob"),
                f"Lost {i}",
                resolves="2026-12-01 11:00",
            )
        )
        await services.predictions.attach_message(
            info.id,
            channel_id=DELETED + 2 * i,
            message_id=DELETED + i,
            thread_id=DELETED + 2 * i + 1,
        )


def failures_since(fake: FakeDiscord, mark: int) -> int:
    return sum(r.status >= 400 for r in fake.find_requests(after=mark))


def state_size(cog: RemindersCog) -> int:
    return sum(len(v) for v in vars(cog).values() if isinstance(v, set | dict | list))


async def test_undeliverable_reminders_never_block_a_deliverable_one(
    fake: FakeDiscord, bot: AuguryBot, services: Services, cog: RemindersCog, clock: FakeClock
) -> None:
    posted = await post_prediction(fake, bot, services)
    await undeliverable(services, fake, 50)
    clock.set(RESOLVES)
    empty = state_size(cog)
    failing_calls = []
    for _ in range(3):
        mark = fake.mark()
        await cog.run_once()
        failing_calls.append(failures_since(fake, mark))
        clock.advance(seconds=POLL)
    kicked = [str(DELETED + 2 * i + k) for i in range(0, 50, 2) for k in (0, 1)]
    assert not [r for r in fake.find_requests() if any(c in r.path for c in kicked)]
    [reminder] = stored(fake, posted.thread_id)
    assert pinged(reminder) == {uid(fake, w) for w in ("alice", "bob", "carol")}
    # Each failing delivery costs a few calls (thread, channel, DM); a cycle stops at the budget.
    assert all(calls <= FAILURE_BUDGET * 4 for calls in failing_calls), failing_calls
    mark = fake.mark()
    for _ in range(5):  # within the backoff: nothing is tried again
        await cog.run_once()
        clock.advance(seconds=POLL)
    assert fake.find_requests(after=mark) == []
    assert state_size(cog) == empty  # no per-reminder memory left behind


async def test_a_failing_delivery_backs_off_then_is_given_up(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
) -> None:
    posted = await post_prediction(fake, bot, services)
    forbid_posting(fake, posted)
    fake.close_dms("alice")
    clock.set(RESOLVES)
    attempts = 0
    for _ in range(24 * 60 // 5):  # a day of 5-minute polls
        mark = fake.mark()
        await cog.run_once()
        attempts += bool(fake.find_requests("POST", rf"/channels/{posted.thread_id}/", after=mark))
        clock.advance(minutes=5)
    assert attempts == MAX_FAILURES
    [given_up] = await reminders.given_up(int(fake.guild_id))
    assert given_up.number == 1 and "403" in (given_up.last_error or "")


async def test_a_record_that_keeps_failing_never_sends_again(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Read-only file, full disk, lock held: the record step raises every time. The nonce
    window is over at once, so only the claim and the markers can stop a second ping."""
    fake.state.nonce_window = 0
    posted = await post_prediction(fake, bot, services)
    real_record = reminders.record

    async def record_fails(delivery: Any) -> bool:
        raise OSError("attempt to write a readonly database")

    monkeypatch.setattr(reminders, "record", record_fails)
    clock.set(RESOLVES)
    for _ in range(60):  # half an hour of polls, past the claim's expiry
        await cog.run_once()
        clock.advance(seconds=POLL)
    assert len(stored(fake, posted.thread_id)) == 1
    monkeypatch.setattr(reminders, "record", real_record)
    clock.advance(seconds=CLAIM_LEASE.total_seconds())
    await cog.run_once()
    assert len(stored(fake, posted.thread_id)) == 1  # found by its marker, recorded, not resent
    assert await reminders.deliveries(posted.prediction_id) == [(ReminderKind.DUE, 1, False)]


async def test_a_restart_after_the_nonce_window_does_not_ping_again(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    reminders: ReminderService,
    cog: RemindersCog,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posted = await post_prediction(fake, bot, services)

    async def crash(delivery: Any) -> bool:
        raise SystemExit("killed between send and record")

    monkeypatch.setattr(reminders, "record", crash)
    clock.set(RESOLVES)
    with pytest.raises(SystemExit):
        await cog.run_once()
    monkeypatch.undo()
    fake.state.nonce_window = 0  # restarted an hour later: Discord forgot the nonce
    clock.advance(hours=1)
    restarted = RemindersCog(bot, service=ReminderService(services.ctx))
    assert await restarted.run_once() == 1  # recorded (found), not posted again
    assert len(stored(fake, posted.thread_id)) == 1
    assert await reminders.deliveries(posted.prediction_id) == [(ReminderKind.DUE, 1, False)]
    clock.advance(hours=72)
    assert await restarted.run_once() == 1  # the chain goes on
    assert len(stored(fake, posted.thread_id)) == 2


async def test_leaving_a_server_pauses_its_reminders_and_rejoining_resumes(
    fake: FakeDiscord,
    bot: AuguryBot,
    services: Services,
    cog: RemindersCog,
    clock: FakeClock,
) -> None:
    posted = await post_prediction(fake, bot, services)
    guild = bot.get_guild(int(fake.guild_id))
    assert guild is not None
    await cog.on_guild_remove(guild)
    clock.set(RESOLVES)
    mark = fake.mark()
    assert await cog.run_once() == 0
    assert fake.find_requests(after=mark) == []  # no attempt while the bot is out
    await cog.on_guild_join(guild)
    assert await cog.run_once() == 1
    assert len(stored(fake, posted.thread_id)) == 1
