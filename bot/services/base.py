"""What every service shares: the unit-of-work factory, the clock, and who is acting."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock


@dataclass(frozen=True)
class ServiceContext:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock


@dataclass(frozen=True)
class Actor:
    """A member acting in a guild, as far as permissions go (filled in by the cog)."""

    user_id: int
    role_ids: frozenset[int] = field(default_factory=frozenset)
    manages_guild: bool = False

    def is_moderator(self, moderator_role_id: int | None) -> bool:
        """Manage Server, or the server's configured moderator role."""
        return self.manages_guild or (
            moderator_role_id is not None and moderator_role_id in self.role_ids
        )
