"""A server on the web with one of every case the privacy rules cover, for the web tests."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.vocabulary import Visibility, VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, MOD, OTHER_GUILD, VOTER

PRIVATE_MEMBER = 2_000_000_000_000_010  # said /privacy web off
GONE = 2_000_000_000_000_011  # asked to be forgotten
NAMES = {
    AUTHOR: "Ada Author",
    VOTER: "Vic Voter",
    PRIVATE_MEMBER: "Priscilla Private",
    GONE: "Gustav Gone",
    MOD: "Mo Moderator",
}
SERVER_NAME = "Forecasters Guild"
OTHER_NAME = "Quiet Club"
MODERATOR = Actor(MOD, manages_guild=True)


@dataclass(frozen=True)
class World:
    resolved: int = 1  # public, resolved YES, everyone voted
    open_visible: int = 2  # public, open, votes visible
    private: int = 3  # posted in a channel @everyone cannot read
    hidden: int = 4  # public, votes hidden until close
    unknown: int = 5  # channel never checked
    other: int = 1  # in OTHER_GUILD, which never opted in


async def build(services: Services, clock: FakeClock) -> World:
    await services.web.set_server(GUILD, True, SERVER_NAME)
    await services.web.set_server(OTHER_GUILD, False, OTHER_NAME)
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    for user_id, name in NAMES.items():
        await services.member_names.seen(GUILD, user_id, name)
        await services.member_names.seen(OTHER_GUILD, user_id, name)
    await services.web.set_member_hidden(PRIVATE_MEMBER, True)

    def new(statement: str, **extra: object) -> NewPrediction:
        return NewPrediction(GUILD, AUTHOR, statement, "in 10 days", **extra)  # type: ignore[arg-type]

    first = await services.predictions.create(new("The bridge opens", tags="city"))
    second = await services.predictions.create(
        new("Rain on the parade", details="Per the met office")
    )
    third = await services.predictions.create(new("Secret layoffs at Initech", tags="layoffs"))
    fourth = await services.predictions.create(
        new("Sealed-bid auction closes high", visibility=Visibility.HIDDEN_UNTIL_CLOSE)
    )
    await services.predictions.create(new("Never checked channel"))
    elsewhere = await services.predictions.create(
        NewPrediction(OTHER_GUILD, AUTHOR, "Quiet club prediction", "in 10 days")
    )
    for info in (first, second, fourth):
        await services.web.record_prediction(info.id, True)
    await services.web.record_prediction(third.id, False)
    await services.web.record_prediction(elsewhere.id, True)
    clock.advance(hours=1)
    for user_id, permille in ((VOTER, 810), (PRIVATE_MEMBER, 620), (GONE, 330)):
        await services.votes.vote(GUILD, first.id, user_id, permille, VoteSource.SLASH)
        await services.votes.vote(GUILD, second.id, user_id, permille - 100, VoteSource.SLASH)
        await services.votes.vote(GUILD, third.id, user_id, 440, VoteSource.SLASH)
    await services.votes.vote(GUILD, fourth.id, VOTER, 930, VoteSource.SLASH)
    await services.predictions.edit(GUILD, 2, MODERATOR, details="Met office, Heathrow station")
    clock.advance(hours=1)
    await services.resolution.resolve(GUILD, 1, MODERATOR, "yes", note="Opened <b>today</b>")
    await services.privacy.forget(GONE)
    return World()
