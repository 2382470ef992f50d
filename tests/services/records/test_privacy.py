"""Forget-me: the member's identity leaves every table; the community's history stays."""

from __future__ import annotations

import asyncio

from sqlalchemy import or_, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.domain.vocabulary import ReminderKind, VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.records.privacy import authored_count, forecast_count
from bot.services.registry import Services
from db.models import (
    Follower,
    MemberName,
    OutsideForecaster,
    Prediction,
    PredictionEdit,
    ReminderDelivery,
    ReminderMessage,
    ResultMessage,
    Score,
    UserSettings,
    Vote,
    VoteEvent,
)
from tests.conftest import AUTHOR, GUILD, OTHER_GUILD, VOTER
from tests.services.records.world import MODERATOR, THIRD, build_world


async def identity_rows(services: Services, user_id: int) -> list[object]:
    """Every stored row that still names ``user_id``."""
    checks = [
        select(Vote.id).where(Vote.user_id == user_id),
        select(VoteEvent.id).where(VoteEvent.user_id == user_id),
        select(Follower.prediction_id).where(Follower.user_id == user_id),
        select(Score.id).where(Score.user_id == user_id),
        select(PredictionEdit.id).where(PredictionEdit.editor_id == user_id),
        select(UserSettings.user_id).where(UserSettings.user_id == user_id),
        select(Prediction.id).where(
            or_(Prediction.author_id == user_id, Prediction.resolver_id == user_id)
        ),
    ]
    found: list[object] = []
    async with services.ctx.sessions() as session:
        for stmt in checks:
            found += list(await session.scalars(stmt))
    return found


async def test_forget_me_removes_identity_and_keeps_history(
    services: Services, clock: FakeClock
) -> None:
    await build_world(services, clock)
    elsewhere = await services.predictions.create(
        NewPrediction(OTHER_GUILD, AUTHOR, "Elsewhere", "in 10 days")
    )
    await services.votes.vote(OTHER_GUILD, elsewhere.id, VOTER, 500, VoteSource.SLASH)
    history_before = await services.stats.history(GUILD, 1)
    other_scores_before = await _scores_except(services, VOTER)
    assert await services.privacy.footprint(VOTER) == (1, 2)  # authored #2; forecast #1, elsewhere

    forgotten = await services.privacy.forget(VOTER)

    assert await identity_rows(services, VOTER) == []
    assert forgotten.servers == 2 and forgotten.predictions == 1 and forgotten.votes == 3
    assert forgotten.scores_deleted == 1
    assert 1 in forgotten.stale_messages and 2 in forgotten.stale_messages
    history_after = await services.stats.history(GUILD, 1)
    assert history_after.community == history_before.community
    assert history_after.voters == history_before.voters
    assert await _scores_except(services, VOTER) == other_scores_before
    second = await services.predictions.get(GUILD, 2)
    assert second.author_id < 0
    async with services.ctx.sessions() as session:
        anonymous = list(await session.scalars(select(OutsideForecaster)))
    assert [(a.guild_id, a.name) for a in anonymous] == [(GUILD, None), (OTHER_GUILD, None)]
    assert second.author_id == -anonymous[0].id
    assert (await services.stats.member(GUILD, VOTER)).resolved == 0


async def test_reopened_and_resolved_again_scores_others_the_same(
    services: Services, clock: FakeClock
) -> None:
    await build_world(services, clock)
    before = await _scores_except(services, VOTER)
    await services.privacy.forget(VOTER)
    # same instant: same scoring window
    await services.resolution.reopen(GUILD, 1, MODERATOR, reason="Recheck")
    await services.resolution.resolve(GUILD, 1, MODERATOR, "yes")
    after = await _scores_except(services, VOTER)
    assert after == before
    async with services.ctx.sessions() as session:
        negative = await session.scalar(select(Score.id).where(Score.user_id < 0))
    assert negative is None  # the anonymous forecaster has no record of their own


