"""A small server with every kind of record, for the export and import tests."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.vocabulary import VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, MOD, VOTER

THIRD = 2_000_000_000_000_004
MODERATOR = Actor(MOD, manages_guild=True)


async def build_world(services: Services, clock: FakeClock) -> None:
    """#1 resolved YES (three voters, one changed their mind), #2 open with an edit and a
    retraction, #3 cancelled; tags, follows, a member time zone and server settings."""
    await services.server_config.update_guild(GUILD, reminder_count=2, timezone="Europe/Paris")
    await services.timezones.set_member_zone(VOTER, "America/New_York")
    first = await services.predictions.create(
        NewPrediction(
            GUILD,
            AUTHOR,
            "The bridge opens",
            "in 10 days",
            probability="70",
            tags="Infrastructure, city",
        )
    )
    second = await services.predictions.create(
        NewPrediction(
            GUILD,
            VOTER,
            'Rain, "heavy" rain',
            "in 30 days",
            details="Per the met office",
            tags="weather",
        )
    )
    await services.predictions.create(NewPrediction(GUILD, THIRD, "Cancelled one", "in 5 days"))
    clock.advance(hours=1)
    await services.votes.vote(GUILD, first.id, VOTER, 400, VoteSource.SLASH)
    await services.votes.vote(GUILD, second.id, AUTHOR, 250, VoteSource.REACTION)
    await services.votes.vote(GUILD, second.id, THIRD, 600, VoteSource.BUTTON)
    clock.advance(hours=1)
    await services.votes.vote(GUILD, first.id, VOTER, 800, VoteSource.MODAL)
    await services.votes.vote(GUILD, first.id, THIRD, 200, VoteSource.SLASH)
    await services.votes.retract(GUILD, second.id, THIRD, VoteSource.REACTION)
    await services.votes.set_following(GUILD, first.id, THIRD, True)
    await services.predictions.edit(GUILD, 2, Actor(VOTER), details="Met office, Heathrow station")
    await services.predictions.cancel(GUILD, 3, MODERATOR)
    clock.advance(days=2)
    await services.resolution.resolve(GUILD, 1, MODERATOR, "yes", note="Opened today")
