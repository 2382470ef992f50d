"""Display names the bot has seen, so embeds can show "Alice" instead of a raw ``<@id>``.

Discord renders a mention inside an embed as ``<@123…>`` on any client that has not loaded that
member (phones, big servers). Names come from interactions and reaction events; a bounded
in-memory map of what was last written keeps an active member from costing a write per click.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from sqlalchemy import select

from bot.services.core.context import ServiceContext
from db.models import MemberName
from db.upsert import insert_for

NAME_MAX = 100
REMEMBERED = 10_000  # (guild, member) pairs whose stored name is known to be current


class MemberNameService:
    def __init__(self, ctx: ServiceContext, remembered: int = REMEMBERED) -> None:
        self._ctx = ctx
        self._written: OrderedDict[tuple[int, int], str] = OrderedDict()
        self._remembered = remembered

    async def seen(self, guild_id: int, user_id: int, name: str) -> None:
        """Keep the member's current display name (a write only when it changed)."""
        name = " ".join(name.split())[:NAME_MAX]
        key = (guild_id, user_id)
        if not name or self._written.get(key) == name:
            return
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, MemberName).values(
                guild_id=guild_id, user_id=user_id, display_name=name, seen_at=now
            )
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["guild_id", "user_id"],
                    set_={"display_name": name, "seen_at": now},
                )
            )
        self._written[key] = name
        self._written.move_to_end(key)
        while len(self._written) > self._remembered:
            self._written.popitem(last=False)

    async def names(self, guild_id: int, user_ids: Iterable[int]) -> dict[int, str]:
        wanted = list(set(user_ids))
        if not wanted:
            return {}
        async with self._ctx.sessions() as session:
            rows = await session.execute(
                select(MemberName.user_id, MemberName.display_name).where(
                    MemberName.guild_id == guild_id, MemberName.user_id.in_(wanted)
                )
            )
            return {user_id: name for user_id, name in rows}
