"""The web view as a client meets it: pages and API agree, ETags, the rate limit, the OpenAPI
document, keyset pages, escaping, link previews, and a database it cannot write to."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.public.reader import PublicReader
from bot.services.registry import Services
from cogs.web.app import build_app
from db.engine import create_session_factory
from tests.conftest import AUTHOR, GUILD, VOTER
from tests.web.conftest import PUBLIC_URL, InlineCharts, make_client_factory
from tests.web.world import MODERATOR, SERVER_NAME, build

Client = TestClient[Any, Any]
SERVER = f"/servers/{GUILD}"
API = f"/api/v1/servers/{GUILD}"
PNG = b"\x89PNG\r\n\x1a\n"


async def test_server_prediction_member_and_leaderboard_pages(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    server = await (await web_client.get(SERVER)).text()
    assert f"<h1>{SERVER_NAME}</h1>" in server
    assert f'href="/servers/{GUILD}/predictions/2"' in server  # open, linked
    assert "Recently resolved" in server and "The bridge opens" in server
    prediction = await (await web_client.get(f"{SERVER}/predictions/1")).text()
    assert "Resolved <strong>YES</strong>" in prediction
    assert "Opened &lt;b&gt;today&lt;/b&gt;" in prediction  # member text is escaped
    assert "<b>today</b>" not in prediction
    assert "3 forecasters" in prediction  # the forgotten member's forecast still counts
    details = await (await web_client.get(f"{SERVER}/predictions/2")).text()
    assert "Per the met office" in details and "Met office, Heathrow station" in details  # log
    member = await (await web_client.get(f"{SERVER}/members/{VOTER}")).text()
    assert "Track record" in member and "81%" in member  # the resolved forecast
    board = await (await web_client.get(f"{SERVER}/leaderboard?period=all&metric=brier")).text()
    assert f'href="/servers/{GUILD}/members/{VOTER}"' in board


async def test_open_graph_tags_and_preview_card(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    page = await (await web_client.get(f"{SERVER}/predictions/2")).text()
    url = f"{PUBLIC_URL}/servers/{GUILD}/predictions/2"
    assert f'<meta property="og:url" content="{url}">' in page
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    assert image is not None and image.group(1).startswith(f"{url}/preview.png?v=")
    assert '<meta property="og:title" content="#2 Rain on the parade">' in page
    assert "community 61.5%" in page  # the description carries the forecast (710 and 520)
    preview = await web_client.get(image.group(1).removeprefix(PUBLIC_URL))
    assert preview.status == 200 and preview.content_type == "image/png"
    assert (await preview.read()).startswith(PNG)
    history = await web_client.get(f"{SERVER}/predictions/2/history.png")
    assert (await history.read()).startswith(PNG)
    calibration = await web_client.get(f"{SERVER}/members/{VOTER}/calibration.png")
    assert (await calibration.read()).startswith(PNG)


async def test_etag_answers_304_until_the_content_changes(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    first = await web_client.get(f"{API}/predictions/2")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = await web_client.get(f"{API}/predictions/2", headers={"If-None-Match": tag})
    assert again.status == 304 and await again.read() == b""
    await services.votes.vote(GUILD, 2, AUTHOR, 100, "slash")  # type: ignore[arg-type]
    changed = await web_client.get(f"{API}/predictions/2", headers={"If-None-Match": tag})
    assert changed.status == 200 and changed.headers["ETag"] != tag


async def test_rate_limit_per_client(
    services: Services, clock: FakeClock, read_only_engine: AsyncEngine
) -> None:
    await build(services, clock)
    client = await make_client_factory(read_only_engine, clock)(rate_per_minute=3)
    try:
        statuses = [(await client.get(f"{API}/predictions")).status for _ in range(3)]
        limited = await client.get(f"{API}/predictions")
        assert statuses == [200, 200, 200] and limited.status == 429
        assert int(limited.headers["Retry-After"]) == 20
        assert "Too many requests" in (await limited.json())["error"]
        page = await client.get(SERVER)
        assert page.status == 429 and "Slow down" in await page.text()
        assert (await client.get("/static/style.css")).status == 200  # assets are not counted
        clock.advance(seconds=20)
        assert (await client.get(f"{API}/predictions")).status == 200
    finally:
        await client.close()


async def test_openapi_documents_every_api_route(web_client: Client) -> None:
    document = await (await web_client.get("/api/v1/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    served = {
        route.resource.canonical
        for route in web_client.app.router.routes()  # type: ignore[union-attr]
        if route.resource is not None and route.resource.canonical.startswith("/api/")
    }
    assert documented == served


async def test_keyset_pages_walk_every_prediction_once(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await services.web.set_server(GUILD, True, SERVER_NAME)
    for n in range(45):
        info = await services.predictions.create(
            NewPrediction(GUILD, AUTHOR, f"Prediction {n}", f"in {n % 7 + 2} days")
        )
        await services.web.record_prediction(info.id, True)
    clock.advance(days=1)
    for number in range(1, 26):  # resolved at one and the same instant: equal sort keys
        await services.resolution.resolve(GUILD, number, MODERATOR, "yes")
    for state, count in (("all", 45), ("open", 20), ("resolved", 25)):
        seen: list[int] = []
        after = ""
        while True:
            page = await (
                await web_client.get(f"{API}/predictions?state={state}&limit=10&after={after}")
            ).json()
            seen += [row["number"] for row in page["predictions"]]
            if page["next"] is None:
                break
            after = page["next"]
        expected = range(26, 46) if state == "open" else range(1, count + 1)
        assert sorted(seen) == list(expected), state
    opening = await (await web_client.get(f"{API}/predictions?state=open&limit=45")).json()
    dates = [row["resolves_at"] for row in opening["predictions"]]
    assert dates == sorted(dates)  # soonest first
    html = await (await web_client.get(f"{SERVER}/predictions?state=all")).text()
    assert 'rel="next"' in html


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"{API}/predictions?after=garbage", "cursor"),
        (f"{API}/predictions?state=open&after=4000000000000000000.1", "cursor"),
        (f"{API}/predictions?tag=%00{'x' * 40}", "at most 32"),
        (f"{API}/predictions?state=sideways", "`state` is one of"),
        (f"{API}/predictions?limit=1000", "`limit`"),
        (f"{API}/leaderboard?metric=vibes", "`metric` is one of"),
        (f"{API}/leaderboard?page=0", "`page`"),
    ],
)
async def test_bad_parameters_say_what_is_accepted(
    services: Services, clock: FakeClock, web_client: Client, path: str, message: str
) -> None:
    await build(services, clock)
    response = await web_client.get(path)
    assert response.status == 400 and message in (await response.json())["error"]


async def test_not_found_shapes_and_read_only_methods(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    assert (await web_client.get(f"{SERVER}/predictions/abc")).status == 404
    assert (await web_client.get(f"/servers/{'9' * 30}")).status == 404
    posted = await web_client.post(f"{API}/predictions")
    assert posted.status == 405 and "read-only" in (await posted.json())["error"]
    page = await web_client.get(f"{SERVER}/predictions/99")
    assert page.status == 404 and page.content_type == "text/html"
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")


async def test_the_web_engine_cannot_write(read_only_engine: AsyncEngine) -> None:
    async with read_only_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM predictions"))).scalar() == 0
        with pytest.raises(DBAPIError):  # SQLite query_only, PostgreSQL read-only
            await connection.execute(text("DELETE FROM predictions"))


async def test_search_and_tag_filters(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    found = await (await web_client.get(f"{API}/predictions?q=bridge")).json()
    assert [row["number"] for row in found["predictions"]] == [1]
    tagged = await (await web_client.get(f"{API}/predictions?tag=City")).json()
    assert [row["number"] for row in tagged["predictions"]] == [1]
    page = await (await web_client.get(f"{SERVER}?q=parade")).text()
    assert "Rain on the parade" in page and "The bridge opens" not in page
    server = await (await web_client.get(API)).json()
    assert server == {"guild_id": str(GUILD), "name": SERVER_NAME, "tags": ["city"]}


class CountingReader(PublicReader):
    """The real reader, counting how often the server's front page is read."""

    reads = 0

    async def front_page(self, *args: Any, **kwargs: Any) -> Any:
        CountingReader.reads += 1
        await asyncio.sleep(0)  # let the other requests arrive while this one reads
        return await super().front_page(*args, **kwargs)


