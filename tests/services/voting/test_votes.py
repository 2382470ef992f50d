"""Voting through the one service call every path uses."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import (
    InvalidInput,
    InvalidState,
    NotFound,
    PredictionNotFound,
    VotingClosed,
)
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Vote, VoteEvent
from tests.conftest import AUTHOR, GUILD, OTHER_GUILD, VOTER


async def create(services: Services, **kw: str) -> PredictionInfo:
    return await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="It rains",
            resolves=kw.pop("resolves", "in 10 days"),
            **kw,
        )  # type: ignore[arg-type]
    )


async def rows(services: Services, model: type) -> int:
    async with services.ctx.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_new_vote_replaces_and_history_keeps_every_change(
    services: Services, clock: FakeClock
) -> None:
    info = await create(services)
    first = await services.votes.vote(GUILD, info.id, VOTER, 600, "slash")
    clock.advance(minutes=5)
    second = await services.votes.vote(
        GUILD, info.id, VOTER, 725, "modal", reason="  The contract is signed.  "
    )
    assert (first.previous, second.previous, second.permille) == (None, 600, 725)
    assert second.previous_source == "slash"
    community = await services.votes.community(info.id)
    assert community.count == 1 and community.median == 725
    mine = await services.votes.my_vote(GUILD, info.id, VOTER)
    assert mine.current == 725
    assert [(p, s) for _, p, s in mine.history] == [(600, "slash"), (725, "modal")]
    assert not mine.following  # voting does not follow unless the server turns it on
    assert mine.reason == "The contract is signed."  # kept with the vote, trimmed
    async with services.ctx.sessions() as session:
        reasons = (await session.scalars(select(VoteEvent.reason).order_by(VoteEvent.id))).all()
    assert reasons == [None, "The contract is signed."]


async def test_a_reason_over_1000_characters_is_refused_and_nothing_is_written(
    services: Services,
) -> None:
    info = await create(services)
    with pytest.raises(InvalidInput, match="1001 characters; the limit is 1000"):
        await services.votes.vote(GUILD, info.id, VOTER, 600, "modal", reason="x" * 1001)
    assert await rows(services, VoteEvent) == 0
    await services.votes.vote(GUILD, info.id, VOTER, 600, "modal", reason="x" * 1000)
    assert (await services.votes.my_vote(GUILD, info.id, VOTER)).reason == "x" * 1000


async def test_retract_only_when_matching(services: Services) -> None:
    info = await create(services)
    await services.votes.vote(GUILD, info.id, VOTER, 700, "reaction")
    assert await services.votes.retract(GUILD, info.id, VOTER, "reaction", only_if=300) is None
    result = await services.votes.retract(GUILD, info.id, VOTER, "reaction", only_if=700)
    assert result is not None and result.previous == 700 and result.permille is None
    assert (await services.votes.community(info.id)).count == 0
    assert await services.votes.retract(GUILD, info.id, VOTER, "reaction") is None
    mine = await services.votes.my_vote(GUILD, info.id, VOTER)
    assert [p for _, p, _ in mine.history] == [700, None]


async def test_voting_stops_at_close_time(services: Services, clock: FakeClock) -> None:
    info = await create(services, resolves="in 10 days", closes="in 2 days")
    clock.advance(timedelta(days=3))
    with pytest.raises(VotingClosed, match="closed"):
        await services.votes.vote(GUILD, info.id, VOTER, 500, "slash")
    assert await rows(services, Vote) == 0


async def test_cancelled_other_guild_and_missing_are_refused(services: Services) -> None:
    info = await create(services)
    with pytest.raises(NotFound):
        await services.votes.vote(OTHER_GUILD, info.id, VOTER, 500, "button")
    with pytest.raises(NotFound):
        await services.votes.vote(GUILD, info.id + 99, VOTER, 500, "button")
    with pytest.raises(PredictionNotFound):
        await services.votes.target_by_number(GUILD, 42)
    await services.predictions.cancel(GUILD, info.number, Actor(AUTHOR))
    with pytest.raises(InvalidState, match="cancelled"):
        await services.votes.vote(GUILD, info.id, VOTER, 500, "slash")
    assert await rows(services, VoteEvent) == 0


async def test_one_current_vote_under_concurrent_writes(services: Services) -> None:
    """Concurrent transactions, not one batch: the writer merges a batch's votes in memory, so
    here every vote is its own transaction through one of four engines (as four processes
    would), and the database's constraint and locks keep one current vote per member."""
    from bot.services.core.context import ServiceContext
    from bot.services.voting.writer import VoteRequest, VoteWriter
    from db.engine import create_engine, create_session_factory

    info = await create(services)
    url = services.ctx.sessions.kw["bind"].url.render_as_string(hide_password=False)
    engines = [create_engine(url) for _ in range(4)]
    writers = [
        VoteWriter(ServiceContext(create_session_factory(e), services.ctx.clock), max_batch=1)
        for e in engines
    ]
    members = [VOTER + i for i in range(6)]
    requests = [
        VoteRequest(GUILD, info.id, member, 100 + 10 * round_ + member % 7, "reaction")
        for round_ in range(8)
        for member in members
    ]
    try:
        results = await asyncio.gather(
            *(writers[i % 4].submit(r) for i, r in enumerate(requests)), return_exceptions=True
        )
    finally:
        for e in engines:
            await e.dispose()
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert await rows(services, Vote) == len(members)
    assert await rows(services, VoteEvent) == len(requests)
    for member in members:
        mine = await services.votes.my_vote(GUILD, info.id, member)
        # The current vote is the last one written, as recorded in the history.
        assert mine.current == mine.history[-1][1]


