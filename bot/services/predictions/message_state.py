"""Which public prediction messages may be stale, and clearing that mark after a render.

The mark itself is set by every change a message shows, inside that change's transaction
(:func:`bot.services.core.prediction_rows.mark_message_stale`); this service serves the one object
that redraws messages (:class:`bot.public_messages.PublicMessages`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, update

from bot.domain.server_defaults import REACTION_KEYCAPS
from bot.domain.shards import ShardSet
from bot.services.core.context import ServiceContext
from bot.services.core.dto import PredictionInfo
from bot.services.core.prediction_rows import load_info
from bot.services.core.server_config import parse_keycaps
from bot.services.core.shards import on_shards
from db.models import GuildSettings, Prediction


def _keycaps(stored: str | None) -> tuple[int, ...]:
    """A server without settings has the default keycaps."""
    return parse_keycaps(REACTION_KEYCAPS if stored is None else stored)


class MessageStateService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def current(self, prediction_id: int) -> PredictionInfo | None:
        """What the message should show now (``None``: the prediction was deleted)."""
        async with self._ctx.sessions() as session:
            row = await session.get(Prediction, prediction_id)
            if row is None:
                return None
            info = await load_info(session, row)
            settings = (
                await session.execute(
                    select(GuildSettings.web_enabled, GuildSettings.reaction_keycaps).where(
                        GuildSettings.guild_id == row.guild_id
                    )
                )
            ).first()
            on_web = settings is not None and settings.web_enabled is True
            keycaps = _keycaps(settings.reaction_keycaps if settings else None)
            return replace(info, server_on_web=on_web, keycaps=keycaps)

    async def keycaps(self, guild_id: int) -> tuple[int, ...]:
        """The keycaps the bot adds to this server's new predictions (for the legend)."""
        async with self._ctx.sessions() as session:
            stored = await session.scalar(
                select(GuildSettings.reaction_keycaps).where(GuildSettings.guild_id == guild_id)
            )
        return _keycaps(stored)

    async def set_public_channel(self, prediction_id: int, readable: bool) -> None:
        """What the redraw saw: whether @everyone can read the message's channel (issue 20)."""
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(Prediction)
                .where(Prediction.id == prediction_id)
                .values(public_channel=readable)
            )

    async def mark_rendered(self, prediction_id: int, render_version: int) -> None:
        """Clear the mark, unless something changed after the rendered state was read."""
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(Prediction)
                .where(Prediction.id == prediction_id, Prediction.render_pending.is_(True))
                .where(Prediction.render_version == render_version)
                .values(render_pending=False)
            )

    async def pending(self, limit: int = 1000, *, shards: ShardSet | None = None) -> list[int]:
        """Predictions whose message may be stale (a change committed, its render not done),
        in servers on ``shards`` (default: every server)."""
        async with self._ctx.sessions() as session:
            rows = await session.scalars(
                select(Prediction.id)
                .where(Prediction.render_pending.is_(True), on_shards(Prediction.guild_id, shards))
                .limit(limit)
            )
            return list(rows)
