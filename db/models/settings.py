"""Server and member settings, and the names members last went by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain import server_defaults as defaults
from bot.domain.vocabulary import Visibility
from db.models.base import Base
from db.types import EnumText, UTCDateTime


class GuildSettings(Base):
    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    prediction_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    moderator_role_id: Mapped[int | None] = mapped_column(BigInteger)
    timezone: Mapped[str | None] = mapped_column(String(64))
    default_visibility: Mapped[Visibility] = mapped_column(
        EnumText(Visibility, 24), default=defaults.DEFAULT_VISIBILITY
    )
    reminder_interval_hours: Mapped[int] = mapped_column(
        Integer, default=defaults.REMINDER_INTERVAL_HOURS
    )
    reminder_count: Mapped[int] = mapped_column(Integer, default=defaults.REMINDER_COUNT)
    close_warning: Mapped[bool] = mapped_column(Boolean, default=defaults.CLOSE_WARNING)
    archive_on_resolve: Mapped[bool] = mapped_column(Boolean, default=defaults.ARCHIVE_ON_RESOLVE)
    reaction_keycaps: Mapped[str] = mapped_column(String(32), default=defaults.REACTION_KEYCAPS)
    leaderboard_min_resolved: Mapped[int] = mapped_column(
        Integer, default=defaults.LEADERBOARD_MIN_RESOLVED
    )
    # Issue 11: voting makes the voter a follower only when the server turns this on.
    voters_follow: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Issue 20: the public web view, off until ``/augury web on``; the name shown there.
    web_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    web_name: Mapped[str | None] = mapped_column(String(100))
    # Per-guild prediction counter, bumped with an atomic UPDATE … RETURNING.
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class UserSettings(Base):
    __tablename__ = "user_settings"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    # /notifications (issue 11): where pings go (thread, dm, none) and what the member wants.
    notify_where: Mapped[str] = mapped_column(String(8), default="thread", server_default="thread")
    notify_my_due: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_followed_due: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_resolutions: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_close_warnings: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set when a DM to the member failed (closed DMs): pings fall back to the thread, no retry.
    dm_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # ``/privacy web off`` (issue 20): no profile, name or forecast of theirs on the web.
    web_hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class MemberName(Base):
    """A display name the bot has seen (interactions, reactions): embeds show it instead of a
    raw ``<@id>`` on clients that have not loaded the member."""

    __tablename__ = "member_names"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(100))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
