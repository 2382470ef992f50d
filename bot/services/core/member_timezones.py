"""The time zone a member's dates are read in: their own, else the server's, else UTC."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.forecasting.timezones import resolve_timezone
from bot.services.core.context import ServiceContext
from db.models import GuildSettings, UserSettings
from db.upsert import insert_for


class MemberTimezoneService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def set_member_zone(self, user_id: int, name: str | None) -> str | None:
        """Set (or with ``None`` clear) a member's zone; returns the canonical IANA name."""
        canonical = resolve_timezone(name).key if name else None
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, UserSettings).values(user_id=user_id, timezone=canonical)
            stmt = stmt.on_conflict_do_update(
                index_elements=["user_id"], set_={"timezone": canonical}
            )
            await session.execute(stmt)
        return canonical

    async def own_zone(self, user_id: int) -> str | None:
        """The member's own zone, if they set one."""
        async with self._ctx.sessions() as session:
            return await session.scalar(
                select(UserSettings.timezone).where(UserSettings.user_id == user_id)
            )

    async def zone_for(self, user_id: int, guild_id: int | None) -> ZoneInfo:
        """The member's own zone, else the server's, else UTC."""
        async with self._ctx.sessions() as session:
            return await zone_for(session, user_id, guild_id)


async def zone_for(session: AsyncSession, user_id: int, guild_id: int | None) -> ZoneInfo:
    """Inside a caller's transaction (creating and editing read dates in it)."""
    user_zone = await session.scalar(
        select(UserSettings.timezone).where(UserSettings.user_id == user_id)
    )
    if user_zone:
        return ZoneInfo(user_zone)
    if guild_id is not None:
        guild_zone = await session.scalar(
            select(GuildSettings.timezone).where(GuildSettings.guild_id == guild_id)
        )
        if guild_zone:
            return ZoneInfo(guild_zone)
    return ZoneInfo("UTC")
