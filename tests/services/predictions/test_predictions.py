"""Creating, listing, editing and cancelling predictions against a migrated database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, InvalidState, NotAllowed, PredictionNotFound
from bot.services.predictions import finding
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Prediction, PredictionEdit, Vote, VoteEvent
from tests.conftest import AUTHOR, GUILD, MOD, OTHER_GUILD, VOTER


def new(
    statement: str = "The bridge opens", resolves: str = "2027-06-30", **kw: object
) -> NewPrediction:
    return NewPrediction(
        guild_id=kw.pop("guild_id", GUILD),
        author_id=kw.pop("author_id", AUTHOR),  # type: ignore[arg-type]
        statement=statement,
        resolves=resolves,
        **kw,
    )  # type: ignore[arg-type]


async def count(services: Services, model: type) -> int:
    async with services.ctx.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_create_numbers_per_guild_and_reads_dates_in_utc(services: Services) -> None:
    first = await services.predictions.create(new())
    second = await services.predictions.create(new("Rain tomorrow", "tomorrow 18:00"))
    elsewhere = await services.predictions.create(new(guild_id=OTHER_GUILD))
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    # A date without a time means the end of that day, here in UTC (no zone set).
    assert first.resolves_at == datetime(2027, 6, 30, 23, 59, tzinfo=UTC)
    assert first.closes_at == first.resolves_at
    assert first.resolves_at.tzinfo is not None
    shown = await services.predictions.get(GUILD, 1)
    assert shown.statement == "The bridge opens" and shown.resolves_at == first.resolves_at


async def test_dates_use_member_zone_then_server_zone(services: Services) -> None:
    await services.server_config.update_guild(GUILD, timezone="America/New_York")
    server = await services.predictions.create(new(resolves="2027-01-15 09:00"))
    assert server.resolves_at == datetime(2027, 1, 15, 14, 0, tzinfo=UTC)
    await services.timezones.set_member_zone(AUTHOR, "europe/berlin")
    own = await services.predictions.create(new(resolves="2027-01-15 09:00"))
    assert own.resolves_at == datetime(2027, 1, 15, 8, 0, tzinfo=UTC)


async def test_author_probability_is_the_first_vote(services: Services) -> None:
    info = await services.predictions.create(new(probability="70%"))
    assert info.community.count == 1 and info.community.median == 700
    async with services.ctx.sessions() as session:
        source = await session.scalar(select(VoteEvent.source))
    assert source == "author"


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"resolves": "yesterday"}, "future"),
        ({"resolves": "asdf"}, "resolution date"),
        ({"resolves": ""}, "resolution date"),
        ({"resolves": "2027-02-30"}, "resolution date"),
        ({"resolves": "in 500 years"}, "100 years"),
        ({"resolves": "2027-06-30", "closes": "2027-07-30"}, "close no later"),
        ({"statement": "   "}, "empty"),
        ({"statement": "x" * 300}, "256"),
        ({"probability": "150"}, "1 and 99"),  # 0 and 100 are kept as 1 and 99 %: one rule
        ({"probability": "-1"}, "1 and 99"),
        ({"probability": "abc"}, "1 and 99"),
        ({"details": "d" * 4001}, "4000"),
    ],
)
async def test_bad_input_is_explained_and_writes_nothing(
    services: Services, fields: dict[str, str], fragment: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await services.predictions.create(new(**fields))
    assert fragment.lower() in str(caught.value).lower()
    assert await count(services, Prediction) == 0
    assert await count(services, Vote) == 0


async def test_concurrent_creation_gives_distinct_numbers(services: Services) -> None:
    created = await asyncio.gather(
        *(services.predictions.create(new(f"Statement {i}")) for i in range(12))
    )
    assert sorted(p.number for p in created) == list(range(1, 13))


async def test_discard_releases_the_number(services: Services) -> None:
    info = await services.predictions.create(new())
    await services.predictions.discard(info.id)
    again = await services.predictions.create(new())
    assert again.number == 1 and await count(services, Prediction) == 1


async def test_list_newest_first_with_filters_and_pages(
    services: Services, clock: FakeClock
) -> None:
    for i in range(23):
        await services.predictions.create(
            new(f"S{i}", author_id=AUTHOR if i % 2 else VOTER, resolves="in 2 days")
        )
    page = await services.predictions.list_page(GUILD)
    assert page.total == 23 and page.pages == 3
    assert [p.number for p in page.items][:3] == [23, 22, 21]
    last = await services.predictions.list_page(GUILD, page=5)
    assert last.page == 2 and len(last.items) == 3
    mine = await services.predictions.list_page(GUILD, author_id=AUTHOR)
    assert mine.total == 11
    await services.predictions.cancel(GUILD, 1, Actor(VOTER))
    assert (await services.predictions.list_page(GUILD, status="cancelled")).total == 1
    clock.advance(timedelta(days=3))
    assert (await services.predictions.list_page(GUILD, status="closed")).total == 22
    assert (await services.predictions.list_page(GUILD, status="open")).total == 0
    with pytest.raises(InvalidInput):
        await services.predictions.list_page(GUILD, status="bogus")


async def test_search_by_number_and_text(services: Services) -> None:
    await services.predictions.create(new("Bridge opens"))
    await services.predictions.create(new("Rain in May"))
    await services.predictions.create(new("100% sure_thing"))
    assert [n for n, *_ in await services.finder.search(GUILD, "rain")] == [2]
    assert [n for n, *_ in await services.finder.search(GUILD, "#1")] == [1]
    assert [n for n, *_ in await services.finder.search(GUILD, "%")] == [3]
    assert len(await services.finder.search(GUILD, "")) == 3
    assert await services.finder.search(OTHER_GUILD, "") == []


async def test_search_matches_text_among_the_newest_and_numbers_anywhere(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Autocomplete runs per keystroke: text is scanned only among the newest predictions
    (a bounded index range at a million), a typed number is found wherever it is, first."""
    monkeypatch.setattr(finding, "TEXT_WINDOW", 3)
    for n in range(1, 7):
        await services.predictions.create(new(f"Rain on day {n}"))
    assert [n for n, *_ in await services.finder.search(GUILD, "rain")] == [6, 5, 4]
    assert [n for n, *_ in await services.finder.search(GUILD, "1")] == [1]  # by number
    assert [n for n, *_ in await services.finder.search(GUILD, "5")] == [5]  # once, first
    assert [n for n, *_ in await services.finder.search(GUILD, "day 2")] == []  # too old


