"""Claims, backoff, give-up and pauses of reminder deliveries, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from bot.domain.vocabulary import ReminderKind
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.reminders.attempts import CLAIM_LEASE, MAX_FAILURES, backoff
from bot.services.reminders.service import Delivery, ReminderService
from tests.conftest import AUTHOR, GUILD

RESOLVES = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def create(services: Services) -> int:
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "The bridge opens", resolves="2026-12-01 12:00")
    )
    await services.predictions.attach_message(info.id, channel_id=10, message_id=11, thread_id=12)
    return info.id


async def test_racing_claimers_exactly_one_wins(services: Services, clock: FakeClock) -> None:
    """Two processes (here: ten sessions at once) read the same due row: one claim wins."""
    await create(services)
    clock.set(RESOLVES)
    readers = [ReminderService(services.ctx) for _ in range(10)]
    [due] = await readers[0].due(clock.now())
    claims = await asyncio.gather(*(r.claim(due, clock.now()) for r in readers))
    assert sum(c is not None for c in claims) == 1
    assert await readers[0].due(clock.now()) == []  # claimed: out of the due range
    clock.advance(seconds=CLAIM_LEASE.total_seconds())
    [again] = await readers[0].due(clock.now())
    claim = await readers[0].claim(again, clock.now())
    assert claim is not None and claim.unfinished  # expired unfinished claim: look first
    assert again.due_at == RESOLVES


async def test_failures_back_off_then_give_up_visibly(services: Services, clock: FakeClock) -> None:
    reminders = ReminderService(services.ctx)
    await create(services)
    clock.set(RESOLVES)
    waits = []
    for failures in range(1, MAX_FAILURES + 1):
        [due] = await reminders.due(clock.now())
        assert due.due_at == RESOLVES and due.sequence == 1
        claim = await reminders.claim(due, clock.now())
        assert claim is not None and not claim.unfinished
        failed = await reminders.failed(claim, "403 Missing Access", clock.now())
        assert failed.failures == failures
        if failed.retry_at is None:
            break
        waits.append(failed.retry_at - clock.now())
        clock.advance(seconds=(failed.retry_at - clock.now()).total_seconds() - 1)
        assert await reminders.due(clock.now()) == []  # not before its next attempt
        clock.advance(seconds=1)
    assert waits == [backoff(n) for n in range(1, MAX_FAILURES)]
    assert waits[0] == timedelta(minutes=5) and waits[1] == timedelta(minutes=10)
    assert max(waits) <= timedelta(hours=6)
    clock.advance(hours=24)
    assert await reminders.due(clock.now()) == []  # given up: nothing more is tried
    [given_up] = await reminders.given_up(GUILD)
    assert (given_up.number, given_up.kind, given_up.failures) == (1, ReminderKind.DUE, 8)
    assert given_up.last_error == "403 Missing Access" and given_up.due_at == RESOLVES


async def test_a_retry_that_succeeds_keeps_the_cadence(
    services: Services, clock: FakeClock
) -> None:
    reminders = ReminderService(services.ctx)
    pid = await create(services)
    clock.set(RESOLVES)
    [due] = await reminders.due(clock.now())
    claim = await reminders.claim(due, clock.now())
    assert claim is not None
    failed = await reminders.failed(claim, "500", clock.now())
    assert failed.retry_at is not None
    clock.set(failed.retry_at)
    [retry] = await reminders.due(clock.now())
    assert retry.due_at == RESOLVES and not retry.late
    claim = await reminders.claim(retry, clock.now())
    assert claim is not None
    assert await reminders.record(Delivery(retry, 12, 99, holds=claim.holds))
    assert await reminders.deliveries(pid) == [(ReminderKind.DUE, 1, False)]
    clock.set(RESOLVES + timedelta(hours=72))
    [second] = await reminders.due(clock.now())
    assert second.sequence == 2 and second.due_at == RESOLVES + timedelta(hours=72)


async def test_pause_parks_a_server_and_resume_puts_it_back(
    services: Services, clock: FakeClock
) -> None:
    reminders = ReminderService(services.ctx)
    await create(services)
    clock.set(RESOLVES)
    await reminders.pause_guild(GUILD, clock.now())
    assert await reminders.due(clock.now()) == []
    assert await reminders.resume_guild(GUILD + 1) is False
    assert await reminders.resume_guild(GUILD) is True
    [due] = await reminders.due(clock.now())
    assert due.due_at == RESOLVES
    assert await reminders.resume_guild(GUILD) is False  # not paused any more
