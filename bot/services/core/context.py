"""What every service shares: the unit-of-work factory and the clock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock


@dataclass(frozen=True)
class ServiceContext:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
