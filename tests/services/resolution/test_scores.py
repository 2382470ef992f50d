"""Scores written at resolution, checked against values computed by hand.

Times are in days from the fake clock's start; every prediction resolves (and, unless said
otherwise, closes) on day 10.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.clock import FakeClock
from bot.forecasting.scoring import relative_brier
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.resolution.score_writer import remove_scores, score_card, write_scores
from db.models import Prediction, Score, Vote, VoteEvent
from tests.conftest import AUTHOR, GUILD, START, VOTER

THIRD = 2_000_000_000_000_004
DAY = timedelta(days=1)


async def create(services: Services, closes: str | None = None) -> PredictionInfo:
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="The bridge opens",
            resolves="2026-12-07 12:00",
            closes=closes,
        )
    )
    assert info.resolves_at == START + 10 * DAY
    return info


def at(clock: FakeClock, day: float) -> None:
    clock.set(START + day * DAY)


async def resolve(services: Services, prediction_id: int, outcome: str) -> None:
    async with services.ctx.sessions.begin() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None
        await write_scores(session, row, outcome, services.ctx.clock.now())


async def reopen(services: Services, prediction_id: int) -> None:
    async with services.ctx.sessions.begin() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None
        await remove_scores(session, row)


async def scores_of(services: Services, prediction_id: int) -> dict[int, Score]:
    async with services.ctx.sessions() as session:
        rows = await session.scalars(select(Score).where(Score.prediction_id == prediction_id))
        return {row.user_id: row for row in rows}


async def community_of(services: Services, prediction_id: int) -> tuple[object, ...]:
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None
        return (row.community_permille, row.community_brier, row.community_log)


async def test_scores_match_hand_computed_values(services: Services, clock: FakeClock) -> None:
    """Community: 50 % (day 0–2), 65 % (day 2–6), 55 % (day 6–10); YES."""
    info = await create(services)
    await services.votes.vote(GUILD, info.id, AUTHOR, 500, "slash")
    at(clock, 2)
    await services.votes.vote(GUILD, info.id, VOTER, 800, "slash")
    at(clock, 6)
    await services.votes.vote(GUILD, info.id, VOTER, 600, "button")
    at(clock, 10)
    await resolve(services, info.id, "yes")

    scores = await scores_of(services, info.id)
    assert set(scores) == {AUTHOR, VOTER}
    author, voter = scores[AUTHOR], scores[VOTER]
    # The author held 50 % all along; the community averaged (2·.25 + 4·.1225 + 4·.2025) / 10.
    assert (author.permille, author.outcome) == (500, True)
    assert author.brier == pytest.approx(0.25)
    assert author.log_score == pytest.approx(math.log(0.5))
    assert author.time_brier == pytest.approx(0.25)
    assert author.relative_brier == pytest.approx(0.25 - 0.18)
    # The voter: 80 % for 4 days, 60 % for 4 days → (4·.04 + 4·.16) / 8 = 0.10, against the
    # community over the voter's own window, day 2–10: (4·.1225 + 4·.2025) / 8 = 0.1625.
    assert voter.permille == 600
    assert voter.brier == pytest.approx(0.16)
    assert voter.log_score == pytest.approx(math.log(0.6))
    assert voter.time_brier == pytest.approx(0.10)
    assert voter.relative_brier == pytest.approx(0.10 - 0.1625)
    assert voter.guild_id == GUILD and voter.resolved_at == START + 10 * DAY
    # The same figure as bot.forecasting.scoring's reference implementation.
    community = [(START, 500.0), (START + 2 * DAY, 650.0), (START + 6 * DAY, 550.0)]
    member = [(START + 2 * DAY, 0.8), (START + 6 * DAY, 0.6)]
    expected = relative_brier(member, [(t, v / 1000) for t, v in community], clock.now(), True)
    assert voter.relative_brier == pytest.approx(expected)
    # The community's own record: its median at the end, 55 %.
    assert await community_of(services, info.id) == pytest.approx((550.0, 0.45**2, math.log(0.55)))


async def test_no_outcome_scores_the_other_side(services: Services, clock: FakeClock) -> None:
    info = await create(services)
    await services.votes.vote(GUILD, info.id, VOTER, 300, "slash")
    at(clock, 10)
    await resolve(services, info.id, "no")
    voter = (await scores_of(services, info.id))[VOTER]
    assert voter.outcome is False
    assert voter.brier == pytest.approx(0.09) and voter.time_brier == pytest.approx(0.09)
    assert voter.log_score == pytest.approx(math.log(0.7))
    assert voter.relative_brier == pytest.approx(0.0)  # alone, the member is the community
    assert await community_of(services, info.id) == pytest.approx((300.0, 0.09, math.log(0.7)))


async def test_forecast_at_close_counts(services: Services, clock: FakeClock) -> None:
    """Closes day 5: a forecast retracted before it is scored for the day it stood, a write
    after it is ignored."""
    info = await create(services, closes="2026-12-02 12:00")
    await services.votes.vote(GUILD, info.id, AUTHOR, 400, "slash")
    at(clock, 1)
    await services.votes.vote(GUILD, info.id, VOTER, 800, "slash")
    at(clock, 2)
    await services.votes.vote(GUILD, info.id, THIRD, 600, "slash")
    at(clock, 3)
    await services.votes.retract(GUILD, info.id, THIRD, "slash")
    # A write that slipped in after the close (the service refuses these; the data may not).
    async with services.ctx.sessions.begin() as session:
        session.add(
            VoteEvent(
                prediction_id=info.id,
                user_id=VOTER,
                permille=100,
                source="slash",
                created_at=START + 7 * DAY,
            )
        )
        await session.execute(update(Vote).where(Vote.user_id == VOTER).values(permille=100))
    at(clock, 10)
    await resolve(services, info.id, "yes")

    scores = await scores_of(services, info.id)
    assert set(scores) == {AUTHOR, VOTER, THIRD}
    assert scores[VOTER].permille == 800
    assert scores[VOTER].time_brier == pytest.approx(0.04)
    # THIRD held 60 % on day 2–3 only: scored on it, over that day (the community said 60 %).
    assert scores[THIRD].permille == 600
    assert scores[THIRD].time_brier == pytest.approx(0.16)
    assert scores[THIRD].relative_brier == pytest.approx(0.0)
    # The community is 40 % on day 0–1, then 60 % to the close (with THIRD or without).
    assert scores[AUTHOR].relative_brier == pytest.approx(0.36 - (0.36 + 4 * 0.16) / 5)
    assert (await community_of(services, info.id))[0] == 600.0


async def test_early_resolution_ends_the_window(services: Services, clock: FakeClock) -> None:
    info = await create(services)
    await services.votes.vote(GUILD, info.id, AUTHOR, 500, "slash")
    at(clock, 2)
    await services.votes.vote(GUILD, info.id, VOTER, 800, "slash")
    at(clock, 3)
    await resolve(services, info.id, "yes")
    scores = await scores_of(services, info.id)
    # Community: 50 % for 2 days, 65 % for 1 day → (0.5 + 0.1225) / 3.
    community = (0.5 + 0.1225) / 3
    assert scores[AUTHOR].relative_brier == pytest.approx(0.25 - community)
    assert scores[VOTER].relative_brier == pytest.approx(0.04 - 0.1225)
    assert scores[VOTER].resolved_at == START + 3 * DAY


async def test_retracted_time_counts_for_nobody(services: Services, clock: FakeClock) -> None:
    """The voter says 90 % (day 1–3), retracts, then says 70 % (day 5–10)."""
    info = await create(services)
    await services.votes.vote(GUILD, info.id, AUTHOR, 500, "slash")
    at(clock, 1)
    await services.votes.vote(GUILD, info.id, VOTER, 900, "slash")
    at(clock, 3)
    await services.votes.retract(GUILD, info.id, VOTER, "slash")
    at(clock, 5)
    await services.votes.vote(GUILD, info.id, VOTER, 700, "slash")
    at(clock, 10)
    await resolve(services, info.id, "yes")
    voter = (await scores_of(services, info.id))[VOTER]
    assert voter.permille == 700 and voter.brier == pytest.approx(0.09)
    # Held 7 days: 2 at 90 % and 5 at 70 %; the community was 70 % then 60 % meanwhile.
    assert voter.time_brier == pytest.approx((2 * 0.01 + 5 * 0.09) / 7)
    assert voter.relative_brier == pytest.approx((0.47 - (2 * 0.09 + 5 * 0.16)) / 7)
    author = (await scores_of(services, info.id))[AUTHOR]
    assert author.relative_brier == pytest.approx(0.25 - (0.25 + 0.18 + 0.5 + 0.8) / 10)


async def test_ambiguous_is_never_scored(services: Services, clock: FakeClock) -> None:
    info = await create(services)
    await services.votes.vote(GUILD, info.id, VOTER, 700, "slash")
    at(clock, 10)
    await resolve(services, info.id, "ambiguous")
    assert await scores_of(services, info.id) == {}
    assert await community_of(services, info.id) == (None, None, None)


async def test_reopen_removes_scores_and_resolving_again_replaces(
    services: Services, clock: FakeClock
) -> None:
    info = await create(services)
    await services.votes.vote(GUILD, info.id, VOTER, 700, "slash")
    at(clock, 10)
    await resolve(services, info.id, "yes")
    assert set(await scores_of(services, info.id)) == {VOTER}
    await reopen(services, info.id)
    assert await scores_of(services, info.id) == {}
    assert await community_of(services, info.id) == (None, None, None)
    await resolve(services, info.id, "no")
    await resolve(services, info.id, "no")  # twice: replaced, never duplicated
    scores = await scores_of(services, info.id)
    assert len(scores) == 1 and scores[VOTER].outcome is False


async def test_a_retracted_forecast_is_scored_but_leaves_the_final_community_empty(
    services: Services, clock: FakeClock
) -> None:
    """Nobody holds a vote at the end: the member who held 70 % for a day is still scored on
    it, and the community has no final forecast of its own."""
    info = await create(services)
    await services.votes.vote(GUILD, info.id, VOTER, 700, "slash")
    at(clock, 1)
    await services.votes.retract(GUILD, info.id, VOTER, "slash")
    at(clock, 10)
    await resolve(services, info.id, "yes")
    scores = await scores_of(services, info.id)
    assert set(scores) == {VOTER}
    assert (scores[VOTER].permille, scores[VOTER].brier) == (700, pytest.approx(0.09))
    assert scores[VOTER].time_brier == pytest.approx(0.09)
    assert scores[VOTER].relative_brier == pytest.approx(0.0)  # they were the community
    assert await community_of(services, info.id) == (None, None, None)


def test_a_vote_retracted_in_the_same_instant_never_stood() -> None:
    t0 = START
    events = [
        (t0, AUTHOR, 500),
        (t0 + DAY, VOTER, 900),
        (t0 + DAY, VOTER, None),
        (t0 + 2 * DAY, VOTER, 600),
    ]
    card = score_card(events, t0 + 4 * DAY, True)
    voter = next(m for m in card.members if m.user_id == VOTER)
    assert voter.time_brier == pytest.approx(0.16)  # the 90 % had no time at all
    assert voter.relative_brier == pytest.approx(0.16 - 0.45**2)  # community 55 %
    assert card.community_permille == 550.0


async def test_unknown_outcome_is_a_bug() -> None:
    with pytest.raises(ValueError, match="outcome"):
        await write_scores(None, None, "maybe", START)  # type: ignore[arg-type]
