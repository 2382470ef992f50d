"""Autocomplete fits the command (issue 23): ``edit``/``cancel`` offer the open predictions the
member may manage, ``reopen`` the resolved ones, ``remove_tags`` the prediction's own tags;
each at a member's 5,000 predictions is an index range, not a scan of the server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, insert, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.actor import Actor
from bot.domain.vocabulary import Outcome, Status
from bot.services.predictions.finding import Purpose
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import GuildSettings, Prediction
from tests.conftest import AUTHOR, GUILD, MOD, START, VOTER

AUTHOR_ACTOR = Actor(AUTHOR)
MOD_ROLE = 77
MOD_ACTOR = Actor(MOD, role_ids=frozenset({MOD_ROLE}))


def numbers(found: list[tuple[int, str, str]]) -> list[int]:
    return [n for n, *_ in found]


async def seed(services: Services) -> None:
    """#1 open, #2 resolved, #3 cancelled: the author's; #4 open, #5 resolved: the voter's."""
    for author in (AUTHOR, AUTHOR, AUTHOR, VOTER, VOTER):
        await services.predictions.create(
            NewPrediction(GUILD, author, f"Statement by {author}", "2027-06-30", tags="city")
        )
    async with services.ctx.sessions.begin() as session:
        for number, status in ((2, Status.RESOLVED), (3, Status.CANCELLED), (5, Status.RESOLVED)):
            await session.execute(
                update(Prediction)
                .where(Prediction.guild_id == GUILD, Prediction.number == number)
                .values(status=status, outcome=Outcome.YES if status == Status.RESOLVED else None)
            )
        await session.execute(
            update(GuildSettings)
            .where(GuildSettings.guild_id == GUILD)
            .values(moderator_role_id=MOD_ROLE)
        )


async def test_edit_and_cancel_offer_the_open_predictions_the_member_may_manage(
    services: Services,
) -> None:
    await seed(services)
    finder = services.finder
    assert numbers(await finder.search(GUILD, "", Purpose.MANAGE, actor=AUTHOR_ACTOR)) == [1]
    assert numbers(await finder.search(GUILD, "", Purpose.MANAGE, actor=MOD_ACTOR)) == [4, 1]
    assert numbers(await finder.search(GUILD, "4", Purpose.MANAGE, actor=AUTHOR_ACTOR)) == []
    assert await finder.search(GUILD, "", Purpose.MANAGE) == []  # nobody asking: nothing


async def test_reopen_offers_the_resolved_predictions_the_member_may_manage(
    services: Services,
) -> None:
    await seed(services)
    finder = services.finder
    assert numbers(await finder.search(GUILD, "", Purpose.REOPEN, actor=AUTHOR_ACTOR)) == [2]
    assert numbers(await finder.search(GUILD, "", Purpose.REOPEN, actor=MOD_ACTOR)) == [5, 2]
    by_text = await finder.search(GUILD, "statement", Purpose.REOPEN, actor=MOD_ACTOR)
    assert numbers(by_text) == [5, 2] and {state for *_, state in by_text} == {"resolved"}


async def test_remove_tags_offers_the_predictions_own_tags(services: Services) -> None:
    await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Tagged", "2027-06-30", tags="climate, city")
    )
    await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Other", "2027-06-30", tags="weather")
    )
    assert await services.tags.of_prediction(GUILD, 1) == ["city", "climate"]
    assert await services.tags.of_prediction(GUILD, 1, "CLI") == ["climate"]
    assert await services.tags.of_prediction(GUILD, 2) == ["weather"]
    assert await services.tags.of_prediction(GUILD, 9) == []


async def test_a_member_with_5000_predictions_gets_25_choices_from_an_index(
    services: Services, engine: AsyncEngine
) -> None:
    """DESIGN.md's prolific member: 5,000 of their own among 20,000 in the server."""
    rows = [
        {
            "guild_id": GUILD,
            "number": n,
            "author_id": AUTHOR if n % 4 == 0 else VOTER,
            "statement": f"Statement {n}",
            "created_at": START,
            "resolves_at": START + timedelta(days=n % 90 + 1),
            "closes_at": START + timedelta(days=n % 90 + 1),
            "status": Status.RESOLVED if n % 8 == 0 else Status.OPEN,
        }
        for n in range(1, 20_001)
    ]
    async with engine.begin() as connection:
        await connection.execute(insert(GuildSettings).values(guild_id=GUILD))
        for start in range(0, len(rows), 5000):
            await connection.execute(insert(Prediction), rows[start : start + 5000])

    statements: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM predictions" in statement:
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        editable = await services.finder.search(GUILD, "", Purpose.MANAGE, actor=AUTHOR_ACTOR)
        reopenable = await services.finder.search(GUILD, "", Purpose.REOPEN, actor=AUTHOR_ACTOR)
        typed = await services.finder.search(
            GUILD, "statement 1", Purpose.MANAGE, actor=AUTHOR_ACTOR
        )
        tags = await services.tags.of_prediction(GUILD, 4)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    assert len(editable) == 25 and all(n % 4 == 0 and n % 8 for n in numbers(editable))
    assert numbers(editable) == sorted(numbers(editable), reverse=True)
    assert len(reopenable) == 25 and all(n % 8 == 0 for n in numbers(reopenable))
    assert typed and all(n % 4 == 0 and n % 8 for n in numbers(typed))
    assert tags == []
    assert len(statements) >= 4
    if engine.dialect.name != "sqlite":
        return  # the plans below are SQLite's; PostgreSQL ran the same queries above
    async with engine.connect() as connection:
        for statement, parameters in statements:
            plan = " ".join(
                str(r[-1])
                for r in await connection.exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {statement}", tuple(parameters)
                )
            )
            assert "SEARCH predictions USING" in plan, (statement, plan)
            assert "SCAN predictions" not in plan, (statement, plan)
