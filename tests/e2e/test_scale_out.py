"""Scale-out end to end: two ``python -m bot`` processes on one PostgreSQL database, each
running one of two shards of a fake Discord with four servers.

Every server gets a prediction, votes (keycap reactions and the vote form), a reminder and a
resolution. The process of shard 0 is killed while its reminders are pending and restarted
after they came due: each reminder is delivered exactly once, by the process owning the server;
every acknowledged vote is stored once; every reaction is processed once.
"""

from __future__ import annotations

import asyncio
import re
import socket
from pathlib import Path

import aiohttp
import pytest

from db.migrate import MIGRATION_LOCK_KEY
from tests.e2e import flows, postgres
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e

COUNT = 2
RESOLVES_IN = "in 12 seconds"
VOTERS = (("alice", 3), ("bob", 7), ("carol", 5))
MIGRATED = r"Migrated the database from empty to \w+"
REMINDER = "⏰"


def shard_of(guild_id: str) -> int:
    return (int(guild_id) >> 22) % COUNT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def health(bot: BotProcess) -> tuple[int, object]:
    url = f"http://127.0.0.1:{bot.extra_env['METRICS_PORT']}/healthz"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


def process(fake: FakeDiscord, root: Path, url: str, shard: int) -> BotProcess:
    workdir = root / f"shard-{shard}"
    workdir.mkdir()
    env = {**flows.FAST_ENV, "DATABASE_URL": url, "SHARD_COUNT": str(COUNT)}
    bot = BotProcess(
        fake,
        workdir,
        env={**env, "METRICS_PORT": str(free_port())},
        dev_guild=False,
        expect_sync=shard == 0,  # the process running shard 0 syncs the commands
    )
    bot.extra_env["SHARD_IDS"] = str(shard)
    return bot


def reminders_in(fake: FakeDiscord, thread_id: str) -> list[str]:
    """Ids of the reminder messages the fake holds in a thread (what members see)."""
    return [m["id"] for m in fake.messages_in(thread_id) if REMINDER in (m.get("content") or "")]


def sent_reminder_for(bot: BotProcess, guild_id: str) -> bool:
    return bool(re.search(rf"Sent due reminder 1 for #1 in guild {guild_id}\b", bot.log_text()))


