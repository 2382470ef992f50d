"""The digest's standings while a season runs: that season's top 5 (its window and its tags),
labelled with its name; all time again once it ends. At 2,000 open predictions and 5,000
members, with a tagged season running, the digest still builds in the same few statements."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.services.registry import Services
from cogs.digest.embed import digest_embed
from db.models import Prediction, PredictionTag, Season, Tag
from tests.conftest import GUILD
from tests.services.digest.test_digest import MONDAY_9, counted, fill
from tests.services.seasons.helpers import resolved

ALICE, BOB, CAROL = 5_000_000_000_000_001, 5_000_000_000_000_002, 5_000_000_000_000_003


async def test_while_a_season_runs_the_digest_ranks_its_forecasts_and_names_it(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    # Before the season carol is right twice and bob wrong: all time, carol leads.
    for _ in range(2):
        await resolved(services, clock, {CAROL: 950, BOB: 100}, "yes")
    clock.advance(hours=1)
    await services.seasons.start(GUILD, "Sprint")
    clock.advance(hours=1)
    await resolved(services, clock, {BOB: 900, CAROL: 200}, "yes")  # inside: bob is right

    during = await services.digest.build(GUILD)
    assert during.season == "Sprint"
    assert [s.user_id for s in during.standings] == [BOB, CAROL]
    assert all(s.count == 1 for s in during.standings)  # only the season's forecast counts
    field = digest_embed(during, "A server").fields[3]
    assert field.name == "🏆 Standings · season Sprint (relative Brier)"

    await services.seasons.end(GUILD)
    after = await services.digest.build(GUILD)
    assert after.season is None
    assert [s.user_id for s in after.standings] == [CAROL, BOB]
    assert {s.count for s in after.standings} == {3}
    assert digest_embed(after, "A server").fields[3].name == (
        "🏆 Standings (relative Brier, all time)"
    )


async def test_a_season_nobody_is_ranked_in_yet_says_so(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await resolved(services, clock, {CAROL: 950}, "yes")
    clock.advance(hours=1)
    await services.seasons.start(GUILD, "Fresh *start*")
    digest = await services.digest.build(GUILD)
    assert digest.standings == () and digest.season == "Fresh *start*"
    field = digest_embed(digest, "A server").fields[3]
    assert field.name == "🏆 Standings · season Fresh \\*start\\* (relative Brier)"
    assert str(field.value).startswith("Nobody is ranked in this season yet")


async def test_a_tagged_season_keeps_the_digest_within_its_statements_at_5000_members(
    services: Services, engine: AsyncEngine, clock: FakeClock
) -> None:
    clock.set(MONDAY_9)
    await fill(services, open_predictions=2000, members=5000, now=MONDAY_9)
    async with services.ctx.sessions.begin() as session:
        last = await session.scalar(select(Prediction.id).order_by(Prediction.id.desc()))
        tag = Tag(guild_id=GUILD, name="climate")
        session.add(tag)
        await session.flush()
        await session.execute(insert(PredictionTag), [{"prediction_id": last, "tag_id": tag.id}])
        session.add(
            Season(
                guild_id=GUILD,
                name="Winter",
                tags=["climate"],
                started_at=MONDAY_9 - timedelta(days=2),
            )
        )
    with counted(engine) as statements:
        digest = await services.digest.build(GUILD)
    assert len(statements) <= 12, statements
    assert digest.season == "Winter"
    assert len(digest.standings) == 5 and digest.standings[0].value == 0.0
