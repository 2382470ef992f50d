"""The web view end to end (issue 20): the real ``python -m bot`` with WEB_PORT set, against
the fake Discord. A server opts in, a member predicts and another votes, and the page and the
API answer over HTTP; the message links to the page; a multiple-choice and a numeric
question show their charts, drawn by the chart workers; ``python -m bot web`` serves the same
database alone."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def fetch(url: str) -> tuple[int, str, Any]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        body = await response.text()
        data = await response.json() if response.content_type == "application/json" else None
        return response.status, body, data


async def fetch_image(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.content_type, await response.read()


def chart_images(html: str) -> dict[str, str]:
    """Each chart on a page: its path (without the version) -> alt text."""
    return dict(re.findall(r'<img src="([^"?]+\.png)\?v=\d+"[^>]*alt="([^"]*)"', html))


async def assert_charts_load(base: str, page: str, names: list[str], said: str) -> None:
    """The page lists exactly ``names`` as charts, each alt text says the community forecast,
    and each image is a PNG drawn by the running process's chart workers."""
    status, html, _ = await fetch(page)
    assert status == 200
    shown = chart_images(html)
    assert [path.rsplit("/", 1)[1] for path in shown] == names, shown
    for path, alt in shown.items():
        assert said in alt, alt
        status, content_type, body = await fetch_image(base + path)
        assert (status, content_type) == (200, "image/png") and body.startswith(b"\x89PNG")


def web_links(message: dict[str, Any]) -> list[str]:
    rows = message.get("components") or []
    return [str(c["url"]) for row in rows for c in row.get("components", []) if c.get("url")]


async def test_opt_in_predict_vote_then_read_the_page_and_api(
    fake_discord: FakeDiscord, bot_process: BotProcess, tmp_path: Path
) -> None:
    fake = fake_discord
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    await flows.launch(bot_process, WEB_PORT=str(port), PUBLIC_URL=base)
    await bot_process.wait_for_log(r"Web view listening")
    server = f"{base}/servers/{fake.guild_id}"
    status, body, _ = await fetch(server)
    assert status == 404 and "not on the web" in body  # not opted in yet

    turned_on = await flows.send(
        fake, fake.slash("augury", p.subcommand("web", p.option("enabled", "on")), user="admin")
    )
    assert turned_on.ephemeral and f"on the web at {server}" in turned_on.text
    posted = await flows.predict(fake, "The ferry runs on time", "in 3 months")
    page = f"{server}/predictions/{posted.number}"
    await fake.wait_for(
        lambda: web_links(fake.message(posted.message_id)) == [page],
        message="for the View on the web link",
    )
    confirmed = await flows.vote_by_modal(fake, posted.message_id, "bob", "70")
    assert confirmed.ephemeral

    status, html, _ = await fetch(page)
    assert status == 200 and "The ferry runs on time" in html and "70%" in html
    assert f'<meta property="og:url" content="{page}">' in html
    status, _, data = await fetch(f"{base}/api/v1/servers/{fake.guild_id}/predictions/1")
    assert status == 200 and data["statement"] == "The ferry runs on time"
    assert data["voters"] == 1 and data["community"]["median_permille"] == 700
    status, _, listed = await fetch(f"{base}/api/v1/servers/{fake.guild_id}/predictions")
    assert [row["number"] for row in listed["predictions"]] == [posted.number]
    status, _, openapi = await fetch(f"{base}/api/v1/openapi.json")
    assert status == 200 and openapi["info"]["title"] == "Augury public API"

    # The other kinds: the same charts as in Discord, with the forecast in words beside them.
    choice = await flows.predict(
        fake,
        "Which lab releases its next model first?",
        "in 3 months",
        p.option("kind", "multiple_choice"),
        p.option("options", "Anthropic | OpenAI"),
        p.option("probability", "60/40"),
        keycaps=0,
    )
    seats = await flows.predict(
        fake,
        "How many seats will the party win?",
        "in 3 months",
        p.option("kind", "numeric"),
        p.option("low", "0"),
        p.option("high", "650"),
        p.option("unit", "seats"),
        p.option("probability", "42, 30 to 60"),
        keycaps=0,
    )
    for number, forecast in ((choice.number, "20/80"), (seats.number, "median 80, 80% 50-120")):
        vote = fake.slash(
            "vote", p.option("prediction", number), p.option("forecast", forecast), user="bob"
        )
        assert (await flows.send(fake, vote)).ephemeral
    await assert_charts_load(
        base, f"{server}/predictions/{choice.number}", ["choices.png"], "Community: Anthropic "
    )
    await assert_charts_load(
        base,
        f"{server}/predictions/{seats.number}",
        ["density.png", "fan.png"],
        "Community: median ",
    )
    flows.assert_log_clean(bot_process)
    assert await bot_process.terminate() == 0

    # The web view alone on the same database: no Discord connection, no token needed.
    web_port = free_port()
    alone = BotProcess(
        fake,
        tmp_path,
        args=["web"],
        env={"WEB_PORT": str(web_port), "DISCORD_TOKEN": ""},
        expect_sync=False,
    )
    await alone.start()
    try:
        await alone.wait_for_log(r"Web view listening", timeout=30)
        status, _, data = await fetch(
            f"http://127.0.0.1:{web_port}/api/v1/servers/{fake.guild_id}/predictions/1"
        )
        assert status == 200 and data["community"]["median_permille"] == 700
    finally:
        assert await alone.terminate() == 0
