"""Predictions that resolve with votes, through the real services (what a season counts)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD

MOD_ACTOR = Actor(AUTHOR, manages_guild=True)


async def resolved(
    services: Services,
    clock: FakeClock,
    votes: Mapping[int, int],
    outcome: str,
    *,
    statement: str = "It happens",
    tags: str | None = None,
    guild_id: int = GUILD,
) -> int:
    """A prediction voted on by ``votes`` (member → per-mille), resolved now; its number."""
    info = await services.predictions.create(
        NewPrediction(
            guild_id=guild_id,
            author_id=AUTHOR,
            statement=statement,
            resolves="in 30 days",
            tags=tags,
        )
    )
    for user_id, permille in votes.items():
        await services.votes.vote(guild_id, info.id, user_id, permille, "slash")
    clock.advance(hours=1)
    await services.resolution.resolve(guild_id, info.number, MOD_ACTOR, outcome)
    return info.number
