"""Linking an imported outside forecaster to a member: the record moves, resolved questions are
scored as if the name had been mapped at import, only moderators link, a name links once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.vocabulary import VoteSource
from bot.services.core.context import ServiceContext
from bot.services.records.link import AlreadyLinked
from bot.services.records.readers import detect_and_parse
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import OutsideForecaster, Prediction, Score, Vote, VoteEvent
from tests.conftest import GUILD, MOD, VOTER
from tests.services.records.files import FATEBOOK, fatebook_csv, fatebook_row

MODERATOR = Actor(MOD, manages_guild=True)
GRACE = "Grace Hopper"


@pytest.fixture
async def mapped(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Services]:
    """A second database where Grace was mapped at import (the reference)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/mapped.db")
    await upgrade(engine)
    yield Services.build(ServiceContext(create_session_factory(engine), clock))
    await engine.dispose()


async def scores(services: Services) -> list[tuple[int, float, float | None]]:
    async with services.ctx.sessions() as session:
        rows = await session.execute(
            select(Score.user_id, Score.brier, Score.relative_brier).order_by(Score.user_id)
        )
        return [(int(u), float(b), r) for u, b, r in rows]


async def counts(services: Services, user_id: int) -> tuple[int, int]:
    async with services.ctx.sessions() as session:
        events = await session.scalar(
            select(func.count()).select_from(VoteEvent).where(VoteEvent.user_id == user_id)
        )
        votes = await session.scalar(
            select(func.count()).select_from(Vote).where(Vote.user_id == user_id)
        )
        return int(events or 0), int(votes or 0)


async def test_a_link_moves_the_record_and_scores_it_like_a_mapping(
    services: Services, mapped: Services
) -> None:
    await services.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv"))
    assert [s[0] for s in await scores(services)] == []  # nobody with a Discord id yet
    assert await services.records_link.names(GUILD, "gra") == [GRACE]

    result = await services.records_link.link(MODERATOR, GUILD, GRACE, VOTER)

    assert (result.forecasts, result.predictions, result.kept_native, result.rescored) == (
        2,
        2,
        0,
        1,
    )
    assert await counts(services, VOTER) == (2, 2)
    await mapped.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv", {GRACE: VOTER}))
    assert await scores(services) == await scores(mapped) != []
    assert await services.records_link.names(GUILD, "") == ["Ada Lovelace"]  # Grace is taken


async def test_only_moderators_link_even_their_own_name(services: Services) -> None:
    await services.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv"))
    with pytest.raises(NotAllowed, match="Only moderators"):
        await services.records_link.link(Actor(VOTER), GUILD, GRACE, VOTER)
    assert await counts(services, VOTER) == (0, 0)
    async with services.ctx.sessions() as session:
        linked = await session.scalar(
            select(func.count()).where(OutsideForecaster.linked_user_id.is_not(None))
        )
    assert linked == 0


async def test_a_name_is_linked_once_and_unknown_names_are_said(services: Services) -> None:
    await services.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv"))
    await services.records_link.link(MODERATOR, GUILD, GRACE, VOTER)
    with pytest.raises(AlreadyLinked, match=f"already linked to <@{VOTER}>"):
        await services.records_link.link(MODERATOR, GUILD, GRACE, MOD)
    assert await counts(services, MOD) == (0, 0)
    with pytest.raises(NotFound, match="No imported forecaster is called “Nobody”"):
        await services.records_link.link(MODERATOR, GUILD, "Nobody", MOD)


async def test_the_members_own_forecast_wins_over_the_linked_names(
    services: Services, clock: FakeClock
) -> None:
    """Grace forecast on the open question from Fatebook; the member also voted there
    natively: the native vote stays theirs, Grace's stays Grace's (history only)."""
    data = fatebook_csv(
        [fatebook_row("Open question", GRACE, "0.9", "2024-01-03 11:00:00",
                      **{"Question resolve by": "2027-01-01 00:00:00"})]
    )  # fmt: skip
    await services.records_import.apply(GUILD, detect_and_parse(data, "f.csv"))
    async with services.ctx.sessions() as session:
        prediction_id = await session.scalar(select(Prediction.id))
    assert prediction_id is not None
    await services.votes.vote(GUILD, prediction_id, VOTER, 200, VoteSource.SLASH)

    result = await services.records_link.link(MODERATOR, GUILD, GRACE, VOTER)

    assert (result.predictions, result.kept_native) == (0, 1)
    async with services.ctx.sessions() as session:
        votes = dict((await session.execute(select(Vote.user_id, Vote.permille))).all())
    assert votes[VOTER] == 200 and sorted(votes.values()) == [200, 900]


async def test_later_imports_of_a_linked_name_are_the_members(services: Services) -> None:
    first = fatebook_csv([fatebook_row("First", GRACE, "0.6", "2024-01-03 11:00:00")])
    await services.records_import.apply(GUILD, detect_and_parse(first, "f.csv"))
    await services.records_link.link(MODERATOR, GUILD, GRACE, VOTER)
    second = fatebook_csv([fatebook_row("Second", GRACE, "0.4", "2024-01-04 11:00:00")])
    report = await services.records_import.apply(GUILD, detect_and_parse(second, "g.csv"))
    assert report.outsiders == 0  # Ada (the author) is known; Grace is the member now
    assert await counts(services, VOTER) == (2, 2)


async def test_5000_forecasts_of_one_name_link_in_batches_while_the_loop_serves_others(
    services: Services,
) -> None:
    questions = 1000
    rows = [
        fatebook_row(f"Question {q}", GRACE, f"0.{n + 1}", f"2024-01-0{n + 1} 11:00:00",
                     Resolution="YES" if q % 2 else "", **{"Resolved at": "2024-03-02 9:0:0"})
        for q in range(questions)
        for n in range(5)
    ]  # fmt: skip
    await services.records_import.apply(GUILD, detect_and_parse(fatebook_csv(rows), "f.csv"))
    ticks = 0
    done = asyncio.Event()

    async def other_members() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(other_members())
    result = await services.records_link.link(MODERATOR, GUILD, GRACE, VOTER)
    done.set()
    await ticker
    assert (result.forecasts, result.predictions, result.rescored) == (5000, 1000, 500)
    assert await counts(services, VOTER) == (5000, 1000)
    assert len({s[0] for s in await scores(services)}) == 1
    assert ticks > questions  # the loop ran other work throughout, not once at the end
