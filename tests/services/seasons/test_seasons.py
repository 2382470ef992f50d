"""Seasons against a real database: the rules, the window, the scheduler's end and claim."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.clock import FakeClock
from bot.domain.errors import InvalidInput, InvalidState, NotFound
from bot.services.core.context import ServiceContext
from bot.services.registry import Services
from bot.services.seasons import service as service_module
from bot.services.seasons.service import SeasonInfo, SeasonService
from db.engine import create_session_factory
from db.models import Season
from tests.conftest import GUILD, OTHER_GUILD, START
from tests.services.seasons.helpers import resolved

ALICE, BOB, CAROL = 5_000_000_000_000_001, 5_000_000_000_000_002, 5_000_000_000_000_003


async def test_one_running_season_a_unique_name_and_an_end_in_the_future(
    services: Services, clock: FakeClock
) -> None:
    seasons = services.seasons
    with pytest.raises(InvalidInput, match="needs a name"):
        await seasons.start(GUILD, "   ")
    with pytest.raises(InvalidInput, match="at most 50"):
        await seasons.start(GUILD, "x" * 51)
    with pytest.raises(InvalidInput, match="not in the future"):
        await seasons.start(GUILD, "Winter", ends="yesterday")
    assert await seasons.listing(GUILD) == []  # nothing half-written
    winter = await seasons.start(GUILD, "  Winter   2027 ", ends="in 90 days", tags="Climate, ai")
    assert winter.name == "Winter 2027" and winter.tags == ("climate", "ai")
    assert winter.ends_at is not None  # a day's phrase means its end, as for predictions
    assert winter.ends_at.date() == (clock.now() + timedelta(days=90)).date()
    with pytest.raises(InvalidState, match="still running"):
        await seasons.start(GUILD, "Spring")
    other = await seasons.start(OTHER_GUILD, "Winter 2027")  # another server, the same name
    assert other.running
    ended = await seasons.end(GUILD)
    assert ended.ended_at == clock.now()
    with pytest.raises(InvalidState, match="No season is running"):
        await seasons.end(GUILD)
    with pytest.raises(InvalidInput, match="already had a season"):
        await seasons.start(GUILD, "winter 2027".title())
    assert [s.name for s in await seasons.listing(GUILD)] == ["Winter 2027"]


async def test_the_database_holds_one_running_season_per_server(services: Services) -> None:
    """The partial unique index, whatever the code checks: a second running row is refused."""
    await services.seasons.start(GUILD, "Winter")
    async with services.ctx.sessions() as session:
        session.add(Season(guild_id=GUILD, name="Spring", started_at=START))
        with pytest.raises(IntegrityError):
            await session.flush()
    await services.seasons.end(GUILD)
    async with services.ctx.sessions.begin() as session:  # ended seasons do not count
        session.add(Season(guild_id=GUILD, name="Spring", started_at=START))


async def test_two_simultaneous_starts_make_one_running_season(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starts pass the code's check before either writes (a barrier makes it so), as two
    processes on PostgreSQL can: the unique index refuses the second, which gets the same
    refusal as the check (CI runs this on PostgreSQL; on SQLite the index holds it too)."""
    both_checked = asyncio.Barrier(2)
    check = service_module._check_new
    calls = 0

    async def check_then_wait(*args: Any) -> None:
        nonlocal calls
        calls += 1
        await check(*args)
        if calls <= 2:
            await both_checked.wait()

    monkeypatch.setattr(service_module, "_check_new", check_then_wait)
    results = await asyncio.gather(
        services.seasons.start(GUILD, "Winter"),
        services.seasons.start(GUILD, "Spring"),
        return_exceptions=True,
    )
    started = [r for r in results if isinstance(r, SeasonInfo)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(started) == 1 and len(refused) == 1
    assert isinstance(refused[0], InvalidState)
    assert f"`{started[0].name}` is still running" in str(refused[0])
    assert [s.name for s in await services.seasons.listing(GUILD)] == [started[0].name]


async def test_the_end_date_is_read_in_the_servers_time_zone(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, timezone="Europe/Berlin")
    season = await services.seasons.start(GUILD, "Q1", ends="2027-03-31 18:00")
    assert season.ends_at == datetime(2027, 3, 31, 16, 0, tzinfo=UTC)  # CEST, UTC+2


async def test_only_predictions_resolved_within_the_season_count(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await resolved(services, clock, {ALICE: 900, BOB: 100}, "yes")  # before: alice's win
    clock.advance(days=1)
    await services.seasons.start(GUILD, "Autumn")
    await resolved(services, clock, {ALICE: 100, BOB: 900}, "yes")  # inside: bob's win
    clock.advance(days=1)
    await services.seasons.end(GUILD)
    clock.advance(days=1)
    await resolved(services, clock, {ALICE: 900, CAROL: 950}, "yes")  # after: not counted

    board = await services.stats.leaderboard(GUILD, season="autumn".title(), metric="brier")
    assert [row.user_id for row in board.rows] == [BOB, ALICE]
    assert [row.count for row in board.rows] == [1, 1]
    everything = await services.stats.leaderboard(GUILD, metric="brier")
    assert {row.user_id for row in everything.rows} == {ALICE, BOB, CAROL}
    bob = await services.stats.member(GUILD, BOB, season="Autumn")
    assert bob.resolved == 1 and bob.mean_brier == pytest.approx(0.01)
    server = await services.stats.server(GUILD, season="Autumn")
    assert (server.forecasts, server.members, server.resolved_predictions) == (2, 2, 1)
    buckets = await services.stats.calibration(GUILD, None, season="Autumn")
    assert sum(b.count for b in buckets) == 2
    with pytest.raises(NotFound, match="no season called `Summer`"):
        await services.stats.leaderboard(GUILD, season="Summer")


async def test_a_season_with_tags_counts_predictions_with_one_of_them_once(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await services.seasons.start(GUILD, "Climate", tags="climate, energy")
    await resolved(services, clock, {ALICE: 800}, "yes", tags="climate, energy")  # both tags
    await resolved(services, clock, {ALICE: 800, BOB: 800}, "yes", tags="sport")
    await resolved(services, clock, {BOB: 800}, "no", tags="energy")
    board = await services.stats.leaderboard(GUILD, season="Climate", metric="brier")
    assert {(row.user_id, row.count) for row in board.rows} == {(ALICE, 1), (BOB, 1)}


async def test_the_season_filter_walks_an_index(services: Services, clock: FakeClock) -> None:
    """On SQLite the season's leaderboard is an index range on the scores' resolution time."""
    if services.ctx.sessions.kw["bind"].dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    await services.seasons.start(GUILD, "Indexed", tags="climate")
    from sqlalchemy import func, select

    from bot.services.track_record.season_filter import in_season, window_of
    from bot.services.track_record.stats import Score
    from db.models import Season

    async with services.ctx.sessions() as session:
        row = await session.scalar(select(Season))
        assert row is not None
        window = await window_of(session, row)
        stmt = in_season(
            select(Score.user_id, func.avg(Score.brier)).where(Score.guild_id == GUILD), window
        ).group_by(Score.user_id)
        compiled = stmt.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = (await session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))).all()
    details = " | ".join(str(step[-1]) for step in plan)
    assert (
        "USING INDEX ix_scores_guild" in details
        or "USING COVERING INDEX ix_scores_guild" in details
    ), details
    assert "SCAN scores" not in details.replace("SCAN scores USING", ""), details
    assert "pk_prediction_tags" in details or "sqlite_autoindex_prediction_tags" in details, details


async def test_a_season_past_its_date_ends_at_that_date_and_its_recap_is_claimed_once(
    services: Services, clock: FakeClock
) -> None:
    season = await services.seasons.start(GUILD, "Short", ends="in 2 days")
    clock.advance(days=5)  # the bot was down meanwhile
    # A second process on the same database, its own services.
    other = SeasonService(
        ServiceContext(
            sessions=create_session_factory(services.ctx.sessions.kw["bind"]), clock=clock
        )
    )
    assert await services.seasons.end_due() == 1
    assert await other.end_due() == 0
    ended = await services.seasons.get(season.id)
    assert ended.ended_at == season.ends_at  # its window is what was announced
    lease = timedelta(minutes=5)
    first = await services.seasons.claim_recaps(lease)
    assert [job.season.id for job in first] == [season.id]
    assert await other.claim_recaps(lease) == []  # exactly one process recaps it
    # The claimer dies before recording it: after the lease, it is due again, once.
    clock.advance(minutes=6)
    second = await other.claim_recaps(lease)
    assert [job.season.id for job in second] == [season.id]
    assert not await services.seasons.recapped(first[0], channel_id=1, message_id=2)  # lost
    assert await other.recapped(second[0], channel_id=1, message_id=2)
    clock.advance(hours=1)
    assert await services.seasons.claim_recaps(lease) == []
    done = await services.seasons.get(season.id)
    assert done.recapped_at is not None and done.recap_message_id == 2


async def test_a_failed_recap_is_retried_then_given_up_with_a_problem_shown(
    services: Services, clock: FakeClock
) -> None:
    season = await services.seasons.start(GUILD, "Flaky")
    await services.seasons.end(GUILD)
    retry = timedelta(minutes=10)
    for attempt in (1, 2, 3):
        [job] = await services.seasons.claim_recaps(timedelta(minutes=5))
        assert job.attempt == attempt
        again = await services.seasons.recap_failed(job, "Discord is down", retry)
        assert again is (attempt < 3)
        clock.advance(minutes=11)
    assert await services.seasons.claim_recaps(timedelta(minutes=5)) == []
    shown = await services.seasons.get(season.id)
    assert shown.recap_problem == "Discord is down" and shown.recapped_at is None
