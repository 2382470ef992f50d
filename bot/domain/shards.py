"""Discord's sharding rule: which shard, and so which process, owns a server.

Discord routes every event of a server to shard ``(guild_id >> 22) % shard_count``. A process
does per-server background work (reminders, close warnings, redraws) only for the servers on
the shards it runs, so two processes never both do it.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends ``guild_id``'s events to."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardSet:
    """The shards one process runs, out of ``count``."""

    count: int
    ids: tuple[int, ...]

    @classmethod
    def everything(cls, count: int = 1) -> ShardSet:
        return cls(count, tuple(range(count)))

    @property
    def is_everything(self) -> bool:
        """True when this process owns every server (one shard, or all of them)."""
        return set(self.ids) >= set(range(self.count))

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids
