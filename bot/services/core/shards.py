"""The SQL form of Discord's sharding rule, so a process reads only its own servers' work.

The predicate is a filter on rows an index range already yields (due reminders, pending
renders): it never changes which index a query uses, and when one process runs every shard it
is left out entirely, so a single process runs the very same statements as before.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ColumnElement, literal_column, true
from sqlalchemy.orm import InstrumentedAttribute

from bot.domain.shards import ShardSet

SNOWFLAKE_TIME_SHIFT = 22


def on_shards(
    guild_id: InstrumentedAttribute[int] | ColumnElement[int], shards: ShardSet | None
) -> ColumnElement[bool]:
    """``(guild_id >> 22) % count IN (ids)``; TRUE when ``shards`` covers every server."""
    if shards is None or shards.is_everything:
        return true()
    # Integers from the settings, written into the SQL: one fixed statement per shard set
    # (and PostgreSQL has ``bigint >> integer``, not ``bigint >> bigint``).
    shifted = guild_id.op(">>", return_type=BigInteger)(literal_column(str(SNOWFLAKE_TIME_SHIFT)))
    owned: list[ColumnElement[int]] = [literal_column(str(int(shard))) for shard in shards.ids]
    return (shifted % literal_column(str(int(shards.count)))).in_(owned)
