"""What never reaches the web, checked through the pages and the API alike: a server that has
not opted in, a prediction from a private channel (or one never checked), a hidden vote before
close, a forgotten member, a member who opted out."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.clock import FakeClock
from bot.services.registry import Services
from tests.conftest import GUILD, OTHER_GUILD, VOTER
from tests.web.world import GONE, NAMES, OTHER_NAME, PRIVATE_MEMBER, SERVER_NAME, build

Client = TestClient[Any, Any]
SERVER = f"/servers/{GUILD}"
API = f"/api/v1/servers/{GUILD}"


async def text_of(client: Client, path: str, status: int = 200) -> str:
    response = await client.get(path)
    assert response.status == status, (path, response.status)
    return await response.text()


async def every_public_text(client: Client) -> str:
    """Everything a visitor can read about the server: pages and API, lists and details."""
    paths = [
        SERVER,
        f"{SERVER}/predictions?state=all",
        f"{SERVER}/predictions?state=open",
        f"{SERVER}/predictions?state=resolved",
        f"{SERVER}/leaderboard",
        f"{SERVER}/predictions/1",
        f"{SERVER}/predictions/2",
        f"{SERVER}/predictions/4",
        f"{SERVER}/members/{VOTER}",
        f"{API}",
        f"{API}/predictions?state=all",
        f"{API}/predictions/1",
        f"{API}/predictions/2",
        f"{API}/predictions/4",
        f"{API}/leaderboard",
        f"{API}/members/{VOTER}",
    ]
    return "\n".join([await text_of(client, path) for path in paths])


async def test_a_server_that_has_not_opted_in_does_not_exist(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    other = f"/servers/{OTHER_GUILD}"
    for path in (
        other,
        f"{other}/predictions?state=all",
        f"{other}/predictions/1",
        f"{other}/predictions/1/preview.png",
        f"{other}/leaderboard",
        f"{other}/members/{VOTER}",
        f"/api/v1{other}",
        f"/api/v1{other}/predictions",
        f"/api/v1{other}/predictions/1",
        f"/api/v1{other}/members/{VOTER}",
        f"/api/v1{other}/leaderboard",
        "/servers/99999/predictions/1",
    ):
        body = await text_of(web_client, path, 404)
        assert OTHER_NAME not in body and "Quiet club prediction" not in body
    # Opting out takes everything down at once, name included.
    assert SERVER_NAME in await text_of(web_client, SERVER)
    await services.web.set_server(GUILD, False, SERVER_NAME)
    assert SERVER_NAME not in await text_of(web_client, SERVER, 404)
    assert SERVER_NAME not in await text_of(web_client, f"{API}/predictions/1", 404)


async def test_predictions_from_private_or_unchecked_channels_are_not_shown(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    world = await build(services, clock)
    everything = await every_public_text(web_client)
    assert "The bridge opens" in everything  # the public ones are there
    assert "Secret layoffs" not in everything and "Never checked channel" not in everything
    assert "layoffs" not in everything  # not even its tag
    for number in (world.private, world.unknown):
        await text_of(web_client, f"{SERVER}/predictions/{number}", 404)
        await text_of(web_client, f"{API}/predictions/{number}", 404)
        await text_of(web_client, f"{SERVER}/predictions/{number}/history.png", 404)
        await text_of(web_client, f"{SERVER}/predictions/{number}/preview.png", 404)
    searched = await text_of(web_client, f"{API}/predictions?state=all&q=Secret")
    assert "Secret" not in searched
    await text_of(web_client, f"{API}/leaderboard?tag=layoffs", 400)
    # The channel becomes public: the prediction appears.
    await services.web.record_prediction(3, True)
    assert "Secret layoffs" in await text_of(web_client, f"{SERVER}/predictions/3")


async def test_hidden_votes_stay_hidden_until_close(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    world = await build(services, clock)
    page = await text_of(web_client, f"{SERVER}/predictions/{world.hidden}")
    assert "1 forecaster so far" in page and "Votes are hidden" in page and "93%" not in page
    api = await (await web_client.get(f"{API}/predictions/{world.hidden}")).json()
    assert api["voters"] == 1 and api["forecasts_shown"] is False
    assert api["community"] == {
        "forecast": None,
        "median_permille": None,
        "geometric_mean_permille": None,
        "history": [],
    }
    member = await (await web_client.get(f"{API}/members/{VOTER}")).json()
    assert world.hidden not in [f["number"] for f in member["recent_forecasts"]]
    assert "Sealed-bid" not in await text_of(web_client, f"{SERVER}/members/{VOTER}")
    # Once voting closes (the resolution date here), the votes show, as in Discord.
    clock.advance(days=11)
    api = await (await web_client.get(f"{API}/predictions/{world.hidden}")).json()
    assert api["community"]["median_permille"] == 930 and api["community"]["history"]
    member = await (await web_client.get(f"{API}/members/{VOTER}")).json()
    assert world.hidden in [f["number"] for f in member["recent_forecasts"]]


async def test_forgotten_and_opted_out_members_are_never_named(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    everything = await every_public_text(web_client)
    assert NAMES[VOTER] in everything  # listed members are named
    for user_id in (GONE, PRIVATE_MEMBER):
        assert NAMES[user_id] not in everything
        assert str(user_id) not in everything
        await text_of(web_client, f"{SERVER}/members/{user_id}", 404)
        await text_of(web_client, f"{API}/members/{user_id}", 404)
        await text_of(web_client, f"{SERVER}/members/{user_id}/calibration.png", 404)
    board = await (await web_client.get(f"{API}/leaderboard")).json()
    who = [row["member"] for row in board["rows"]]
    assert {"name": "a member (private profile)", "user_id": None} in who  # keeps a place
    assert all(m["user_id"] in (None, str(VOTER)) for m in who)
    # Coming back on the web is the member's choice.
    await services.web.set_member_hidden(PRIVATE_MEMBER, False)
    assert NAMES[PRIVATE_MEMBER] in await text_of(web_client, f"{SERVER}/members/{PRIVATE_MEMBER}")