@pytest.mark.fake_discord(guilds=4, shard_count=COUNT)
async def test_two_processes_split_the_shards_and_survive_a_kill(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    url = postgres.database_url()
    await postgres.empty(url)
    fake = fake_discord
    guilds = fake.world.guild_ids
    assert sorted(shard_of(g) for g in guilds) == [0, 0, 1, 1]
    bots = {shard: process(fake, tmp_path, url, shard) for shard in range(COUNT)}
    try:
        # Started together on an empty database: one migrates, the other waits for it.
        await asyncio.gather(*(bot.start() for bot in bots.values()))
        await asyncio.gather(*(bot.wait_for_log(flows.READY_LOG, 40) for bot in bots.values()))
        migrated = [bot for bot in bots.values() if re.search(MIGRATED, bot.log_text())]
        assert len(migrated) == 1, [bot.log_text()[-2000:] for bot in bots.values()]
        for shard, bot in bots.items():
            mine = [g for g in guilds if shard_of(g) == shard]
            assert re.search(rf"ready as .* in {len(mine)} servers", bot.log_text())
            # Healthy once ready: the ready line is logged only after /healthz says so.
            status, report = await health(bot)
            assert (status, report) == (
                200,
                {"ready": True, "shards": {str(shard): True}, "database": True},
            )

        # A prediction in every server, each answered by the process owning that server.
        posted: dict[str, flows.Posted] = {}
        for guild_id in guilds:
            channel = fake.world.guild_channel_ids[guild_id]["predictions"]
            posted[guild_id] = await flows.predict(
                fake, f"Server {guild_id[-4:]} lights the beacon", RESOLVES_IN, channel_id=channel
            )
            assert posted[guild_id].thread_id is not None
        # Votes: a keycap reaction from each voter (stored once the message shows them all),
        # then bob's vote form (acknowledged only once committed).
        mark = fake.mark()
        for prediction in posted.values():
            for who, tens in VOTERS:
                await flows.react(fake, prediction.message_id, flows.keycap(tens), who)
        for prediction in posted.values():
            await flows.wait_for_render(
                fake, prediction, flows.shows(len(VOTERS)), after=mark, timeout=20
            )
        for prediction in posted.values():
            reply = await flows.vote_by_modal(fake, prediction.message_id, "bob", "64")
            assert reply.ephemeral and "64" in reply.text, reply.text

        async def stored_events() -> int:
            rows = await postgres.fetch(url, "SELECT count(*) AS n FROM vote_events")
            return int(rows[0]["n"])

        assert await stored_events() == len(guilds) * (len(VOTERS) + 1)

        # Shard 0's process dies with its reminders still ahead of it.
        await bots[0].kill()
        down = [g for g in guilds if shard_of(g) == 0]
        up = [g for g in guilds if shard_of(g) == 1]
        for guild_id in up:  # shard 1 reminds its own servers on time
            thread = str(posted[guild_id].thread_id)
            await fake.wait_for(lambda t=thread: reminders_in(fake, t), 30, message="reminder")
        # The poll that sent the last of them ran after every server's reminder was due (the
        # predictions resolve in the order they were made): the servers of the dead shard
        # were due then too, and shard 1's process left them alone.
        for guild_id in down:
            assert reminders_in(fake, str(posted[guild_id].thread_id)) == []

        await bots[0].start()
        await bots[0].wait_for_log(flows.READY_LOG, 40)
        for guild_id in down:  # the restarted process sends its overdue reminders
            thread = str(posted[guild_id].thread_id)
            await fake.wait_for(lambda t=thread: reminders_in(fake, t), 30, message="reminder")

        # Every server resolves from its reminder's Yes button, confirmed privately.
        for prediction in posted.values():
            (reminder_id,) = reminders_in(fake, str(prediction.thread_id))
            pid = prediction.prediction_id
            click = fake.click(reminder_id, f"augury:resolve:{pid}:yes")
            asked = await flows.send(fake, click)
            assert asked.text == "Resolve #1 as ✅ YES?", asked.text
            confirmation = str(fake.state.interactions[str(click["id"])].original_id)
            confirm = fake.click(confirmation, f"augury:resolve-confirm:{pid}:yes")
            reply = await flows.send(fake, confirm)
            assert reply.text.startswith("Resolved #1 ✅ YES."), reply.text

        for guild_id, prediction in posted.items():
            assert len(reminders_in(fake, str(prediction.thread_id))) == 1
            owner = bots[shard_of(guild_id)]
            other = bots[1 - shard_of(guild_id)]
            assert sent_reminder_for(owner, guild_id) and not sent_reminder_for(other, guild_id)

        ids = [p.prediction_id for p in posted.values()]
        deliveries = await postgres.fetch(
            url,
            "SELECT prediction_id, kind, sequence FROM reminder_deliveries "
            "WHERE prediction_id = ANY($1::int[]) ORDER BY prediction_id",
            ids,
        )
        assert [(r["prediction_id"], r["kind"], r["sequence"]) for r in deliveries] == [
            (i, "due", 1) for i in sorted(ids)
        ]
        statuses = await postgres.fetch(url, "SELECT status, outcome FROM predictions")
        assert [(r["status"], r["outcome"]) for r in statuses] == [("resolved", "yes")] * 4
        events = await postgres.fetch(
            url,
            "SELECT prediction_id, user_id, source, permille FROM vote_events "
            "ORDER BY prediction_id, id",
        )
        bob = int(fake.user_id("bob"))
        for prediction_id in ids:
            mine = [r for r in events if r["prediction_id"] == prediction_id]
            reactions = sorted(
                (r["user_id"], r["permille"]) for r in mine if r["source"] == "reaction"
            )
            assert reactions == sorted(
                (int(fake.user_id(who)), tens * 100) for who, tens in VOTERS
            ), "every reaction processed exactly once"
            assert [(r["user_id"], r["permille"]) for r in mine if r["source"] == "modal"] == [
                (bob, 640)
            ], "the acknowledged vote stored exactly once"
        current = await postgres.fetch(
            url, "SELECT prediction_id, count(*) AS n FROM votes GROUP BY prediction_id"
        )
        assert {r["prediction_id"]: r["n"] for r in current} == {i: len(VOTERS) for i in ids}
        assert fake.violations == []
        for bot in bots.values():
            flows.assert_log_clean(bot)
    finally:
        for bot in bots.values():
            if bot.running:
                await bot.kill()


async def test_processes_starting_together_wait_for_one_migration(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """Two processes start while a migration holds the lock: both wait, one migrates, both
    start; an ordinary concurrent start is the scenario above."""
    url = postgres.database_url()
    await postgres.empty(url)
    bots = [process(fake_discord, tmp_path, url, shard) for shard in range(COUNT)]
    holder = await postgres.hold_migration_lock(url, MIGRATION_LOCK_KEY)
    try:
        await asyncio.gather(*(bot.start() for bot in bots))
        waiting = "Another process is migrating the database; waiting for it to finish"
        await asyncio.gather(*(bot.wait_for_log(re.escape(waiting), 40) for bot in bots))
        assert all(not re.search(MIGRATED, bot.log_text()) for bot in bots)
        await holder.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
        await asyncio.gather(*(bot.wait_for_log(flows.READY_LOG, 40) for bot in bots))
        assert sum(bool(re.search(MIGRATED, bot.log_text())) for bot in bots) == 1
        versions = await postgres.fetch(url, "SELECT version_num FROM alembic_version")
        assert len(versions) == 1
        for bot in bots:
            flows.assert_log_clean(bot)
    finally:
        await holder.close()
        for bot in bots:
            if bot.running:
                await bot.kill()