async def test_identical_requests_in_flight_share_one_read(
    services: Services, clock: FakeClock, read_only_engine: AsyncEngine
) -> None:
    await build(services, clock)
    ctx = ServiceContext(sessions=create_session_factory(read_only_engine), clock=clock)
    app = build_app(CountingReader(ctx), clock, InlineCharts())
    client: Client = TestClient(TestServer(app))
    await client.start_server()
    try:
        CountingReader.reads = 0
        responses = await asyncio.gather(*(client.get(SERVER) for _ in range(20)))
        bodies = {await r.text() for r in responses}
        assert [r.status for r in responses] == [200] * 20 and len(bodies) == 1
        assert CountingReader.reads < 20  # shared, not read twenty times
        assert all(r.headers["ETag"] == responses[0].headers["ETag"] for r in responses)
        CountingReader.reads = 0
        await client.get(SERVER)
        assert CountingReader.reads == 1  # nothing is cached once the flight has landed
        await services.web.set_server(GUILD, False, SERVER_NAME)
        assert (await client.get(SERVER)).status == 404
    finally:
        await client.close()


class CountingCharts(InlineCharts):
    drawn = 0

    async def render(self, function: Any, *args: Any, **kwargs: Any) -> bytes:
        CountingCharts.drawn += 1
        return await super().render(function, *args, **kwargs)


async def test_charts_are_drawn_once_per_state_of_the_prediction(
    services: Services, clock: FakeClock, read_only_engine: AsyncEngine
) -> None:
    await build(services, clock)
    ctx = ServiceContext(sessions=create_session_factory(read_only_engine), clock=clock)
    client: Client = TestClient(TestServer(build_app(PublicReader(ctx), clock, CountingCharts())))
    await client.start_server()
    try:
        CountingCharts.drawn = 0
        for path in ("history.png", "preview.png") * 3:
            assert (await client.get(f"{SERVER}/predictions/2/{path}")).status == 200
        assert CountingCharts.drawn == 2
        await services.votes.vote(GUILD, 2, AUTHOR, 100, "slash")  # type: ignore[arg-type]
        first = await (await client.get(f"{SERVER}/predictions/2/preview.png")).read()
        assert CountingCharts.drawn == 3 and first.startswith(PNG)  # a new state, a new card
    finally:
        await client.close()


async def test_behind_a_listed_proxy_each_visitor_has_their_own_allowance(
    services: Services, clock: FakeClock, read_only_engine: AsyncEngine
) -> None:
    await build(services, clock)
    client = await make_client_factory(read_only_engine, clock)(
        rate_per_minute=2, trusted_proxies="127.0.0.1, ::1"
    )
    try:

        async def status(visitor: str) -> int:
            headers = {"X-Forwarded-For": visitor}
            return (await client.get(f"{API}/predictions", headers=headers)).status

        assert [await status("198.51.100.1") for _ in range(3)] == [200, 200, 429]
        assert [await status("198.51.100.2") for _ in range(2)] == [200, 200]
    finally:
        await client.close()
