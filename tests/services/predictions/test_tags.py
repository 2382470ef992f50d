"""Tags: normalised names, limits, filters on lists, stats and leaderboards, rename and merge."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.tags import normalise_tag, parse_tags
from bot.domain.vocabulary import VoteSource
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, MOD, OTHER_GUILD, VOTER

MODERATOR = Actor(MOD, manages_guild=True)


async def create(services: Services, tags: str | None, guild: int = GUILD) -> PredictionInfo:
    return await services.predictions.create(
        NewPrediction(
            guild_id=guild,
            author_id=AUTHOR,
            statement="The bridge opens",
            resolves="in 10 days",
            tags=tags,
        )
    )


def test_names_are_case_folded_and_whitespace_collapsed() -> None:
    assert normalise_tag("  Climate   POLICY ") == "climate policy"
    assert parse_tags("Climate, climate ,  SPORTS,,") == ("climate", "sports")
    assert parse_tags(None) == () and parse_tags("  ") == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("x" * 33, "at most 32"),
        ("a,b,c,d,e,f", "at most 5 tags"),
    ],
)
def test_bad_tags_are_refused_with_the_limit(raw: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        parse_tags(raw)


async def test_create_stores_normalised_tags(services: Services) -> None:
    info = await create(services, "Climate, Europe")
    assert info.tags == ("climate", "europe")
    assert (await services.predictions.get(GUILD, info.number)).tags == ("climate", "europe")


async def test_too_many_tags_writes_nothing(services: Services) -> None:
    with pytest.raises(InvalidInput):
        await create(services, "a,b,c,d,e,f")
    assert (await services.predictions.list_page(GUILD)).total == 0


async def test_list_filters_by_tag(services: Services) -> None:
    await create(services, "climate")
    await create(services, "sports")
    await create(services, "Climate, sports")
    page = await services.predictions.list_page(GUILD, tag="CLIMATE")
    assert [i.number for i in page.items] == [3, 1]
    assert page.items[0].tags == ("climate", "sports")


async def test_unknown_tag_filter_says_how_to_find_tags(services: Services) -> None:
    await create(services, "climate")
    with pytest.raises(NotFound, match="No prediction in this server is tagged `weather`"):
        await services.predictions.list_page(GUILD, tag="weather")
    await create(services, "weather", guild=OTHER_GUILD)  # another server's tag is not ours
    with pytest.raises(NotFound):
        await services.predictions.list_page(GUILD, tag="weather")


async def test_edit_adds_and_removes_tags_and_logs_it(services: Services) -> None:
    info = await create(services, "climate")
    author = Actor(AUTHOR)
    result = await services.predictions.edit(
        GUILD, info.number, author, add_tags="Europe, energy", remove_tags="climate"
    )
    assert result.prediction.tags == ("energy", "europe")
    assert result.changed == ("tags",)
    assert [field for _, field, _ in await services.predictions.edits(GUILD, 1)] == ["tags"]


async def test_edit_tag_errors(services: Services) -> None:
    info = await create(services, "a,b,c,d")
    author = Actor(AUTHOR)
    with pytest.raises(InvalidInput, match="at most 5"):
        await services.predictions.edit(GUILD, info.number, author, add_tags="e,f")
    with pytest.raises(InvalidInput, match="not tagged `zzz`"):
        await services.predictions.edit(GUILD, info.number, author, remove_tags="zzz")
    with pytest.raises(InvalidInput, match="nothing changed"):
        await services.predictions.edit(GUILD, info.number, author, add_tags="a")
    with pytest.raises(NotAllowed):
        await services.predictions.edit(GUILD, info.number, Actor(VOTER), add_tags="x")
    assert (await services.predictions.get(GUILD, 1)).tags == ("a", "b", "c", "d")


async def test_autocomplete_searches_the_servers_tags(services: Services) -> None:
    await create(services, "climate, clinical trials, sports")
    await create(services, "climbing", guild=OTHER_GUILD)
    assert await services.tags.search(GUILD, "CLI") == ["climate", "clinical trials"]
    assert await services.tags.search(GUILD, "") == ["climate", "clinical trials", "sports"]
    assert await services.tags.search(GUILD, "%") == []


async def test_rename_and_merge(services: Services) -> None:
    await create(services, "climate")
    await create(services, "Climate change, climate")
    await create(services, "climate change")
    renamed = await services.tags.rename(GUILD, MODERATOR, "Climate change", "weather")
    assert (renamed.merged, renamed.predictions) == (False, 2)
    merged = await services.tags.rename(GUILD, MODERATOR, "weather", "climate")
    assert merged.merged and merged.predictions == 3
    assert await services.tags.search(GUILD, "") == ["climate"]
    assert (await services.predictions.get(GUILD, 2)).tags == ("climate",)


async def test_rename_errors(services: Services) -> None:
    await create(services, "climate")
    with pytest.raises(NotAllowed):
        await services.tags.rename(GUILD, Actor(AUTHOR), "climate", "weather")
    with pytest.raises(NotFound):
        await services.tags.rename(GUILD, MODERATOR, "nope", "weather")
    with pytest.raises(InvalidInput, match="same"):
        await services.tags.rename(GUILD, MODERATOR, "Climate", " climate ")


async def test_stats_and_leaderboard_by_tag(services: Services, clock: FakeClock) -> None:
    climate = await create(services, "climate")
    sports = await create(services, "sports")
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    for info, permille in ((climate, 900), (sports, 100)):
        await services.votes.vote(GUILD, info.id, VOTER, permille, VoteSource.SLASH)
    clock.advance(days=1)
    for info in (climate, sports):
        await services.resolution.resolve(GUILD, info.number, MODERATOR, "yes")
    everything = await services.stats.member(GUILD, VOTER)
    topic = await services.stats.member(GUILD, VOTER, tag="Climate")
    assert everything.resolved == 2 and topic.resolved == 1
    assert topic.mean_brier == pytest.approx(0.01)
    buckets = await services.stats.calibration(GUILD, VOTER, tag="sports")
    assert sum(b.count for b in buckets) == 1
    board = await services.stats.leaderboard(GUILD, tag="climate", caller_id=VOTER)
    assert [(r.user_id, r.count) for r in board.rows] == [(VOTER, 1)]
    assert board.rows[0].value == pytest.approx(0.0)  # relative to a crowd of one
    brier = await services.stats.leaderboard(GUILD, tag="sports", metric="brier")
    assert brier.rows[0].value == pytest.approx(0.81)
    with pytest.raises(NotFound):
        await services.stats.leaderboard(GUILD, tag="unknown")
