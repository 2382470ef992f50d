"""The signals that let in-process tests wait for a client instead of sleeping: REST requests in
flight, the gateway barrier, and the client's own tasks."""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import ClientTasks, caught_up
from tests.fakediscord_selftests.minibot import MiniBot

pytestmark = pytest.mark.fakediscord_selftest


async def test_a_request_is_in_flight_until_answered(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    fake_discord.delay("POST", r"/messages$", 0.2)
    channel = minibot.get_channel(int(fake_discord.text_channel_id))
    assert isinstance(channel, discord.TextChannel)
    sending = asyncio.create_task(channel.send("slowly"))

    await fake_discord.wait_for(lambda: fake_discord.in_flight == 1)
    assert fake_discord.find_requests("POST", r"/messages$") == []  # recorded once answered
    await fake_discord.until_idle()
    assert fake_discord.in_flight == 0
    assert [r.status for r in fake_discord.find_requests("POST", r"/messages$")] == [200]
    assert (await sending).content == "slowly"


async def test_after_the_barrier_the_client_has_read_every_earlier_event(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    channel = fake_discord.channel(fake_discord.text_channel_id)
    for n in range(5):
        await fake_discord.dispatch("CHANNEL_UPDATE", {**channel, "topic": f"topic {n}"})
    await caught_up(fake_discord, minibot)
    cached = minibot.get_channel(int(fake_discord.text_channel_id))
    assert isinstance(cached, discord.TextChannel) and cached.topic == "topic 4"
    assert fake_discord.violations == []


async def test_client_tasks_are_what_the_client_spawns_minus_timers() -> None:
    release, spawned = asyncio.Event(), asyncio.Event()
    children: list[asyncio.Task[None]] = []

    async def work() -> None:
        await release.wait()

    async def nap() -> None:
        await asyncio.sleep(3600)

    async def client() -> None:
        children.append(asyncio.create_task(work(), name="work"))
        children.append(asyncio.create_task(nap(), name="nap"))
        spawned.set()
        await asyncio.Event().wait()  # the client's life: never over

    tasks = ClientTasks(timers={nap.__qualname__})
    with tasks.recording():
        main = tasks.start(client())
        ours = asyncio.create_task(work(), name="the test's own")
        await spawned.wait()
        busy = tasks.busy()
        assert [task.get_name() for task in busy] == ["work"]  # not main, nap, nor ours
        release.set()
        await asyncio.wait(busy)
        assert tasks.busy() == []
    for task in (main, ours, *children):
        task.cancel()
    await asyncio.gather(main, ours, *children, return_exceptions=True)
