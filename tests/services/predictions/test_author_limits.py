"""After others voted and voting closed, the author alone can't erase everyone's scores."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import NotAllowed
from bot.domain.vocabulary import Outcome, Status
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, MOD, VOTER

AUTHOR_ACTOR = Actor(AUTHOR)
MODERATOR = Actor(MOD, manages_guild=True)


async def prediction(services: Services, clock: FakeClock, *, others_vote: bool) -> int:
    """#1, closing in a week; VOTER votes if ``others_vote``; then voting closes."""
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "The bridge opens", "in 7 days", probability="60")
    )
    if others_vote:
        await services.votes.vote(GUILD, info.id, VOTER, 300, "slash")
    clock.advance(days=8)
    return info.number


@pytest.mark.parametrize("others_vote", [True, False])
async def test_the_author_alone_cannot_cancel_resolve_ambiguous_or_move_the_date(
    services: Services, clock: FakeClock, others_vote: bool
) -> None:
    number = await prediction(services, clock, others_vote=others_vote)
    attempts = [
        lambda: services.predictions.cancel(GUILD, number, AUTHOR_ACTOR),
        lambda: services.resolution.resolve(GUILD, number, AUTHOR_ACTOR, Outcome.AMBIGUOUS),
        lambda: services.predictions.edit(GUILD, number, AUTHOR_ACTOR, resolves="in 3 months"),
    ]
    if not others_vote:  # nobody else's score is at stake: the author still may
        await attempts[2]()
        await attempts[0]()
        return
    for attempt in attempts:
        with pytest.raises(NotAllowed, match="only a moderator"):
            await attempt()
    assert (await services.predictions.get(GUILD, number)).status == Status.OPEN
    # YES and NO stay the author's to call; a moderator may do the rest.
    await services.predictions.edit(GUILD, number, MODERATOR, resolves="in 3 months")
    clock.advance(days=100)
    resolved = await services.resolution.resolve(GUILD, number, MODERATOR, Outcome.AMBIGUOUS)
    assert resolved.prediction.outcome == Outcome.AMBIGUOUS


async def test_before_voting_closes_the_author_may_still_cancel(
    services: Services, clock: FakeClock
) -> None:
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "The bridge opens", "in 7 days")
    )
    await services.votes.vote(GUILD, info.id, VOTER, 300, "slash")
    cancelled = await services.predictions.cancel(GUILD, info.number, AUTHOR_ACTOR)
    assert cancelled.status == Status.CANCELLED


async def test_history_lists_every_change_with_who_and_when(
    services: Services, clock: FakeClock
) -> None:
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "The bridge opens", "in 7 days")
    )
    clock.advance(hours=1)
    await services.predictions.edit(GUILD, 1, AUTHOR_ACTOR, details="Per the council")
    clock.advance(days=8)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, Outcome.YES)
    await services.resolution.reopen(GUILD, 1, MODERATOR)
    for _ in range(12):
        await services.predictions.edit(GUILD, 1, MODERATOR, details=f"{_}")
    await services.predictions.cancel(GUILD, 1, MODERATOR)

    first = await services.history.page(GUILD, 1, 0)
    assert (first.total, first.pages) == (17, 2)
    fields = [(e.field, e.user_id, e.old, e.new) for e in first.entries[:4]]
    assert fields == [
        ("created", AUTHOR, None, "The bridge opens"),
        ("details", AUTHOR, None, "Per the council"),
        ("outcome", AUTHOR, None, "yes"),
        ("outcome", MOD, "yes", None),
    ]
    assert first.entries[0].when == info.created_at
    last = await services.history.page(GUILD, 1, 1)
    assert len(last.entries) == 7 and last.entries[-1].field == "status"
    assert last.entries[-1].new == Status.CANCELLED
