"""Seasons and the roles members earn in them, with the queue of role changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import PAYLOAD, Base
from db.types import UTCDateTime


class Season(Base):
    """A season (issue 21): predictions resolved in ``[started_at, ended_at or ends_at)`` with
    one of ``tags`` (all when empty) count for it. At most one per server has ``ended_at``
    NULL (a partial unique index, so two simultaneous starts cannot both write one). Ending
    sets ``recap_due_at``; the recap scheduler claims a recap by moving it forward (a lease)
    and clears it once the recap is posted, so one process posts it, once."""

    __tablename__ = "seasons"
    __table_args__ = (
        UniqueConstraint("guild_id", "name"),
        Index("ix_seasons_guild_started", "guild_id", "started_at"),
        Index("ix_seasons_ends_at", "ends_at"),  # running seasons whose end passed
        Index("ix_seasons_recap_due_at", "recap_due_at"),  # ended, recap owed
        Index(
            "uq_seasons_guild_running",
            "guild_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(50))
    tags: Mapped[object | None] = mapped_column(PAYLOAD)  # normalised tag names, or NULL: all
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_by: Mapped[int | None] = mapped_column(BigInteger)
    recap_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recap_claim: Mapped[str | None] = mapped_column(String(32))
    recap_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    recapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recap_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    recap_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Why the recap could not be posted (no channel, no permission): shown to moderators.
    recap_problem: Mapped[str | None] = mapped_column(String(200))


class EarnedRole(Base):
    """A server role mapped to an achievement (``bot.domain.seasons.Achievement``).
    ``seen_event_id``: for "first forecast", the last vote event already looked at."""

    __tablename__ = "earned_roles"
    __table_args__ = (UniqueConstraint("guild_id", "role_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    role_id: Mapped[int] = mapped_column(BigInteger)
    role_name: Mapped[str] = mapped_column(String(100))
    achievement: Mapped[str] = mapped_column(String(24))
    top_n: Mapped[int | None] = mapped_column(Integer)
    min_forecasts: Mapped[int | None] = mapped_column(Integer)
    seen_event_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The last change Discord refused (no Manage Roles, the role above the bot's): shown to
    # moderators in /augury season list until a change of this role succeeds.
    problem: Mapped[str | None] = mapped_column(String(200))
    problem_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EarnedRoleHolder(Base):
    """Who the bot gave (or is giving) a mapped role to: the state the queue works towards,
    so a season's new top N is given the role and the previous holders lose it."""

    __tablename__ = "earned_role_holders"

    earned_role_id: Mapped[int] = mapped_column(
        ForeignKey("earned_roles.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    since: Mapped[datetime] = mapped_column(UTCDateTime())


class RoleChange(Base):
    """A role to add to or remove from a member: a queue drained a few per second (Discord's
    rate limits), claimed per row (``claim``/``claimed_until``) so two processes never apply
    one twice, kept through restarts; ``done_at`` is set once applied, refused or moot."""

    __tablename__ = "role_changes"
    __table_args__ = (Index("ix_role_changes_done_id", "done_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    role_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    add: Mapped[bool] = mapped_column(Boolean)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(200))
