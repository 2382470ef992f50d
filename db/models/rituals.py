"""A server's rituals: the weekly digest, scheduled events, and disputes of a resolution."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base
from db.types import UTCDateTime


class DigestSchedule(Base):
    """A server's weekly digest (``/augury digest``): where and when, and the claim on the
    week being posted. ``next_at`` is the next slot, or while a process posts it, that claim's
    expiry (so the due query skips it); ``slot_at`` keeps the slot the claim is for."""

    __tablename__ = "digest_schedules"
    __table_args__ = (Index("ix_digest_schedules_next_at", "next_at"),)

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Monday … 6 Sunday, in the server's zone
    hour: Mapped[int] = mapped_column(Integer)  # 0…23, in the server's time zone
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))


class EventSettings(Base):
    """``/augury events``: whether resolution dates become Discord scheduled events, and a
    problem (a missing permission) the moderators were told about once."""

    __tablename__ = "event_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    problem: Mapped[str | None] = mapped_column(String(200))
    problem_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PredictionEvent(Base):
    """A prediction's Discord scheduled event as last written, and the claim on the next write.

    The sync compares this with the prediction (status, date, statement): a difference is work,
    claimed here (``claimed_until``) so one process does it, retried after ``retry_at``."""

    __tablename__ = "prediction_events"
    __table_args__ = (
        Index("ix_prediction_events_event", "event_id"),
        Index("ix_prediction_events_guild", "guild_id"),
    )

    prediction_id: Mapped[int] = mapped_column(
        ForeignKey("predictions.id", ondelete="CASCADE"), primary_key=True
    )
    guild_id: Mapped[int] = mapped_column(BigInteger)
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    synced_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_statement: Mapped[str | None] = mapped_column(String(256))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(200))


class DisputeSettings(Base):
    """``/augury disputes``: how long after a resolution members may dispute it."""

    __tablename__ = "dispute_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    window_hours: Mapped[int] = mapped_column(Integer)


class Dispute(Base):
    """A member's dispute of one resolution (``resolved_at`` names which one). Open until a
    moderator confirms the resolution or reopens the prediction; one open per member and
    prediction (a partial unique index, so two clicks cannot both write one)."""

    __tablename__ = "disputes"
    __table_args__ = (
        Index("ix_disputes_guild_status", "guild_id", "status"),
        Index("ix_disputes_prediction", "prediction_id", "status"),
        Index(
            "uq_disputes_open_member",
            "prediction_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the resolution disputed
    status: Mapped[str] = mapped_column(String(16), default="open")
    settled_by: Mapped[int | None] = mapped_column(BigInteger)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(BigInteger)
