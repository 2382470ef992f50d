"""Every change a prediction's public message shows marks it stale in the same transaction.

The keeper of public messages (``bot.runtime.public_messages``) redraws what is marked, on
start too; a render clears the mark only if nothing changed since the state it drew was read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.domain.actor import Actor
from bot.domain.errors import InvalidState
from bot.domain.vocabulary import VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, VOTER

Change = Callable[[Services, int], Awaitable[object]]
ACTOR = Actor(AUTHOR)


async def posted(services: Services) -> int:
    """A prediction whose message was posted and drawn (nothing pending)."""
    info = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="It rains", resolves="in 3 days")
    )
    await services.predictions.attach_message(info.id, channel_id=1, message_id=2, thread_id=None)
    assert await services.message_state.pending() == []
    return info.id


async def _vote(services: Services, _id: int) -> object:
    return await services.votes.vote(GUILD, _id, VOTER, 700, VoteSource.SLASH)


async def _edit(services: Services, _id: int) -> object:
    return await services.predictions.edit(GUILD, 1, ACTOR, details="Measured at the airport")


async def _cancel(services: Services, _id: int) -> object:
    return await services.predictions.cancel(GUILD, 1, ACTOR)


async def _resolve(services: Services, _id: int) -> object:
    return await services.resolution.resolve(GUILD, 1, ACTOR, "yes")


async def _reopen(services: Services, prediction_id: int) -> object:
    await _resolve(services, prediction_id)
    info = await services.message_state.current(prediction_id)
    assert info is not None
    await services.message_state.mark_rendered(prediction_id, info.render_version)
    return await services.resolution.reopen(GUILD, 1, ACTOR)


@pytest.mark.parametrize(
    "change",
    [_vote, _edit, _cancel, _resolve, _reopen],
    ids=["vote", "edit", "cancel", "resolve", "reopen"],
)
async def test_each_change_marks_the_message_until_a_render_of_it(
    services: Services, change: Change
) -> None:
    prediction_id = await posted(services)
    before = await services.message_state.current(prediction_id)
    assert before is not None
    await change(services, prediction_id)
    assert await services.message_state.pending() == [prediction_id]
    # A render of the state read before the change does not clear the mark …
    await services.message_state.mark_rendered(prediction_id, before.render_version)
    assert await services.message_state.pending() == [prediction_id]
    # … a render of the current state does.
    after = await services.message_state.current(prediction_id)
    assert after is not None and after.render_version > before.render_version
    await services.message_state.mark_rendered(prediction_id, after.render_version)
    assert await services.message_state.pending() == []


async def test_a_refused_change_marks_nothing(services: Services) -> None:
    prediction_id = await posted(services)
    await services.predictions.cancel(GUILD, 1, ACTOR)
    info = await services.message_state.current(prediction_id)
    assert info is not None
    await services.message_state.mark_rendered(prediction_id, info.render_version)
    with pytest.raises(InvalidState):
        await services.predictions.cancel(GUILD, 1, ACTOR)
    assert await services.message_state.pending() == []
