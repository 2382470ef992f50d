"""Votes that race a resolution, a stuck database, or a flood: none lost, none ghost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import bot.services.resolution.service
from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import Busy, InvalidState
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.voting.writer import VoteRequest, VoteWriter
from db.models import Score, VoteEvent
from tests.conftest import AUTHOR, GUILD, VOTER


async def test_a_vote_racing_a_resolution_is_refused_or_scored_never_lost(
    services: Services, engine: AsyncEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The resolve claims the prediction, then — before it commits — a vote starts."""
    info = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Race", resolves="in 10 days")
    )
    await services.votes.vote(GUILD, info.id, AUTHOR, 600, "slash")
    clock.advance(days=1)
    paused, release = asyncio.Event(), asyncio.Event()
    resolver_connection: list[Any] = []
    original = bot.services.resolution.service.write_scores

    async def paused_write_scores(session: AsyncSession, *args: Any) -> None:
        raw = await (await session.connection()).get_raw_connection()
        resolver_connection.append(raw.dbapi_connection)
        paused.set()
        await release.wait()  # the prediction is claimed as resolved, not yet committed
        await original(session, *args)

    def release_on_first_vote_statement(conn: Any, *_: Any) -> None:
        if paused.is_set() and conn.connection.dbapi_connection is not resolver_connection[0]:
            release.set()

    monkeypatch.setattr(bot.services.resolution.service, "write_scores", paused_write_scores)
    resolving = asyncio.create_task(
        services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "yes")
    )
    await paused.wait()
    event.listen(engine.sync_engine, "before_cursor_execute", release_on_first_vote_statement)
    try:
        vote, _ = await asyncio.gather(
            services.votes.vote(GUILD, info.id, VOTER, 900, "button"),
            resolving,
            return_exceptions=True,
        )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", release_on_first_vote_statement)

    assert isinstance(vote, InvalidState) and "closed" in str(vote), vote
    async with services.ctx.sessions() as session:
        ghost = await session.scalar(
            select(func.count()).select_from(VoteEvent).where(VoteEvent.user_id == VOTER)
        )
        scored = await session.scalar(select(func.count()).select_from(Score))
    assert ghost == 0  # nothing stored that was not scored
    assert scored == 1  # the author, who voted before the resolution


class FailingSessions:
    """A session factory whose transactions fail with ``error`` (counting the attempts)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.attempts = 0

    def begin(self) -> FailingSessions:
        self.attempts += 1
        return self

    async def __aenter__(self) -> None:
        raise self.error

    async def __aexit__(self, *_: object) -> None:
        return None


def writer_with(sessions: FailingSessions, clock: FakeClock, **kw: int) -> VoteWriter:
    return VoteWriter(ServiceContext(sessions, clock), **kw)  # type: ignore[arg-type]


async def burst(writer: VoteWriter, count: int) -> list[Any]:
    return await asyncio.gather(
        *(writer.submit(VoteRequest(GUILD, 1, VOTER + i, 500, "reaction")) for i in range(count)),
        return_exceptions=True,
    )


async def test_a_locked_database_fails_the_batch_once_instead_of_vote_by_vote(
    clock: FakeClock,
) -> None:
    locked = FailingSessions(OperationalError("INSERT", {}, Exception("database is locked")))
    results = await burst(writer_with(locked, clock), 50)
    assert all(isinstance(r, OperationalError) for r in results)
    assert locked.attempts == 1  # not 1 + 50 waits of the busy timeout


async def test_an_integrity_error_is_retried_vote_by_vote(clock: FakeClock) -> None:
    broken = FailingSessions(IntegrityError("INSERT", {}, Exception("constraint")))
    results = await burst(writer_with(broken, clock), 20)
    assert all(isinstance(r, IntegrityError) for r in results)
    assert broken.attempts == 1 + 20


async def test_past_the_queue_bound_voters_hear_busy(clock: FakeClock) -> None:
    class Stuck(FailingSessions):
        async def __aenter__(self) -> None:
            await asyncio.Event().wait()  # a database that never answers

    writer = writer_with(Stuck(Exception()), clock, max_batch=10, max_queue=30)
    waiting = [
        asyncio.create_task(writer.submit(VoteRequest(GUILD, 1, VOTER + i, 500, "slash")))
        for i in range(40)
    ]
    for _ in range(5):
        await asyncio.sleep(0)
    refused = [t for t in waiting if t.done()]
    assert len(refused) == 40 - 30  # the queue holds thirty; the rest are told at once
    assert all(isinstance(t.exception(), Busy) for t in refused)
    assert "try again in a moment" in str(refused[0].exception())
    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)
