"""One leaderboard across kinds, and the ``kind`` filter of /stats and /leaderboard.

A toy kind (the guess of tests/services/core/test_toy_kind.py, registered here) stands for
the real kinds: the relative score ranks every kind together; the raw Brier and log metrics
are each kind's own scale, so without a filter they rank yes/no; a filter keeps one kind.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput
from bot.domain.kinds import register, unregister
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, START, VOTER
from tests.services.core.test_toy_kind import DAY, GUESS, THIRD, create, penalty


@pytest.fixture(autouse=True)
def guess_kind() -> Iterator[None]:
    register(GUESS)
    yield
    unregister(GUESS.name)


async def two_kinds(services: Services, clock: FakeClock) -> None:
    """#1 a guess resolved 55 (author 40, VOTER 80→60, THIRD 20); #2 yes/no, the author 70 %
    and VOTER 20 %, resolved YES."""
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await create(services, clock)
    clock.set(START + 10 * DAY)
    await services.resolution.resolve(GUILD, 1, Actor(AUTHOR), "55")
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Rain on Sunday",
            resolves="in 2 days",
            probability="70",
        )
    )
    await services.votes.vote(GUILD, info.id, VOTER, 200, "slash")
    clock.set(START + 11 * DAY)
    await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "yes")


async def test_the_relative_board_mixes_kinds_and_a_kind_filter_keeps_one(
    services: Services, clock: FakeClock
) -> None:
    await two_kinds(services, clock)

    every = await services.stats.leaderboard(GUILD)
    assert every.kind is None
    assert {r.user_id: r.count for r in every.rows} == {AUTHOR: 2, VOTER: 2, THIRD: 1}

    guesses = await services.stats.leaderboard(GUILD, kind=GUESS.name)
    assert guesses.kind == GUESS.name
    assert {r.user_id: r.count for r in guesses.rows} == {AUTHOR: 1, VOTER: 1, THIRD: 1}
    third = next(r for r in guesses.rows if r.user_id == THIRD)
    assert third.value == pytest.approx(penalty(20, 55) - penalty(40, 55))

    yes_no = await services.stats.leaderboard(GUILD, kind="yes_no")
    assert {r.user_id: r.count for r in yes_no.rows} == {AUTHOR: 1, VOTER: 1}

    # A raw metric is one kind's scale: yes/no unless another kind is asked for.
    brier = await services.stats.leaderboard(GUILD, metric="brier")
    assert brier.kind == "yes_no"
    assert {r.user_id: r.value for r in brier.rows} == pytest.approx(
        {AUTHOR: 0.3**2, VOTER: 0.8**2}
    )
    guess_brier = await services.stats.leaderboard(GUILD, metric="brier", kind=GUESS.name)
    assert {r.user_id: r.value for r in guess_brier.rows} == pytest.approx(
        {AUTHOR: penalty(40, 55), VOTER: penalty(60, 55), THIRD: penalty(20, 55)}
    )

    # The caller's count for "not ranked yet" is counted in the same kind.
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=2)
    only_guesses = await services.stats.leaderboard(GUILD, kind=GUESS.name, caller_id=THIRD)
    assert (only_guesses.total, only_guesses.caller, only_guesses.caller_count) == (0, None, 1)


async def test_stats_filter_by_kind_and_keep_raw_figures_on_one_scale(
    services: Services, clock: FakeClock
) -> None:
    await two_kinds(services, clock)

    every = await services.stats.member(GUILD, VOTER)
    assert every.resolved == 2 and every.kind is None and every.scale_kind == "yes_no"
    assert every.mean_brier == pytest.approx(0.8**2)  # yes/no's Brier only
    guess = await services.stats.member(GUILD, VOTER, kind=GUESS.name)
    assert (guess.resolved, guess.scale_kind) == (1, GUESS.name)
    assert guess.mean_brier == pytest.approx(penalty(60, 55))
    assert (await services.stats.member(GUILD, THIRD, kind="yes_no")).resolved == 0

    server = await services.stats.server(GUILD)
    assert (server.forecasts, server.members, server.resolved_predictions) == (5, 3, 2)
    assert server.community_scored == 1  # the yes/no question's community, on its scale
    guesses = await services.stats.server(GUILD, GUESS.name)
    assert (guesses.forecasts, guesses.members, guesses.resolved_predictions) == (3, 3, 1)
    assert guesses.community_brier == pytest.approx(penalty(40, 55))

    assert sum(b.count for b in await services.stats.calibration(GUILD, None)) == 2
    assert (
        sum(b.count for b in await services.stats.calibration(GUILD, None, kind="toy_guess")) == 0
    )

    with pytest.raises(InvalidInput, match="no question kind `dice`"):
        await services.stats.leaderboard(GUILD, kind="dice")
    with pytest.raises(InvalidInput, match="no question kind `dice`"):
        await services.stats.member(GUILD, VOTER, kind="dice")
