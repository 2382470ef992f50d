"""Issue 17: nobody games the record through resolution, reopening or retraction.

Each test is a member trying one trick: the author reopening a bad call after others voted,
a resolve-reopen-resolve loop that pings the followers every time, and retracting a confident
forecast once the outcome is clear. The prediction resolves on day 10 (see ``create``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.services.registry import Services
from db.models import Prediction, Score
from tests.conftest import AUTHOR, GUILD, START, VOTER
from tests.services.resolution.scene import (
    AUTHOR_ACTOR,
    DAY,
    MOD_ROLE,
    ROLE_MODERATOR,
    SERVER_MANAGER,
    THIRD,
    create,
    everything,
    scores_of,
)


async def _history(services: Services) -> list[tuple[int, str, str | None, str | None]]:
    page = await services.history.page(GUILD, 1)
    return [(e.user_id, e.field, e.new, e.reason) for e in page.entries[1:]]


# --- 1. reopening follows the author limits -----------------------------------------------------


async def test_author_cannot_reopen_after_others_voted_and_rescore_himself(
    services: Services, clock: FakeClock
) -> None:
    """The reported exploit: a Brier of 0.81 turned into 0.0001 by reopen, re-vote, resolve."""
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock, author_permille="90")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    assert (await scores_of(services, prediction_id))[AUTHOR].brier == pytest.approx(0.81)
    before = await everything(services)

    with pytest.raises(NotAllowed) as caught:
        await services.resolution.reopen(GUILD, 1, AUTHOR_ACTOR, reason="I misread it")

    message = str(caught.value)
    assert "only a moderator" in message and "reason" in message
    assert await everything(services) == before
    assert (await scores_of(services, prediction_id))[AUTHOR].brier == pytest.approx(0.81)


async def test_moderator_reopens_after_others_voted_only_with_a_reason(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    before = await everything(services)
    for blank in (None, "", "   "):
        with pytest.raises(NotAllowed) as caught:
            await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason=blank)
        assert "give a `reason`" in str(caught.value)
        assert await everything(services) == before
    with pytest.raises(InvalidInput):
        await services.resolution.reopen(GUILD, 1, SERVER_MANAGER, reason="r" * 1001)
    assert await everything(services) == before

    reopened = await services.resolution.reopen(
        GUILD, 1, ROLE_MODERATOR, reason="  The source was retracted\n"
    )

    assert (reopened.prediction.status, reopened.reason) == ("open", "The source was retracted")
    assert (await _history(services))[-1] == (
        ROLE_MODERATOR.user_id,
        "outcome",
        None,
        "The source was retracted",
    )


async def test_author_alone_may_reopen_and_the_history_keeps_it(
    services: Services, clock: FakeClock
) -> None:
    await create(services, clock, votes=False)
    await services.votes.vote(GUILD, 1, AUTHOR, 700, "slash")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    await services.resolution.reopen(GUILD, 1, AUTHOR_ACTOR)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    await services.resolution.reopen(GUILD, 1, AUTHOR_ACTOR, reason="Wrong date")

    assert await _history(services) == [
        (AUTHOR, "outcome", "yes", None),
        (AUTHOR, "outcome", None, None),
        (AUTHOR, "outcome", "yes", None),
        (AUTHOR, "outcome", None, "Wrong date"),
    ]


async def test_a_retracted_vote_still_counts_as_someone_else_having_voted(
    services: Services, clock: FakeClock
) -> None:
    """Retracting a vote cannot clear the way for the author's reopen: it is scored."""
    await create(services, clock, votes=False)
    await services.votes.vote(GUILD, 1, VOTER, 300, "slash")
    clock.advance(DAY)
    await services.votes.retract(GUILD, 1, VOTER, "slash")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    with pytest.raises(NotAllowed):
        await services.resolution.reopen(GUILD, 1, AUTHOR_ACTOR, reason="oops")


# --- 2. a re-resolution pings nobody twice ------------------------------------------------------


async def test_resolving_again_to_the_same_outcome_is_not_announced_again(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    await create(services, clock)
    first = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    assert first.followers and first.ping_followers

    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Check the source")
    same = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    assert not same.ping_followers

    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="It was reversed")
    changed = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    assert changed.ping_followers

    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Reversed again")
    back = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    assert back.ping_followers  # they were last told NO


