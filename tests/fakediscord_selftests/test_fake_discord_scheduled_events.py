"""The fake's scheduled events over real HTTP: limits at N and N + 1, Manage Events, echoes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.routes_events import MANAGE_EVENTS, events_of, grant_bot

pytestmark = pytest.mark.fakediscord_selftest


def body(**changes: Any) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=1)
    return {
        "name": "x" * 100,
        "entity_type": 3,
        "privacy_level": 2,
        "entity_metadata": {"location": "y" * 100},
        "scheduled_start_time": start.isoformat(),
        "scheduled_end_time": (start + timedelta(hours=1)).isoformat(),
    } | changes


async def call(fake: FakeDiscord, method: str, path: str, json: Any = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, fake.api_base + path, json=json, headers=headers) as r,
    ):
        return r.status, (await r.json() if r.status != 204 else None)


async def test_scheduled_events_need_manage_events_and_keep_discords_limits(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    path = f"/guilds/{fake.world.guild_id}/scheduled-events"
    status, answer = await call(fake, "POST", path, body())
    assert (status, answer["code"]) == (403, 50013)
    assert fake.violations == []  # a server may withhold the permission
    grant_bot(fake.state, MANAGE_EVENTS)
    status, event = await call(fake, "POST", path, body())
    assert status == 200 and event["status"] == 1 and event["id"] in events_of(fake.state)
    for bad in (
        body(name="x" * 101),
        body(entity_metadata={"location": "y" * 101}),
        body(scheduled_end_time=None),
        body(scheduled_start_time=(datetime.now(UTC) - timedelta(hours=1)).isoformat()),
    ):
        status, _ = await call(fake, "POST", path, bad)
        assert status == 400
    assert len(fake.violations) == 4
    status, edited = await call(fake, "PATCH", f"{path}/{event['id']}", {"name": "Moved"})
    assert status == 200 and edited["name"] == "Moved"
    assert (await call(fake, "DELETE", f"{path}/{event['id']}"))[0] == 204
    status, answer = await call(fake, "DELETE", f"{path}/{event['id']}")
    assert (status, answer["code"]) == (404, 10070)
