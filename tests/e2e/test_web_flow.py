"""The web view end to end (issue 20): the real ``python -m bot`` with WEB_PORT set, against
the fake Discord. A server opts in, a member predicts and another votes, and the page and the
API answer over HTTP; the message links to the page; ``python -m bot web`` serves the same
database alone."""

from __future__ import annotations

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
