"""A question of another kind on the web view: its page, its API and the member's recent
forecasts say the forecasts and the answer in the kind's words (a toy "pick one option" kind,
registered here, stands for the real ones)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.clock import FakeClock
from bot.domain.kinds import register, unregister
from bot.domain.vocabulary import VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, VOTER
from tests.services.core.test_toy_kind import Pick
from tests.web.world import MODERATOR, build

Client = TestClient[Any, Any]
SERVER = f"/servers/{GUILD}"
API = f"/api/v1/servers/{GUILD}"


@pytest.fixture(autouse=True)
def pick_kind() -> Iterator[None]:
    register(Pick())
    yield
    unregister("toy_pick")


async def test_another_kinds_page_and_api_speak_its_words(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    info = await services.predictions.create(
        NewPrediction(
            GUILD,
            AUTHOR,
            "Which colour wins?",
            "in 10 days",
            probability="red",
            kind="toy_pick",
            kind_fields={"options": "red | <b>blue</b>"},
        )
    )
    await services.web.record_prediction(info.id, True)
    await services.votes.vote(GUILD, info.id, VOTER, "<b>blue</b>", VoteSource.SLASH)
    await services.votes.vote(GUILD, info.id, MODERATOR.user_id, "<b>blue</b>", VoteSource.SLASH)

    page = await (await web_client.get(f"{SERVER}/predictions/{info.number}")).text()
    assert "<strong>&lt;b&gt;blue&lt;/b&gt;</strong>: the community's pick forecast" in page
    assert "3 forecasters" in page and "No votes yet" not in page
    api = await (await web_client.get(f"{API}/predictions/{info.number}")).json()
    assert api["kind"] == "toy_pick" and api["voters"] == 3
    assert api["community"]["forecast"] == "<b>blue</b>"
    assert api["community"]["median_permille"] is None

    clock.advance(days=11)
    await services.resolution.resolve(GUILD, info.number, MODERATOR, "<b>blue</b>")
    page = await (await web_client.get(f"{SERVER}/predictions/{info.number}")).text()
    assert "Resolved <strong>&lt;b&gt;blue&lt;/b&gt;</strong>" in page
    assert "ANSWERED" not in page
    api = await (await web_client.get(f"{API}/predictions/{info.number}")).json()
    assert api["resolution"]["outcome"] == "answered"
    assert api["resolution"]["said"] == "<b>blue</b>"
    listed = await (await web_client.get(f"{API}/predictions?state=resolved")).json()
    row = next(r for r in listed["predictions"] if r["number"] == info.number)
    assert (row["kind"], row["outcome_said"]) == ("toy_pick", "<b>blue</b>")

    member = await (await web_client.get(f"{API}/members/{VOTER}")).json()
    mine = next(f for f in member["recent_forecasts"] if f["number"] == info.number)
    assert (mine["permille"], mine["forecast"], mine["outcome"]) == (
        None,
        "<b>blue</b>",
        "answered",
    )
    member_page = await (await web_client.get(f"{SERVER}/members/{VOTER}")).text()
    assert "<strong>&lt;b&gt;blue&lt;/b&gt;</strong> on" in member_page

    # The leaderboard says what it ranks: every kind on the relative score, one on a raw one.
    every = await (await web_client.get(f"{API}/leaderboard")).json()
    brier = await (await web_client.get(f"{API}/leaderboard?metric=brier")).json()
    assert (every["kind"], brier["kind"]) == (None, "yes_no")
    page = await (await web_client.get(f"{SERVER}/leaderboard?metric=brier")).text()
    assert "Ranked on yes/no questions only" in page
    page = await (await web_client.get(f"{SERVER}/leaderboard")).text()
    assert "Every kind of question counts" in page
