"""The bot's side of the web view: what it records so the web knows what is public.

A server's opt-in (``/augury web``), a member's opt-out (``/privacy web``), and whether
@everyone can read each prediction's channel — the web process cannot ask Discord, so the bot
stores what it saw when it posted, redrew, or noticed a permission change.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update

from bot.services.core.context import ServiceContext
from bot.services.core.server_config import ensure_guild_row
from db.models import GuildSettings, Prediction, UserSettings
from db.upsert import insert_for

WEB_NAME_MAX = 100


class WebListingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def set_server(self, guild_id: int, enabled: bool, name: str) -> None:
        """Opt the server in or out; its name is kept as it is now (shown on its pages)."""
        async with self._ctx.sessions.begin() as session:
            await ensure_guild_row(session, guild_id)
            await session.execute(
                update(GuildSettings)
                .where(GuildSettings.guild_id == guild_id)
                .values(web_enabled=enabled, web_name=name.strip()[:WEB_NAME_MAX] or None)
            )

    async def server_on_web(self, guild_id: int) -> bool:
        async with self._ctx.sessions() as session:
            enabled = await session.scalar(
                select(GuildSettings.web_enabled).where(GuildSettings.guild_id == guild_id)
            )
        return enabled is True

    async def set_member_hidden(self, user_id: int, hidden: bool) -> None:
        """``/privacy web off|on``: one flag per member, for every server."""
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, UserSettings).values(user_id=user_id, web_hidden=hidden)
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["user_id"], set_={"web_hidden": hidden})
            )

    async def member_hidden(self, user_id: int) -> bool:
        async with self._ctx.sessions() as session:
            hidden = await session.scalar(
                select(UserSettings.web_hidden).where(UserSettings.user_id == user_id)
            )
        return hidden is True

    async def channels(self, guild_id: int) -> list[int]:
        """The channels (and threads) the server's predictions live in."""
        async with self._ctx.sessions() as session:
            found = await session.scalars(
                select(Prediction.channel_id)
                .where(Prediction.guild_id == guild_id, Prediction.channel_id.is_not(None))
                .distinct()
            )
            return [int(channel_id) for channel_id in found if channel_id is not None]

    async def record_channels(self, guild_id: int, readable: Mapping[int, bool]) -> int:
        """Store whether @everyone can read each channel; returns the predictions changed."""
        changed = 0
        async with self._ctx.sessions.begin() as session:
            for value in (True, False):
                ids = sorted(cid for cid, r in readable.items() if r is value)
                for start in range(0, len(ids), 500):
                    result = await session.execute(
                        update(Prediction)
                        .where(
                            Prediction.guild_id == guild_id,
                            Prediction.channel_id.in_(ids[start : start + 500]),
                            Prediction.public_channel.is_distinct_from(value),
                        )
                        .values(public_channel=value)
                        .execution_options(synchronize_session=False)
                    )
                    changed += int(getattr(result, "rowcount", 0) or 0)
        return changed

    async def record_prediction(self, prediction_id: int, readable: bool) -> bool:
        """Store it for one prediction; returns whether its page's link should now show
        (readable, and the server is on the web)."""
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(Prediction)
                .where(Prediction.id == prediction_id)
                .values(public_channel=readable)
            )
            enabled = await session.scalar(
                select(GuildSettings.web_enabled)
                .join(Prediction, Prediction.guild_id == GuildSettings.guild_id)
                .where(Prediction.id == prediction_id)
            )
        return readable and enabled is True
