"""Votes (the current forecast), vote events (every change, for replays and history), and the
forecasters an import brought from outside Discord."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import VoteSource
from db.models.base import PAYLOAD, Base
from db.types import EnumText, UTCDateTime


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
