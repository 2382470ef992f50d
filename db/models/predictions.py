"""A prediction, its edits, tags and followers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import Outcome, Status, Visibility
from db.models.base import PAYLOAD, Base
from db.types import EnumText, UTCDateTime


class Prediction(Base):
    __tablename__ = "predictions"
    __table_args__ = (
        UniqueConstraint("guild_id", "number"),
        Index("ix_predictions_guild_status_resolves", "guild_id", "status", "resolves_at"),
        Index("ix_predictions_guild_author", "guild_id", "author_id"),
        Index("ix_predictions_author", "author_id"),  # forget-me: one member everywhere
        Index("ix_predictions_next_reminder_at", "next_reminder_at"),
        Index("ix_predictions_close_warning_at", "close_warning_at"),
        Index("ix_predictions_message_id", "message_id"),
        Index("ix_predictions_render_pending", "render_pending"),
        # The web view's lists (issue 20): each page one index range of public predictions.
        Index("ix_predictions_web", "guild_id", "public_channel"),
        Index("ix_predictions_web_resolves", "guild_id", "public_channel", "status", "resolves_at"),
        Index("ix_predictions_web_resolved", "guild_id", "public_channel", "status", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(BigInteger)
    statement: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(32), default="yes_no", server_default="yes_no")
    # The question's setup for its kind (options, a range); None for yes/no.
    kind_spec: Mapped[object | None] = mapped_column(PAYLOAD)
    details: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolves_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[Status] = mapped_column(EnumText(Status, 16), default=Status.OPEN)
    visibility: Mapped[Visibility] = mapped_column(
        EnumText(Visibility, 24), default=Visibility.VISIBLE
    )
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    outcome: Mapped[Outcome | None] = mapped_column(EnumText(Outcome, 16))
    # The kind's outcome when ``outcome`` is ANSWERED (any kind but yes/no).
    outcome_value: Mapped[object | None] = mapped_column(PAYLOAD)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolver_id: Mapped[int | None] = mapped_column(BigInteger)
    resolution_note: Mapped[str | None] = mapped_column(String(1000))
    resolution_source: Mapped[str | None] = mapped_column(String(512))
    # The outcome its followers were last pinged about: kept through a reopen, so resolving
    # again to the same outcome announces it without pinging everyone a second time.
    announced_outcome: Mapped[Outcome | None] = mapped_column(EnumText(Outcome, 16))
    # With it, the answer (``outcome_value``) when that outcome is ANSWERED: another option
    # of the same kind is a different outcome, and pings (migration 0017).
    announced_value: Mapped[object | None] = mapped_column(PAYLOAD)

    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_url: Mapped[str | None] = mapped_column(String(200))
    # "Track as prediction": the author of the tracked message, credited as the claimant.
    claimant_id: Mapped[int | None] = mapped_column(BigInteger)

    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    close_warning_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # While the bot is not in the server, its schedule is parked here (out of the due query's
    # index range) and put back when the bot rejoins.
    paused_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_warning_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # The public message may not show the current state: set in the same transaction as every
    # change it shows (votes, edit, cancel, resolve, reopen), cleared by a successful render and
    # redrawn on start. ``render_version`` moves with each such change, so clearing the flag
    # after a render is conditional on nothing having changed since the rendered state was read.
    render_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    render_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Whether @everyone could read the channel when the bot last looked (None: unknown). The
    # web view shows only predictions where this is true (issue 20).
    public_channel: Mapped[bool | None] = mapped_column(Boolean)

    # The community's own record, written with the member scores when resolved.
    community_permille: Mapped[float | None] = mapped_column(Float)
    community_brier: Mapped[float | None] = mapped_column(Float)
    community_log: Mapped[float | None] = mapped_column(Float)


class PredictionEdit(Base):
    """The edit log: who changed what, from what, to what, when."""

    __tablename__ = "prediction_edits"
    __table_args__ = (Index("ix_prediction_edits_prediction", "prediction_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    editor_id: Mapped[int] = mapped_column(BigInteger)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Why (a reopen's reason, shown by /predictions history).
    reason: Mapped[str | None] = mapped_column(Text)


class Follower(Base):
    """Who is pinged about a prediction; ``following=False`` remembers an explicit unfollow."""

    __tablename__ = "followers"
    __table_args__ = (Index("ix_followers_user", "user_id", "prediction_id"),)

    prediction_id: Mapped[int] = mapped_column(
        ForeignKey("predictions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    following: Mapped[bool] = mapped_column(Boolean, default=True)


class Tag(Base):
    """A server's topic tag; names are normalised (case-folded, spaces collapsed)."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("guild_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(32))


class PredictionTag(Base):
    """Which tags a prediction carries; indexed both ways for filters and leaderboards."""

    __tablename__ = "prediction_tags"
    __table_args__ = (Index("ix_prediction_tags_tag", "tag_id", "prediction_id"),)

    prediction_id: Mapped[int] = mapped_column(
        ForeignKey("predictions.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