async def test_two_processes_share_one_database(services: Services, engine: object) -> None:
    """A second engine on the same database (another process) keeps the constraint."""
    from bot.services.core.context import ServiceContext
    from bot.services.voting.service import VoteService
    from db.engine import create_engine, create_session_factory

    info = await create(services)
    other_engine = create_engine(
        str(services.ctx.sessions.kw["bind"].url.render_as_string(hide_password=False))
    )
    other = VoteService(ServiceContext(create_session_factory(other_engine), services.ctx.clock))
    try:
        await asyncio.gather(
            *(
                svc.vote(GUILD, info.id, VOTER, 100 + i * 10, "slash")
                for i, svc in enumerate([services.votes, other] * 10)
            )
        )
    finally:
        await other_engine.dispose()
    assert await rows(services, Vote) == 1


async def test_follow_toggle_and_explicit_unfollow_survives_voting(services: Services) -> None:
    info = await create(services)
    assert await services.votes.set_following(GUILD, info.id, VOTER) is True
    assert await services.votes.set_following(GUILD, info.id, VOTER) is False
    await services.votes.vote(GUILD, info.id, VOTER, 400, "slash")
    assert (await services.votes.my_vote(GUILD, info.id, VOTER)).following is False
    assert await services.votes.set_following(GUILD, info.id, VOTER, True) is True


async def test_votes_flag_the_message_for_rerender_until_rendered(services: Services) -> None:
    info = await create(services)
    assert await services.message_state.pending() == []
    await services.votes.vote(GUILD, info.id, VOTER, 400, "slash")
    assert await services.message_state.pending() == [info.id]
    rendered = await services.predictions.by_id(info.id)
    assert rendered is not None
    await services.votes.vote(GUILD, info.id, AUTHOR, 500, "slash")
    # A vote after the rendered state was read keeps the flag: the message is still behind.
    await services.message_state.mark_rendered(info.id, rendered.render_version)
    assert await services.message_state.pending() == [info.id]
    latest = await services.predictions.by_id(info.id)
    assert latest is not None
    await services.message_state.mark_rendered(info.id, latest.render_version)
    assert await services.message_state.pending() == []