async def test_unknown_or_foreign_number_is_not_found(services: Services) -> None:
    await services.predictions.create(new(guild_id=OTHER_GUILD))
    with pytest.raises(PredictionNotFound, match="no prediction #1 in this server"):
        await services.predictions.get(GUILD, 1)
    with pytest.raises(PredictionNotFound):
        await services.predictions.cancel(GUILD, 1, Actor(AUTHOR))


async def test_edit_records_every_change(services: Services) -> None:
    await services.predictions.create(new())
    result = await services.predictions.edit(
        GUILD,
        1,
        Actor(AUTHOR),
        statement="The bridge opens to cars",
        details="Per city council",
        resolves="2027-07-31",
    )
    assert set(result.changed) == {"statement", "details", "resolves_at"}
    info = result.prediction
    assert info.statement == "The bridge opens to cars" and info.edited_at is not None
    assert info.resolves_at == info.closes_at == datetime(2027, 7, 31, 23, 59, tzinfo=UTC)
    log = await services.predictions.edits(GUILD, 1)
    assert [field for _, field, _ in log] == ["statement", "details", "resolves_at"]
    async with services.ctx.sessions() as session:
        old = await session.scalar(
            select(PredictionEdit.old_value).where(PredictionEdit.field == "statement")
        )
    assert old == "The bridge opens"


