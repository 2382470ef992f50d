"""Reminders: who was reminded of what, the DMs queued, the attempts and the pauses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import ReminderKind
from db.models.base import Base
from db.types import EnumText, UTCDateTime


class ReminderDelivery(Base):
    """What the scheduler sent, keyed so a reminder is recorded at most once."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("prediction_id", "kind", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(EnumText(ReminderKind, 16))
    sequence: Mapped[int] = mapped_column(Integer)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderMessage(Base):
    """A reminder DM owed to a member who chose DMs in /notifications: queued with the record
    of the reminder (same transaction), sent by the reminders' DM sender at its own pace, so a
    popular prediction's DMs never hold up other reminders and a restart loses none;
    ``sent_at`` is set once it went, failed, or was no longer true (resolved meanwhile)."""

    __tablename__ = "reminder_messages"
    __table_args__ = (Index("ix_reminder_messages_sent_queued", "sent_at", "queued_at"),)

    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("reminder_deliveries.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReminderAttempt(Base):
    """A reminder being delivered: its claim, its progress per part, its failures.

    While a delivery is under way or failing, the prediction's schedule column holds the claim's
    expiry or the next attempt time (so the due query skips it); this row keeps the time it was
    really due. A recorded delivery deletes the row; a given-up one keeps it for the admins.
    """

    __tablename__ = "reminder_attempts"
    __table_args__ = (
        UniqueConstraint("prediction_id", "kind", "sequence"),
        Index("ix_reminder_attempts_guild_gave_up", "guild_id", "gave_up_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[ReminderKind] = mapped_column(EnumText(ReminderKind, 16))
    sequence: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    # The value this attempt last wrote into the schedule column; another value there means the
    # schedule was changed (an edit, a reopen) and this row no longer describes it.
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReminderPause(Base):
    """A server the bot left: its reminders are parked until it comes back."""

    __tablename__ = "reminder_pauses"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    paused_at: Mapped[datetime] = mapped_column(UTCDateTime())
