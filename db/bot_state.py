"""What the bot records about its own dealings with servers, not about forecasts: which servers
it greeted on joining, and which servers hold guild-scoped commands it synced there.

Kept beside :mod:`db.models` (same metadata, imported with the package) so that file stays
about the forecasting record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base
from db.types import UTCDateTime


class GuildGreeting(Base):
    """A server the bot posted its set-up message for: one row per server, ever, so neither a
    restart, a reconnect nor a second process posts it twice."""

    __tablename__ = "guild_greetings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    greeted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # "system channel", "owner DM" or "nowhere" (neither could be reached); set after sending.
    delivered_to: Mapped[str | None] = mapped_column(String(32))


class GuildCommandSync(Base):
    """A server the bot synced guild-scoped commands to (``DEV_GUILD_ID``): a later global
    sync clears them there, or members would see every command twice."""

    __tablename__ = "guild_command_syncs"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime())
