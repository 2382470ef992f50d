"""The bot's own dealings with servers: the set-up message posted once per server, and the
servers holding development (guild-scoped) commands a global sync must clear."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from bot.services.core.context import ServiceContext
from db.bot_state import GuildCommandSync, GuildGreeting
from db.upsert import insert_for


class GuildStateService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def claim_greeting(self, guild_id: int) -> bool:
        """True for exactly one caller per server, ever: a restart, a reconnect or a second
        process gets False. Claimed before sending: at most once beats twice."""
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, GuildGreeting).values(
                guild_id=guild_id, greeted_at=self._ctx.clock.now()
            )
            result = await session.execute(stmt.on_conflict_do_nothing())
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def greeting_delivered(self, guild_id: int, where: str) -> None:
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(GuildGreeting)
                .where(GuildGreeting.guild_id == guild_id)
                .values(delivered_to=where)
            )

    async def greeting_of(self, guild_id: int) -> str | None:
        """Where the set-up message went ("nowhere" if unreachable); None if never claimed."""
        async with self._ctx.sessions() as session:
            row = await session.get(GuildGreeting, guild_id)
            return None if row is None else row.delivered_to or "nowhere"

    async def commands_synced_to(self, guild_id: int) -> None:
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, GuildCommandSync).values(guild_id=guild_id, synced_at=now)
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["guild_id"], set_={"synced_at": now})
            )

    async def guilds_with_commands(self) -> list[int]:
        async with self._ctx.sessions() as session:
            rows = await session.scalars(
                select(GuildCommandSync.guild_id).order_by(GuildCommandSync.guild_id)
            )
            return list(rows)

    async def commands_cleared(self, guild_id: int) -> None:
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                delete(GuildCommandSync).where(GuildCommandSync.guild_id == guild_id)
            )
