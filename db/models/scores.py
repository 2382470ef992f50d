"""Scores written when a prediction resolves, and the result DMs queued with them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import PAYLOAD, Base
from db.types import UTCDateTime


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
