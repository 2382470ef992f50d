"""A season's results: top forecasters, best calls, biggest surprises, calibration, turnout,
and the per-prediction ``disputed`` flag the disputes feature fills."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FakeClock
from bot.services.registry import Services
from bot.services.seasons.results import SeasonResultsService
from tests.conftest import GUILD
from tests.services.seasons.helpers import resolved

ALICE, BOB, CAROL = 5_000_000_000_000_001, 5_000_000_000_000_002, 5_000_000_000_000_003


async def test_best_calls_are_right_where_most_were_wrong_and_surprises_fooled_the_crowd(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await resolved(services, clock, {ALICE: 700, BOB: 700}, "yes", statement="Before")
    clock.advance(minutes=1)
    await services.seasons.start(GUILD, "Winter")
    upset = await resolved(
        services, clock, {ALICE: 900, BOB: 200, CAROL: 300}, "yes", statement="The upset"
    )
    await resolved(services, clock, {ALICE: 800, BOB: 700, CAROL: 900}, "yes", statement="Easy")
    await resolved(services, clock, {BOB: 600, CAROL: 100}, "ambiguous", statement="Void")
    clock.advance(minutes=1)
    season = await services.seasons.end(GUILD)

    calls = []

    async def disputed(session: AsyncSession, guild_id: int) -> Collection[int]:
        calls.append(guild_id)
        return {prediction_id for prediction_id in range(1, 100)}  # all under dispute

    results = await SeasonResultsService(services.ctx, services.stats).results(season)
    assert [call.user_id for call in results.best_calls] == [ALICE]
    [call] = results.best_calls
    assert (call.number, call.permille, call.outcome) == (upset, 900, True)
    assert call.community_permille == 300 and not call.disputed  # no disputes feature yet
    assert [(s.number, s.community_permille, s.outcome) for s in results.surprises] == [
        (upset, 300, True)
    ]
    assert (results.participants, results.forecasts, results.resolved) == (3, 6, 3)
    assert results.top[0].user_id == ALICE
    assert sum(b.count for b in results.buckets) == 6

    flagged = await SeasonResultsService(services.ctx, services.stats, disputed).results(season)
    assert calls == [GUILD] and all(c.disputed for c in flagged.best_calls)
    assert all(s.disputed for s in flagged.surprises) and flagged.disputed
