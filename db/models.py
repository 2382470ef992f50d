"""Typed SQLAlchemy 2.0 models.

Probabilities are stored as integer per-mille (10…990 = 1.0 %…99.0 %): exact, so calibration
buckets have no floating-point edges, and one decimal of a percent is all members can type.
A prediction names its question kind (``kind``, see :mod:`bot.domain.kinds`): a yes/no forecast
keeps its per-mille column (index-backed SQL, plain ints in the hot paths); another kind keeps
its forecast in the JSON ``forecast`` column and its outcome in ``outcome_value``.
Discord ids are ``BigInteger`` (snowflakes exceed 32 bits).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain import server_defaults as defaults
from bot.domain.vocabulary import Outcome, ReminderKind, Status, Visibility, VoteSource
from db.types import EnumText, UTCDateTime

#: A question kind's forecast or outcome (JSONB on PostgreSQL: comparable, and compact).
PAYLOAD = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


class Vote(Base):
    """A member's current forecast: one row per (prediction, member), written by upsert."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("prediction_id", "user_id"),
        Index("ix_votes_user", "user_id", "prediction_id"),  # forget-me: one member's votes
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    permille: Mapped[int | None] = mapped_column(Integer)  # yes/no; None for other kinds
    # Other kinds' forecast (yes/no leaves it NULL).
    forecast: Mapped[object | None] = mapped_column(PAYLOAD)
    source: Mapped[VoteSource] = mapped_column(EnumText(VoteSource, 16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(1000))


class VoteEvent(Base):
    """Every change of a vote, kept for history charts and time-averaged scores."""

    __tablename__ = "vote_events"
    __table_args__ = (
        Index("ix_vote_events_prediction_time", "prediction_id", "created_at"),
        # A member's footprint: their export, forget-me's count, linking an outside forecaster.
        Index("ix_vote_events_user", "user_id", "prediction_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    permille: Mapped[int | None] = mapped_column(Integer)  # None: retracted, or another kind
    # Other kinds' forecast (yes/no leaves it NULL).
    forecast: Mapped[object | None] = mapped_column(PAYLOAD)
    source: Mapped[VoteSource] = mapped_column(EnumText(VoteSource, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(1000))


class Follower(Base):
    """Who is pinged about a prediction; ``following=False`` remembers an explicit unfollow."""

    __tablename__ = "followers"
    __table_args__ = (Index("ix_followers_user", "user_id", "prediction_id"),)

    prediction_id: Mapped[int] = mapped_column(
        ForeignKey("predictions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    following: Mapped[bool] = mapped_column(Boolean, default=True)


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


class Score(Base):
    """One member's score on one resolved prediction (AMBIGUOUS is never scored)."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("prediction_id", "user_id"),
        Index("ix_scores_guild_resolved", "guild_id", "resolved_at"),
        Index("ix_scores_guild_user", "guild_id", "user_id"),
        # Covering index: leaderboard and calibration read it without touching the table
        # (all-time leaderboard at a million scores: ~0.8 s → ~0.26 s on SQLite).
        Index(
            "ix_scores_guild_user_cover",
            "guild_id",
            "user_id",
            "resolved_at",
            "relative_brier",
            "brier",
            "log_score",
            "permille",
            "outcome",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    # Yes/no: the last forecast and the outcome (calibration reads them); None for other
    # kinds, whose last forecast is ``forecast``. ``brier`` is the kind's penalty (Brier,
    # multiclass Brier, CRPS), so time_brier and relative_brier rank every kind together.
    permille: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[bool | None] = mapped_column(Boolean)
    forecast: Mapped[object | None] = mapped_column(PAYLOAD)
    brier: Mapped[float] = mapped_column(Float)
    log_score: Mapped[float] = mapped_column(Float)
    time_brier: Mapped[float] = mapped_column(Float)
    relative_brier: Mapped[float] = mapped_column(Float)
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ResultMessage(Base):
    """A "How did I do?" DM owed to a member who chose DMs (issue 11): the restart-safe queue
    the result sender drains at its own pace; ``sent_at`` is set once it went (or failed)."""

    __tablename__ = "result_messages"
    __table_args__ = (Index("ix_result_messages_sent_queued", "sent_at", "queued_at"),)

    prediction_id: Mapped[int] = mapped_column(
        ForeignKey("predictions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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


class OutsideForecaster(Base):
    """A forecaster without a Discord account in this server: imported by name, or a member
    who asked to be forgotten (``name`` is None). Their votes use ``user_id = -id``, so they
    count in the community history but never reach a leaderboard or a ping."""

    __tablename__ = "outside_forecasters"
    __table_args__ = (Index("ix_outside_forecasters_guild_name", "guild_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Linked to a member by a moderator (their forecasts moved to the member): later imports
    # of the same name are the member's too, and a second link is refused.
    linked_user_id: Mapped[int | None] = mapped_column(BigInteger)
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportKey(Base):
    """What an import already wrote: importing the same file twice adds nothing twice."""

    __tablename__ = "import_keys"
    __table_args__ = (UniqueConstraint("guild_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(128))
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"))


# --- Issue 21, rituals: the weekly digest, Discord scheduled events, disputes ---------------


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


class Season(Base):
    """A season (issue 21): predictions resolved in ``[started_at, ended_at or ends_at)`` with
    one of ``tags`` (all when empty) count for it. At most one per server has ``ended_at``
    NULL. Ending sets ``recap_due_at``; the recap scheduler claims a recap by moving it forward
    (a lease) and clears it once the recap is posted, so one process posts it, once."""

    __tablename__ = "seasons"
    __table_args__ = (
        UniqueConstraint("guild_id", "name"),
        Index("ix_seasons_guild_started", "guild_id", "started_at"),
        Index("ix_seasons_ends_at", "ends_at"),  # running seasons whose end passed
        Index("ix_seasons_recap_due_at", "recap_due_at"),  # ended, recap owed
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
