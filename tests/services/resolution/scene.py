"""The resolution tests' world: who is who, a prediction three members forecast, and reads of
what resolution wrote (scores, and every column it could touch)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Prediction, PredictionEdit, Score
from tests.conftest import AUTHOR, GUILD, MOD, START, VOTER

THIRD = 2_000_000_000_000_004
BYSTANDER = 2_000_000_000_000_005
MOD_ROLE = 555
OTHER_ROLE = 777
DAY = timedelta(days=1)
RESOLVES_AT = START + 10 * DAY

AUTHOR_ACTOR = Actor(AUTHOR)
ROLE_MODERATOR = Actor(MOD, frozenset({MOD_ROLE}))
SERVER_MANAGER = Actor(MOD, manages_guild=True)


async def create(
    services: Services,
    clock: FakeClock,
    *,
    guild_id: int = GUILD,
    votes: bool = True,
    author_permille: str = "60",
    resolves: str = "2026-12-07 12:00",
) -> int:
    """A prediction resolving on day 10 (or ``resolves``); with ``votes``, three forecasters
    by day 2 (the server has voters follow what they vote on, so they are told of the
    resolution); without, only the author's own forecast."""
    clock.set(START)
    await services.server_config.update_guild(guild_id, voters_follow=True)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=guild_id,
            author_id=AUTHOR,
            statement="The bridge opens",
            resolves=resolves,
            probability=author_permille if votes else None,
        )
    )
    if votes:
        clock.set(START + DAY)
        await services.votes.vote(guild_id, info.id, VOTER, 800, "slash")
        clock.set(START + 2 * DAY)
        await services.votes.vote(guild_id, info.id, THIRD, 200, "button")
    clock.set(START + 3 * DAY)
    return info.id


async def row_of(services: Services, prediction_id: int) -> Prediction:
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None
        return row


async def scores_of(services: Services, prediction_id: int) -> dict[int, Score]:
    async with services.ctx.sessions() as session:
        rows = await session.scalars(select(Score).where(Score.prediction_id == prediction_id))
        return {row.user_id: row for row in rows}


async def everything(services: Services) -> tuple[object, ...]:
    """Every column resolution or reopening could touch, for "nothing was written" checks."""
    async with services.ctx.sessions() as session:
        predictions = await session.execute(
            select(
                Prediction.guild_id,
                Prediction.number,
                Prediction.status,
                Prediction.outcome,
                Prediction.resolver_id,
                Prediction.resolved_at,
                Prediction.resolution_note,
                Prediction.resolution_source,
                Prediction.next_reminder_at,
                Prediction.reminders_sent,
                Prediction.close_warning_at,
                Prediction.community_permille,
                Prediction.community_brier,
                Prediction.community_log,
            ).order_by(Prediction.id)
        )
        scores = await session.execute(
            select(Score.prediction_id, Score.user_id, Score.permille, Score.outcome).order_by(
                Score.prediction_id, Score.user_id
            )
        )
        edits = await session.scalar(select(func.count()).select_from(PredictionEdit))
        return (tuple(predictions), tuple(scores), edits)