async def test_statement_frozen_once_others_voted_but_details_can_be_added(
    services: Services,
) -> None:
    info = await services.predictions.create(new(details="Original", probability="60"))
    # The author's own vote does not freeze anything.
    await services.predictions.edit(GUILD, 1, Actor(AUTHOR), statement="Bridge opens v2")
    await services.votes.vote(GUILD, info.id, VOTER, 300, "slash")
    with pytest.raises(InvalidState, match="can no longer change"):
        await services.predictions.edit(GUILD, 1, Actor(AUTHOR), statement="Something else")
    result = await services.predictions.edit(GUILD, 1, Actor(AUTHOR), details="New evidence")
    assert result.prediction.details is not None
    assert result.prediction.details.startswith("Original")
    assert "New evidence" in result.prediction.details
    assert result.prediction.statement == "Bridge opens v2"


async def test_only_author_or_moderator_edits_and_cancels(services: Services) -> None:
    await services.predictions.create(new())
    with pytest.raises(NotAllowed, match="author"):
        await services.predictions.edit(GUILD, 1, Actor(VOTER), details="mine now")
    with pytest.raises(NotAllowed):
        await services.predictions.cancel(GUILD, 1, Actor(VOTER))
    await services.server_config.update_guild(GUILD, moderator_role_id=555)
    await services.predictions.edit(GUILD, 1, Actor(MOD, frozenset({555})), details="mod note")
    await services.predictions.edit(GUILD, 1, Actor(MOD, manages_guild=True), details="admin")
    cancelled = await services.predictions.cancel(GUILD, 1, Actor(MOD, frozenset({555})))
    assert cancelled.status == "cancelled"
    assert await count(services, Prediction) == 1  # kept, not deleted


async def test_cancelled_cannot_be_edited_or_cancelled_again(services: Services) -> None:
    await services.predictions.create(new())
    await services.predictions.cancel(GUILD, 1, Actor(AUTHOR))
    with pytest.raises(InvalidState, match="cancelled"):
        await services.predictions.edit(GUILD, 1, Actor(AUTHOR), details="x")
    with pytest.raises(InvalidState, match="already cancelled"):
        await services.predictions.cancel(GUILD, 1, Actor(AUTHOR))


async def test_edit_needs_a_change_and_valid_values(services: Services) -> None:
    await services.predictions.create(new())
    with pytest.raises(InvalidInput, match="at least one"):
        await services.predictions.edit(GUILD, 1, Actor(AUTHOR))
    with pytest.raises(InvalidInput, match="nothing changed"):
        await services.predictions.edit(GUILD, 1, Actor(AUTHOR), statement="The bridge opens")
    with pytest.raises(InvalidInput):
        await services.predictions.edit(GUILD, 1, Actor(AUTHOR), resolves="yesterday")
    assert await services.predictions.edits(GUILD, 1) == []


async def test_settings_validate_and_default(services: Services) -> None:
    config = await services.server_config.guild(GUILD)
    assert config.reminder_interval_hours == 72 and config.reminder_count == 3
    assert config.reaction_keycaps == (1, 3, 5, 7, 9) and config.leaderboard_min_resolved == 5
    with pytest.raises(InvalidInput, match="Europe/Berlin"):
        await services.server_config.update_guild(GUILD, timezone="Mars/Olympus")
    with pytest.raises(InvalidInput):
        await services.timezones.set_member_zone(AUTHOR, "Not/AZone")
    with pytest.raises(InvalidInput):
        await services.server_config.update_guild(GUILD, reaction_keycaps="1,12")
    updated = await services.server_config.update_guild(GUILD, reaction_keycaps="9, 1,1")
    assert updated.reaction_keycaps == (1, 9)
    assert str(await services.timezones.zone_for(AUTHOR, GUILD)) == "UTC"