async def test_what_was_announced_is_stored_with_the_resolution(
    services: Services, clock: FakeClock
) -> None:
    """Durable: a restart (or another process) between reopen and resolve changes nothing."""
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Recheck")
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None and row.announced_outcome == "no"


async def test_result_dms_are_queued_again_only_for_a_different_outcome(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock)
    for member in (VOTER, THIRD):
        await services.notifications.update(member, where="dm")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    assert await services.results.enqueue(prediction_id) == 2
    await services.results.sent([(prediction_id, VOTER), (prediction_id, THIRD)])

    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Recheck")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    await services.results.enqueue(prediction_id, tell_again=False)
    assert await services.results.pending() == 0

    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Reversed")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    await services.results.enqueue(prediction_id, tell_again=True)
    assert await services.results.pending() == 2


# --- 3. no dodging by retraction ----------------------------------------------------------------


async def test_a_forecast_held_ten_days_then_retracted_is_scored_for_those_days(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock, votes=False, resolves="2026-12-17 12:00")
    clock.set(START)
    await services.votes.vote(GUILD, prediction_id, AUTHOR, 600, "slash")
    await services.votes.vote(GUILD, prediction_id, VOTER, 990, "reaction")
    clock.set(START + 10 * DAY)
    await services.votes.retract(GUILD, prediction_id, VOTER, "reaction")
    assert (await services.votes.community(prediction_id)).count == 1  # the author's 60 % only
    clock.set(START + 12 * DAY)

    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")

    scores = await scores_of(services, prediction_id)
    voter = scores[VOTER]
    # Their last held forecast, and the ten days it stood (not the two after).
    assert voter.permille == 990
    assert voter.brier == pytest.approx(0.99**2)
    assert voter.time_brier == pytest.approx(0.99**2)
    # The community (the author's 60 % with the voter's 99 %: a median of 79.5 %) over the
    # same ten days.
    assert voter.relative_brier == pytest.approx(0.99**2 - 0.795**2)
    # The community's final forecast no longer includes the retracted vote.
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        assert row is not None and row.community_permille == 600
    # /stats, the leaderboard and calibration read the scores table: the dodge shows there.
    stats = await services.stats.member(GUILD, VOTER)
    assert stats.resolved == 1 and stats.mean_brier == pytest.approx(0.99**2)
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    board = await services.stats.leaderboard(GUILD, metric="brier", caller_id=VOTER)
    assert board.caller is not None and board.caller.rank == 2 == board.total
    [bucket] = [b for b in await services.stats.calibration(GUILD, VOTER) if b.count]
    assert (bucket.centre_permille, bucket.count, bucket.yes_count) == (1000, 1, 0)


async def test_a_vote_retracted_in_the_instant_it_was_made_is_not_scored(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock, votes=False)
    await services.votes.vote(GUILD, prediction_id, AUTHOR, 600, "slash")
    await services.votes.vote(GUILD, prediction_id, VOTER, 990, "slash")
    await services.votes.retract(GUILD, prediction_id, VOTER, "slash")
    clock.advance(DAY)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    async with services.ctx.sessions() as session:
        users = set(await session.scalars(select(Score.user_id)))
    assert users == {AUTHOR}


async def test_how_did_i_do_tells_a_retracted_member_their_scored_forecast(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock, votes=False)
    await services.votes.vote(GUILD, prediction_id, AUTHOR, 600, "slash")
    await services.votes.vote(GUILD, prediction_id, VOTER, 990, "slash")
    clock.advance(DAY)
    await services.votes.retract(GUILD, prediction_id, VOTER, "slash")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    result = await services.results.my_result(GUILD, prediction_id, VOTER)
    assert (result.permille, result.withdrawn) == (990, True)
    assert result.brier == pytest.approx(0.99**2)
    author = await services.results.my_result(GUILD, prediction_id, AUTHOR)
    assert author.withdrawn is False


async def test_a_retracted_member_who_wants_dms_is_queued_a_result(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock, votes=False)
    await services.notifications.update(VOTER, where="dm")
    await services.votes.vote(GUILD, prediction_id, VOTER, 990, "slash")
    await services.votes.set_following(GUILD, prediction_id, VOTER, False)
    clock.advance(DAY)
    await services.votes.retract(GUILD, prediction_id, VOTER, "slash")
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    assert await services.results.enqueue(prediction_id) == 1
