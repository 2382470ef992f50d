"""Per-server background work by shard: each process reads only its own servers' reminders,
close warnings and pending redraws; together the shard sets cover every server once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.shards import ShardSet, shard_of
from bot.domain.vocabulary import ReminderKind
from bot.services.core.notifications import Where
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.reminders.service import Delivery, _due_statement
from tests.conftest import AUTHOR, VOTER

RESOLVES = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
COUNT = 4
#: Eight servers, two on each of four shards (Discord's rule: (id >> 22) % 4).
GUILDS = [((1_000_000 + i) << 22) | 5 for i in range(2 * COUNT)]


async def one_prediction_per_server(services: Services) -> dict[int, int]:
    """guild id → prediction id, each due at RESOLVES with a close warning before it."""
    made = {}
    for guild in GUILDS:
        await services.server_config.update_guild(guild, close_warning=True)
        info = await services.predictions.create(
            NewPrediction(
                guild_id=guild,
                author_id=AUTHOR,
                statement=f"Server {guild} bridge opens",
                resolves="2026-12-01 12:00",
            )
        )
        await services.predictions.attach_message(info.id, channel_id=1, message_id=2, thread_id=3)
        made[guild] = info.id
    return made


@pytest.mark.parametrize(
    ("when", "kind"),
    [(RESOLVES - timedelta(days=1), ReminderKind.CLOSE_WARNING), (RESOLVES, ReminderKind.DUE)],
)
async def test_each_shard_set_gets_only_its_servers_and_together_all(
    services: Services, clock: FakeClock, when: datetime, kind: ReminderKind
) -> None:
    made = await one_prediction_per_server(services)
    assert {shard_of(g, COUNT) for g in GUILDS} == set(range(COUNT))
    clock.set(when)
    everything = await services.reminders.due(clock.now(), limit=100)
    assert sorted((r.prediction_id, r.kind) for r in everything) == sorted(
        (made[g], kind) for g in GUILDS
    )

    first = ShardSet(COUNT, (0, 1))
    second = ShardSet(COUNT, (2, 3))
    mine = await services.reminders.due(clock.now(), limit=100, shards=first)
    theirs = await services.reminders.due(clock.now(), limit=100, shards=second)
    assert {r.guild_id for r in mine} == {g for g in GUILDS if shard_of(g, COUNT) in (0, 1)}
    assert {r.guild_id for r in theirs} == {g for g in GUILDS if shard_of(g, COUNT) in (2, 3)}
    assert sorted(r.key for r in mine + theirs) == sorted(r.key for r in everything)
    # A process owning every shard runs the unsharded statement itself.
    whole = await services.reminders.due(clock.now(), limit=100, shards=ShardSet.everything(4))
    assert [r.key for r in whole] == [r.key for r in everything]


async def test_pending_redraws_by_shard(services: Services) -> None:
    made = await one_prediction_per_server(services)
    for guild, prediction_id in made.items():
        await services.votes.vote(guild, prediction_id, VOTER, 400, "slash")
    everything = set(await services.message_state.pending())
    assert everything == set(made.values())
    for shard in range(COUNT):
        own = set(await services.message_state.pending(shards=ShardSet(COUNT, (shard,))))
        assert own == {made[g] for g in GUILDS if shard_of(g, COUNT) == shard}


async def test_the_sharded_due_query_still_range_scans_both_time_indexes(
    engine: AsyncEngine,
) -> None:
    if engine.dialect.name != "sqlite":
        return  # the plan shape is checked on SQLite; bench/reminders.py prints PostgreSQL's
    statement = _due_statement(ShardSet(COUNT, (1,)))
    compiled = statement.compile(dialect=sqlite.dialect(paramstyle="named"))
    assert isinstance(compiled, SQLCompiler)
    values = {"now": RESOLVES, "limit": 50}
    binds = [
        bindparam(name, values.get(b.key, b.value), type_=b.type)
        for b, name in compiled.bind_names.items()
    ]
    query = text(f"EXPLAIN QUERY PLAN {compiled}").bindparams(*binds)
    async with engine.connect() as connection:
        rows = await connection.execute(query)
        plan = " | ".join(str(row[-1]) for row in rows)
    assert "ix_predictions_next_reminder_at" in plan and "ix_predictions_close_warning_at" in plan


async def test_result_dms_by_shard_so_two_processes_never_send_one_twice(
    services: Services, clock: FakeClock
) -> None:
    made = await one_prediction_per_server(services)
    await services.notifications.update(VOTER, where=Where.DM)
    for guild, prediction_id in made.items():
        await services.votes.vote(guild, prediction_id, VOTER, 400, "slash")
    clock.set(RESOLVES + timedelta(hours=1))
    for guild, prediction_id in made.items():
        number = (await services.predictions.by_id(prediction_id)).number  # type: ignore[union-attr]
        await services.resolution.resolve(guild, number, Actor(AUTHOR), "yes")
        assert await services.results.enqueue(prediction_id) == 1

    everything = await services.results.queued(100)
    assert {r.guild_id for r in everything} == set(GUILDS)
    for shard in range(COUNT):
        own = await services.results.queued(100, ShardSet(COUNT, (shard,)))
        assert {r.guild_id for r in own} == {g for g in GUILDS if shard_of(g, COUNT) == shard}


async def test_reminder_dms_are_queued_once_with_the_record_and_read_by_shard(
    services: Services, clock: FakeClock
) -> None:
    made = await one_prediction_per_server(services)
    await services.notifications.update(VOTER, where=Where.DM)
    for guild, prediction_id in made.items():
        await services.votes.set_following(guild, prediction_id, VOTER, True)
    clock.set(RESOLVES)
    due = await services.reminders.due(clock.now(), limit=100)
    assert {r.dm_ids for r in due} == {(VOTER,)}
    for reminder in due:
        assert await services.reminders.record(Delivery(reminder, channel_id=1, message_id=2))
        assert not await services.reminders.record(Delivery(reminder, channel_id=1, message_id=2))

    everything = await services.reminder_dms.queued(100)
    assert sorted(d.subject.guild_id for d in everything) == sorted(GUILDS)  # once each
    for shard in range(COUNT):
        own = await services.reminder_dms.queued(100, ShardSet(COUNT, (shard,)))
        assert {d.subject.guild_id for d in own} == {
            g for g in GUILDS if shard_of(g, COUNT) == shard
        }
