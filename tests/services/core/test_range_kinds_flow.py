"""Numeric and date questions through the unchanged services: created with a range, voted on
(typed or from the form's fields), pooled, resolved with a value or "later", scored with
CRPS and the binned log score relative to the community, and counted in the calibration for
intervals."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput
from bot.domain.kinds import kind_for
from bot.domain.kinds.ranges import RangeForecast, RangeKind, RangeOutcome
from bot.domain.vocabulary import Outcome
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Prediction, Score
from tests.conftest import AUTHOR, GUILD, START, VOTER

THIRD = 2_000_000_000_000_004
DAY = timedelta(days=1)
SEATS = {"low": "0", "high": "650", "unit": "seats", "open_ends": "high"}


async def test_a_numeric_question_is_pooled_resolved_and_scored_against_the_community(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    with pytest.raises(InvalidInput, match="`low` must be below `high`"):
        await services.predictions.create(
            NewPrediction(
                guild_id=GUILD,
                author_id=AUTHOR,
                statement="Seats?",
                resolves="in 10 days",
                kind="numeric",
                kind_fields={**SEATS, "low": "700"},
            )
        )
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="How many seats will the party win?",
            resolves="in 10 days",
            probability="42, 30 to 60",
            kind="numeric",
            kind_fields=SEATS,
        )
    )
    kind = kind_for(info.kind, info.kind_spec)
    assert isinstance(kind, RangeKind)
    clock.set(START + 2 * DAY)
    result = await services.votes.vote(GUILD, info.id, VOTER, "median 80, 80% 50-120", "slash")
    assert kind.describe_forecast(result.forecast) == "median 80 seats, 80 % between 50 and 120"
    with pytest.raises(InvalidInput, match="below your median"):
        await services.votes.vote(GUILD, info.id, THIRD, "42, 50 to 60", "slash")
    form = kind.forecast_from_fields("45", "40", "50")
    await services.votes.vote(GUILD, info.id, THIRD, form, "modal")

    community = await services.votes.community(info.id)
    assert community.count == 3
    pooled = community.pooled
    assert isinstance(pooled, RangeForecast)
    assert 42 < pooled.median < 80
    assert kind.describe_forecast(pooled).startswith("median ")

    clock.set(START + 12 * DAY)
    resolved = await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "45")
    assert resolved.prediction.outcome == Outcome.ANSWERED
    assert resolved.prediction.outcome_value == {"value": 45}
    async with services.ctx.sessions() as session:
        scores = {
            s.user_id: s
            for s in await session.scalars(select(Score).where(Score.prediction_id == info.id))
        }
        row = await session.get(Prediction, info.id)
    assert row is not None
    outcome = RangeOutcome(45)
    author = kind.score(RangeForecast(30, 42, 60), outcome)
    third = kind.score(form, outcome)
    assert scores[AUTHOR].brier == pytest.approx(author.penalty)
    assert scores[AUTHOR].log_score == pytest.approx(author.log)
    assert scores[THIRD].forecast == {"median": 45, "p10": 40, "p90": 50}
    # THIRD joined last and held the sharpest forecast around 45: better than the crowd.
    community_penalty = kind.score(pooled, outcome).penalty
    assert row.community_brier == pytest.approx(community_penalty)
    assert scores[THIRD].relative_brier == pytest.approx(third.penalty - community_penalty)
    assert scores[THIRD].relative_brier < 0 < scores[VOTER].relative_brier

    history = await services.stats.range_history(GUILD, info.id)
    assert history is not None
    assert len(history.steps) == 2  # the author's forecast, then the two at one moment
    assert history.summary == kind.describe_forecast(pooled)
    assert history.outcome == 45
    assert history.voters == 3
    assert sum(history.densities) / len(history.densities) + sum(history.beyond) == (
        pytest.approx(1.0)
    )

    held = await services.stats.interval_calibration(GUILD, THIRD)
    assert (held.held, held.judged) == (1, 1)
    missed = await services.stats.interval_calibration(GUILD, VOTER)
    assert (missed.held, missed.judged) == (0, 1)


async def test_a_date_question_resolves_not_by_the_latest_date_on_its_open_end(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="When will the bridge open?",
            resolves="in 10 days",
            probability="2027-03-01, 2027-01-15 to 2027-06-30",
            kind="date",
            kind_fields={"low": "2027-01-01", "high": "2027-12-31", "open_ends": "high"},
        )
    )
    assert info.kind_spec == {
        "low": "2027-01-01",
        "high": "2027-12-31",
        "open_low": False,
        "open_high": True,
    }
    clock.set(START + DAY)
    await services.votes.vote(
        GUILD, info.id, VOTER, "2027-11-01, 2027-06-01 to 2028-06-01", "slash"
    )
    clock.set(START + 12 * DAY)
    resolved = await services.resolution.resolve(
        GUILD, info.number, Actor(AUTHOR), "not by the latest date"
    )
    assert resolved.prediction.outcome_value == {"beyond": "later"}
    async with services.ctx.sessions() as session:
        logs = dict(
            (
                await session.execute(
                    select(Score.user_id, Score.log_score).where(Score.prediction_id == info.id)
                )
            ).all()
        )
    assert logs[VOTER] > logs[AUTHOR] > -math.inf  # more mass beyond the latest date
    # The author's interval ended before the latest date: it missed. VOTER's reached past
    # it, and "later" does not say by how much: not judged.
    assert (await services.stats.interval_calibration(GUILD, AUTHOR)).judged == 1
    assert (await services.stats.interval_calibration(GUILD, VOTER)).judged == 0
