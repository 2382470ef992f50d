"""Disputes against a migrated database: the window, one per member, settling, the mark."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.disputes import DisputeWindowClosed
from bot.domain.errors import InvalidInput, InvalidState, NotAllowed
from bot.services.disputes import disputed_prediction_ids
from bot.services.registry import Services
from db.models import Dispute, PredictionEdit
from tests.conftest import AUTHOR, GUILD, VOTER
from tests.services.resolution.scene import (
    AUTHOR_ACTOR,
    BYSTANDER,
    MOD_ROLE,
    ROLE_MODERATOR,
    SERVER_MANAGER,
    THIRD,
    create,
    row_of,
    scores_of,
)

REASON = "The bridge opened for pedestrians only, which the statement excludes"


async def resolved(services: Services, clock: FakeClock) -> int:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    return prediction_id


async def marked(services: Services) -> set[int]:
    async with services.ctx.sessions() as session:
        return await disputed_prediction_ids(session, GUILD)


async def test_a_dispute_marks_the_prediction_while_scores_stand(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await resolved(services, clock)
    scores = await scores_of(services, prediction_id)
    opened = await services.disputes.open(GUILD, 1, VOTER, REASON)
    assert opened.number == 1 and opened.reason == REASON
    assert opened.window_closes == clock.now() + timedelta(hours=24)
    assert await marked(services) == {prediction_id}
    assert await services.disputes.disputed_numbers(GUILD) == [1]
    assert set(await scores_of(services, prediction_id)) == set(scores)


async def test_one_open_dispute_per_member_even_when_two_race(
    services: Services, clock: FakeClock
) -> None:
    await resolved(services, clock)
    results = await asyncio.gather(
        services.disputes.open(GUILD, 1, VOTER, REASON),
        services.disputes.open(GUILD, 1, VOTER, REASON),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert isinstance(refused[0], InvalidState) and "already disputed" in str(refused[0])
    await services.disputes.open(GUILD, 1, THIRD, REASON)  # another member may
    async with services.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Dispute)) == 2


async def test_after_the_window_the_dispute_is_refused_saying_when_it_closed(
    services: Services, clock: FakeClock
) -> None:
    await resolved(services, clock)
    resolved_at = clock.now()
    await services.disputes.set_window(GUILD, SERVER_MANAGER, 2)
    clock.advance(hours=2)
    with pytest.raises(DisputeWindowClosed) as refused:
        await services.disputes.open(GUILD, 1, VOTER, REASON)
    assert refused.value.when == resolved_at + timedelta(hours=2)
    assert await marked(services) == set()


@pytest.mark.parametrize(
    ("reason", "error"),
    [("short", InvalidInput), ("x" * 1001, InvalidInput), ("\x00" + REASON, InvalidInput)],
)
async def test_bad_reasons_write_nothing(
    services: Services, clock: FakeClock, reason: str, error: type[Exception]
) -> None:
    await resolved(services, clock)
    with pytest.raises(error):
        await services.disputes.open(GUILD, 1, VOTER, reason)
    assert await marked(services) == set()


async def test_only_a_resolved_prediction_can_be_disputed(
    services: Services, clock: FakeClock
) -> None:
    await create(services, clock)
    with pytest.raises(InvalidState, match="not resolved"):
        await services.disputes.open(GUILD, 1, VOTER, REASON)


async def test_the_window_setting_is_for_managers_and_bounded(
    services: Services, clock: FakeClock
) -> None:
    assert await services.disputes.window(GUILD) == 24
    with pytest.raises(NotAllowed):
        await services.disputes.set_window(GUILD, ROLE_MODERATOR, 48)
    with pytest.raises(InvalidInput):
        await services.disputes.set_window(GUILD, SERVER_MANAGER, 10_000)
    assert await services.disputes.set_window(GUILD, SERVER_MANAGER, 0) == 0
    await resolved(services, clock)
    with pytest.raises(NotAllowed, match="turned off"):
        await services.disputes.open(GUILD, 1, VOTER, REASON)


async def test_a_moderator_confirms_and_the_mark_goes(services: Services, clock: FakeClock) -> None:
    prediction_id = await resolved(services, clock)
    await services.disputes.open(GUILD, 1, VOTER, REASON)
    with pytest.raises(NotAllowed):
        await services.disputes.confirm(GUILD, 1, Actor(BYSTANDER))
    settled = await services.disputes.confirm(GUILD, 1, ROLE_MODERATOR)
    assert settled.disputes == 1
    assert await marked(services) == set()
    assert (await row_of(services, prediction_id)).status == "resolved"
    with pytest.raises(InvalidState, match="no open dispute"):
        await services.disputes.confirm(GUILD, 1, ROLE_MODERATOR)


async def test_a_moderator_reopens_for_the_dispute_through_the_reopen_rules(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await resolved(services, clock)
    await services.disputes.open(GUILD, 1, VOTER, REASON)
    with pytest.raises(NotAllowed):  # the author is no moderator: the dispute rule first
        await services.disputes.reopen(GUILD, 1, Actor(AUTHOR))
    reopened, count = await services.disputes.reopen(GUILD, 1, ROLE_MODERATOR)
    assert count == 1 and reopened.reason == f"Disputed: {REASON}"
    row = await row_of(services, prediction_id)
    assert row.status == "open" and await scores_of(services, prediction_id) == {}
    async with services.ctx.sessions() as session:
        edit = await session.scalar(
            select(PredictionEdit)
            .where(PredictionEdit.field == "outcome")
            .order_by(PredictionEdit.id.desc())
        )
        assert edit is not None and edit.reason == f"Disputed: {REASON}"
    assert await marked(services) == set()


async def test_a_reopen_by_another_path_or_a_new_resolution_clears_the_mark(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await resolved(services, clock)
    await services.disputes.open(GUILD, 1, VOTER, REASON)
    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Checking the minutes")
    assert await marked(services) == set()
    clock.advance(hours=1)
    await services.resolution.resolve(GUILD, 1, ROLE_MODERATOR, "no")
    assert await marked(services) == set()  # the old dispute was about the old resolution
    await services.disputes.open(GUILD, 1, VOTER, REASON)  # so the member may dispute anew
    assert await marked(services) == {prediction_id}
