"""Earned roles against a real database: mapping rules, who earns what at a season's end,
first forecasts, and the paced, claimed queue at 5,000 members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from bot.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.seasons import Achievement, RoleFacts
from bot.services.core.context import ServiceContext
from bot.services.registry import Services
from bot.services.seasons.role_queue import ClaimedChange, RoleChangeQueue, queue_changes
from cogs.seasons.role_sender import ROLE_BATCH as BATCH
from cogs.seasons.role_sender import ROLE_PACE_SECONDS as PACE_SECONDS
from db.engine import create_session_factory
from db.models import EarnedRole, RoleChange
from tests.conftest import GUILD
from tests.services.seasons.helpers import resolved

ALICE, BOB, CAROL = 5_000_000_000_000_001, 5_000_000_000_000_002, 5_000_000_000_000_003
CHAMPION, CALIBRATED, NEWCOMER = 6_000_000_000_000_001, 6_000_000_000_000_002, 6_000_000_000_000_3
MANAGEABLE = RoleFacts(
    is_default=False, managed=False, position=1, bot_top_position=3, bot_manages_roles=True
)


@pytest.mark.parametrize(
    ("facts", "error", "words"),
    [
        (MANAGEABLE.__class__(True, False, 0, 3, True), InvalidInput, "@everyone"),
        (MANAGEABLE.__class__(False, True, 1, 3, True), InvalidInput, "belongs to a bot"),
        (MANAGEABLE.__class__(False, False, 1, 3, False), NotAllowed, "Manage Roles"),
        (MANAGEABLE.__class__(False, False, 3, 3, True), NotAllowed, "at or above"),
        (MANAGEABLE.__class__(False, False, 5, 3, True), NotAllowed, "at or above"),
    ],
)
async def test_a_role_the_bot_cannot_manage_is_refused_when_mapped(
    services: Services, facts: RoleFacts, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        await services.earned_roles.map(GUILD, CHAMPION, "Champion", facts, Achievement.TOP)
    assert await services.earned_roles.mappings(GUILD) == []


async def test_options_must_fit_the_achievement(services: Services) -> None:
    with pytest.raises(InvalidInput, match="`top` only applies"):
        await services.earned_roles.map(
            GUILD, CHAMPION, "Champion", MANAGEABLE, Achievement.FIRST_FORECAST, top_n=3
        )
    mapping = await services.earned_roles.map(
        GUILD, CHAMPION, "Champion", MANAGEABLE, Achievement.TOP, top_n=1
    )
    assert mapping.describe() == "best forecaster of a season"


async def _changes(services: Services) -> list[tuple[int, int, bool]]:
    async with services.ctx.sessions() as session:
        rows = await session.execute(
            select(RoleChange.role_id, RoleChange.user_id, RoleChange.add).order_by(RoleChange.id)
        )
        return [(int(r), int(u), bool(a)) for r, u, a in rows]


async def test_a_seasons_end_gives_top_n_and_takes_it_from_the_previous_holders(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    roles = services.earned_roles
    await roles.map(GUILD, CHAMPION, "Champion", MANAGEABLE, Achievement.TOP, top_n=1)
    await roles.map(
        GUILD, CALIBRATED, "Calibrated", MANAGEABLE, Achievement.WELL_CALIBRATED, min_forecasts=2
    )
    first = await services.seasons.start(GUILD, "One")
    await resolved(services, clock, {ALICE: 900, BOB: 300}, "yes")
    await resolved(services, clock, {ALICE: 100, BOB: 700}, "no")
    clock.advance(minutes=1)
    first = await services.seasons.end(GUILD)
    await roles.award_season(first)
    await roles.award_season(first)  # a retried recap queues nothing twice
    # Alice: 90 % came true, 10 % did not: within 10 points on average (exactly 10).
    assert await _changes(services) == [(CHAMPION, ALICE, True), (CALIBRATED, ALICE, True)]

    clock.advance(days=1)
    await services.seasons.start(GUILD, "Two")
    await resolved(services, clock, {ALICE: 200, BOB: 950}, "yes")
    clock.advance(minutes=1)
    second = await services.seasons.end(GUILD)
    await roles.award_season(second)
    assert (await _changes(services))[2:] == [
        (CHAMPION, BOB, True),
        (CHAMPION, ALICE, False),  # no longer the best: she loses it
        (CALIBRATED, ALICE, False),  # one forecast this season: not enough
    ]
    [champion, calibrated] = await roles.mappings(GUILD)
    assert (champion.holders, calibrated.holders) == (1, 0)


async def test_first_forecasts_get_the_role_once_including_earlier_voters(
    services: Services, clock: FakeClock
) -> None:
    await resolved(services, clock, {ALICE: 600}, "yes")  # before the mapping
    await services.earned_roles.map(
        GUILD, NEWCOMER, "Newcomer", MANAGEABLE, Achievement.FIRST_FORECAST
    )
    assert await services.earned_roles.first_forecasts() == 1
    await resolved(services, clock, {ALICE: 700, BOB: 300}, "no")
    assert await services.earned_roles.first_forecasts() == 1  # bob; alice has it already
    assert await services.earned_roles.first_forecasts() == 0
    assert await _changes(services) == [(NEWCOMER, ALICE, True), (NEWCOMER, BOB, True)]


MEMBERS = 5_000


async def test_5000_role_changes_go_out_paced_and_a_restart_resumes_without_repeats(
    services: Services, clock: FakeClock
) -> None:
    """The queue holds 5,000 changes; a sender taking BATCH per PACE_SECONDS (the cog's
    figures) applies each once, at that rate, through a crash and a second process."""
    async with services.ctx.sessions.begin() as session:
        session.add(
            EarnedRole(
                guild_id=GUILD,
                role_id=NEWCOMER,
                role_name="Newcomer",
                achievement="first_forecast",
                created_at=clock.now(),
            )
        )
        queued = await queue_changes(
            session, GUILD, NEWCOMER, adding=range(1, MEMBERS + 1), now=clock.now()
        )
    assert queued == MEMBERS == await services.role_changes.pending()

    applied: list[int] = []
    started = clock.now()

    async def cycle(queue: RoleChangeQueue, *, crash: bool = False) -> list[ClaimedChange]:
        claimed = await queue.claim(BATCH, lease=timedelta(minutes=2))
        assert len(claimed) <= BATCH  # never more than the pace allows
        if not crash:
            applied.extend(change.user_id for change in claimed)
            await queue.done(claimed)
        clock.advance(seconds=PACE_SECONDS)
        return claimed

    for _ in range(100):
        await cycle(services.role_changes)
    # The process dies holding a claimed batch it never applied nor recorded.
    lost = await cycle(services.role_changes, crash=True)
    assert len(lost) == BATCH
    # A restarted process (a new queue on the same database) resumes; the lost batch waits
    # for its lease, then goes out once.
    restarted = RoleChangeQueue(
        ServiceContext(
            sessions=create_session_factory(services.ctx.sessions.kw["bind"]), clock=clock
        )
    )
    while await cycle(restarted):
        pass
    clock.advance(minutes=3)
    while await cycle(restarted):
        pass
    assert sorted(applied) == list(range(1, MEMBERS + 1))  # every one, none twice
    assert await restarted.pending() == 0
    elapsed = (clock.now() - started).total_seconds()
    per_second = MEMBERS / elapsed
    assert per_second <= BATCH / PACE_SECONDS  # the stated rate, never faster


async def test_a_refused_change_is_reported_on_its_role_and_cleared_by_a_success(
    services: Services, clock: FakeClock
) -> None:
    await services.earned_roles.map(
        GUILD, NEWCOMER, "Newcomer", MANAGEABLE, Achievement.FIRST_FORECAST
    )
    async with services.ctx.sessions.begin() as session:
        await session.execute(
            insert(RoleChange),
            [
                {
                    "guild_id": GUILD,
                    "role_id": NEWCOMER,
                    "user_id": u,
                    "add": True,
                    "queued_at": clock.now(),
                }
                for u in (ALICE, BOB)
            ],
        )
    queue = services.role_changes
    [first] = await queue.claim(1)
    await queue.refused(first, "Discord refused: no Manage Roles")
    [mapping] = await services.earned_roles.mappings(GUILD)
    assert mapping.problem == "Discord refused: no Manage Roles"
    [second] = await queue.claim(1)
    await queue.done([second])
    [mapping] = await services.earned_roles.mappings(GUILD)
    assert mapping.problem is None and await queue.pending() == 0


async def test_forget_me_removes_the_record_of_earned_roles_and_queued_changes(
    services: Services, clock: FakeClock
) -> None:
    await services.earned_roles.map(
        GUILD, NEWCOMER, "Newcomer", MANAGEABLE, Achievement.FIRST_FORECAST
    )
    await resolved(services, clock, {ALICE: 600, BOB: 400}, "yes")
    assert await services.earned_roles.first_forecasts() == 2
    await services.privacy.forget(ALICE)
    [mapping] = await services.earned_roles.mappings(GUILD)
    assert mapping.holders == 1  # bob's
    assert await _changes(services) == [(NEWCOMER, BOB, True)]
    assert await services.earned_roles.first_forecasts() == 0  # her votes are anonymous now