async def test_forgetting_a_stranger_changes_nothing(services: Services, clock: FakeClock) -> None:
    await build_world(services, clock)
    forgotten = await services.privacy.forget(123456789)
    assert forgotten.servers == 0 and forgotten.votes == 0
    assert await identity_rows(services, THIRD) != []


async def _scores_except(services: Services, user_id: int) -> list[tuple[int, float, float]]:
    async with services.ctx.sessions() as session:
        rows = await session.execute(
            select(Score.user_id, Score.relative_brier, Score.brier)
            .where(Score.user_id != user_id)
            .order_by(Score.user_id)
        )
        return [(u, r, b) for u, r, b in rows]


async def test_forget_me_also_removes_reasons_names_claims_and_queued_results(
    services: Services, clock: FakeClock
) -> None:
    """What notifications store about a member goes too: the words of their reasons, the
    display name the bot saw, the claims credited to them and result and reminder DMs waiting
    for them."""
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Claimed", "in 10 days", claimant_id=VOTER)
    )
    await services.votes.vote(
        GUILD, info.id, VOTER, 700, VoteSource.MODAL, reason="My private reasoning"
    )
    await services.member_names.seen(GUILD, VOTER, "Voter Name")
    async with services.ctx.sessions.begin() as session:
        session.add(ResultMessage(prediction_id=info.id, user_id=VOTER, queued_at=clock.now()))
        delivery = ReminderDelivery(
            prediction_id=info.id, kind=ReminderKind.DUE, sequence=1, sent_at=clock.now()
        )
        session.add(delivery)
        await session.flush()
        session.add(ReminderMessage(delivery_id=delivery.id, user_id=VOTER, queued_at=clock.now()))

    await services.privacy.forget(VOTER)

    async with services.ctx.sessions() as session:
        reasons = list(
            await session.scalars(select(VoteEvent.reason).where(VoteEvent.reason.is_not(None)))
        )
        reasons += list(await session.scalars(select(Vote.reason).where(Vote.reason.is_not(None))))
        names = list(
            await session.scalars(select(MemberName.user_id).where(MemberName.user_id == VOTER))
        )
        queued = list(
            await session.scalars(
                select(ResultMessage.user_id).where(ResultMessage.user_id == VOTER)
            )
        )
        queued += list(
            await session.scalars(
                select(ReminderMessage.user_id).where(ReminderMessage.user_id == VOTER)
            )
        )
        claimant = await session.scalar(
            select(Prediction.claimant_id).where(Prediction.id == info.id)
        )
    assert reasons == [] and names == [] and queued == [] and claimant is None
    # Voting is still open: the forgotten vote no longer counts (it would count twice after a
    # second vote); the history keeps it, anonymous, until the moment of forgetting.
    assert (await services.predictions.get(GUILD, info.number)).community.count == 0


async def _community(services: Services, prediction_id: int) -> tuple[int, ...]:
    return (await services.votes.community(prediction_id)).permilles


