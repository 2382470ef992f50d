"""The fake serves shards the way Discord does, checked with discord.py's own sharded client:
IDENTIFY carries [shard_id, shard_count], each connection gets READY and GUILD_CREATE for its
servers only, events go to the connection that owns the server, /gateway/bot recommends the
count."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import discord
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import pointed_at

pytestmark = pytest.mark.fakediscord_selftest

COUNT = 2


class ShardClient(discord.AutoShardedClient):
    def __init__(self, shard_ids: Sequence[int] | None, shard_count: int | None) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_reactions = True
        super().__init__(
            intents=intents,
            shard_ids=list(shard_ids) if shard_ids is not None else None,
            shard_count=shard_count,
            guild_ready_timeout=0.05,
        )
        self.reactions: list[discord.RawReactionActionEvent] = []
        self.ready = asyncio.Event()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s between shards (Discord's identify rate); the fake does not."""

    async def on_ready(self) -> None:
        self.ready.set()

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.reactions.append(payload)


@contextlib.asynccontextmanager
async def running(
    fake: FakeDiscord, shard_ids: Sequence[int] | None, shard_count: int | None
) -> AsyncIterator[ShardClient]:
    client = ShardClient(shard_ids, shard_count)
    task = asyncio.create_task(client.start(fake.token))
    try:
        await asyncio.wait_for(client.ready.wait(), 20)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)


def owner(guild_id: str) -> int:
    return (int(guild_id) >> 22) % COUNT


@pytest.mark.fake_discord(guilds=4, shard_count=COUNT)
async def test_two_processes_each_get_their_own_servers_and_events(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    guilds = fake.world.guild_ids
    assert len(guilds) == 4 and sorted(owner(g) for g in guilds) == [0, 0, 1, 1]
    with pointed_at(fake):
        async with running(fake, [0], COUNT) as first, running(fake, [1], COUNT) as second:
            identifies = [f.d["shard"] for f in fake.identifies()]
            assert sorted(map(tuple, identifies)) == [(0, COUNT), (1, COUNT)]
            for shard, client in ((0, first), (1, second)):
                assert {str(g.id) for g in client.guilds} == {
                    g for g in guilds if owner(g) == shard
                }

            for guild_id in guilds:
                channel_id = fake.world.guild_channel_ids[guild_id]["predictions"]
                message = fake.user_message("a prediction", channel_id=channel_id)
                assert message["guild_id"] == guild_id
                event = fake.reaction_add(message["id"], "7️⃣", user="bob")
                assert await fake.dispatch("MESSAGE_REACTION_ADD", event) == 1
            await fake.wait_for(lambda: len(first.reactions) + len(second.reactions) == 4)
            for shard, client in ((0, first), (1, second)):
                assert sorted(str(r.guild_id) for r in client.reactions) == sorted(
                    g for g in guilds if owner(g) == shard
                )
                assert all(r.guild_id and client.get_guild(r.guild_id) for r in client.reactions)
    assert fake.violations == []


@pytest.mark.fake_discord(guilds=3, shard_count=COUNT)
async def test_auto_sharding_takes_the_recommended_count_and_sees_every_server(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    with pointed_at(fake):
        async with running(fake, None, None) as client:
            assert client.shard_count == COUNT
            assert sorted(tuple(f.d["shard"]) for f in fake.identifies()) == [(0, 2), (1, 2)]
            assert {str(g.id) for g in client.guilds} == set(fake.world.guild_ids)
    assert fake.find_requests("GET", r"^/gateway/bot$")


async def test_an_unsharded_client_is_shard_zero_of_one_and_gets_everything(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    with pointed_at(fake):
        client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        ready = asyncio.Event()
        client.event(_setter(ready))
        task = asyncio.create_task(client.start(fake.token))
        try:
            await asyncio.wait_for(ready.wait(), 20)
            assert [g.id for g in client.guilds] == [int(fake.guild_id)]
            assert "shard" not in fake.identifies()[0].d
        finally:
            await client.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 10)


def _setter(ready: asyncio.Event):  # type: ignore[no-untyped-def]
    async def on_ready() -> None:
        ready.set()

    return on_ready