async def test_forget_and_vote_again_counts_the_member_once_round_after_round(
    services: Services, clock: FakeClock
) -> None:
    """Vote, forget, vote again, three times: one member is one forecast in the community, and
    the history keeps each earlier forecast for the time it stood, withdrawn when forgotten."""
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "The bridge opens", "in 30 days", probability="70")
    )
    await services.votes.vote(GUILD, info.id, THIRD, 300, VoteSource.SLASH)
    series: list[tuple[object, ...]] = []
    for round_ in range(3):
        clock.advance(hours=1)
        await services.votes.vote(GUILD, info.id, VOTER, 900 - round_ * 100, VoteSource.SLASH)
        assert await _community(services, info.id) == tuple(sorted((300, 700, 900 - round_ * 100)))
        series.append((await services.stats.history(GUILD, info.id)).community)
        clock.advance(hours=1)
        forgotten = await services.privacy.forget(VOTER)
        assert forgotten.withdrawn == 1 and info.id in forgotten.stale_messages
        assert await _community(services, info.id) == (300, 700)
    clock.advance(hours=1)
    await services.votes.vote(GUILD, info.id, VOTER, 600, VoteSource.SLASH)
    assert await _community(services, info.id) == (300, 600, 700)
    assert (await services.predictions.get(GUILD, info.number)).community.count == 3
    # The past is kept: each series seen before a forget is the start of the final one.
    final = (await services.stats.history(GUILD, info.id)).community
    for before in series:
        assert final[: len(before)] == before
    async with services.ctx.sessions() as session:
        withdrawals = list(
            await session.execute(
                select(VoteEvent.user_id, VoteEvent.permille, VoteEvent.source).where(
                    VoteEvent.prediction_id == info.id, VoteEvent.source == VoteSource.FORGOTTEN
                )
            )
        )
    assert len(withdrawals) == 3 and all(u < 0 and p is None for u, p, _ in withdrawals)
    # Resolved later: the member is scored once, on the forecast they hold now; the anonymous
    # forecasters get no record of their own.
    clock.advance(days=31)
    await services.resolution.resolve(GUILD, info.number, MODERATOR, "yes")
    async with services.ctx.sessions() as session:
        scored = list(
            await session.scalars(select(Score.user_id).where(Score.prediction_id == info.id))
        )
    assert sorted(scored) == sorted([AUTHOR, THIRD, VOTER])


async def test_forget_keeps_votes_where_voting_has_closed(
    services: Services, clock: FakeClock
) -> None:
    """Past its close (resolved or not), a forecast stays, anonymous: it is part of the record."""
    closing = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Closes soon", "in 30 days", closes="in 2 days")
    )
    await services.votes.vote(GUILD, closing.id, VOTER, 800, VoteSource.SLASH)
    clock.advance(days=3)
    forgotten = await services.privacy.forget(VOTER)
    assert forgotten.withdrawn == 0
    community = await _community(services, closing.id)
    assert community == (800,)
    async with services.ctx.sessions() as session:
        owner = await session.scalar(select(Vote.user_id).where(Vote.prediction_id == closing.id))
    assert owner is not None and owner < 0


async def test_forget_on_a_popular_prediction_withdraws_only_the_member(
    services: Services, clock: FakeClock
) -> None:
    """3,000 voters: the forgotten member's vote leaves, everyone else's stays, three times."""
    info = await services.predictions.create(NewPrediction(GUILD, AUTHOR, "Popular", "in 30 days"))
    crowd = [3_000_000_000_000_000 + n for n in range(3_000)]
    await asyncio.gather(
        *(
            services.votes.vote(GUILD, info.id, voter, 10 + (n * 7) % 980, VoteSource.REACTION)
            for n, voter in enumerate(crowd)
        )
    )
    others = await _community(services, info.id)
    assert len(others) == 3_000
    for _ in range(3):
        clock.advance(minutes=5)
        await services.votes.vote(GUILD, info.id, VOTER, 990, VoteSource.SLASH)
        assert len(await _community(services, info.id)) == 3_001
        await services.privacy.forget(VOTER)
        assert await _community(services, info.id) == others


async def test_the_confirmation_counts_by_index_not_by_scanning(engine: AsyncEngine) -> None:
    """Forget-me's confirmation runs before anything is confirmed; at a million predictions
    a whole-table read per click would be a cheap way to load the bot."""
    if engine.dialect.name != "sqlite":
        return  # the plan shape is checked on SQLite
    for statement, index in (
        (authored_count(VOTER), "ix_predictions_author"),
        (forecast_count(VOTER), "ix_votes_user"),
    ):
        compiled = statement.compile(
            dialect=sqlite.dialect(paramstyle="named"), compile_kwargs={"literal_binds": True}
        )
        async with engine.connect() as connection:
            rows = await connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            plan = " | ".join(str(row[-1]) for row in rows)
        assert index in plan and "SEARCH" in plan and "SCAN" not in plan, plan
