"""Rituals (issue 21): the weekly digest, Discord scheduled events, disputes.

``digest_schedules``: a server's weekly digest (channel, weekday and hour in its time zone) and
the claim on the week being posted (``next_at`` is index-backed, the due query's range).
``event_settings``: ``/augury events`` on or off, and a problem the moderators were told of.
``prediction_events``: each prediction's scheduled event as last written, and its claim.
``dispute_settings``: the dispute window. ``disputes``: members' disputes of a resolution, with
a partial unique index so a member has at most one open dispute per prediction. New tables
only: nothing existing is touched, so going back drops them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_schedules",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("next_at", UTCDateTime(), nullable=True),
        sa.Column("slot_at", UTCDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("last_posted_at", UTCDateTime(), nullable=True),
        sa.Column("last_message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_digest_schedules")),
    )
    op.create_index("ix_digest_schedules_next_at", "digest_schedules", ["next_at"])
    op.create_table(
        "event_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("problem", sa.String(length=200), nullable=True),
        sa.Column("problem_reported_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_event_settings")),
    )
    op.create_table(
        "prediction_events",
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("synced_start", UTCDateTime(), nullable=True),
        sa.Column("synced_statement", sa.String(length=256), nullable=True),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("retry_at", UTCDateTime(), nullable=True),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
            name=op.f("fk_prediction_events_prediction_id_predictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("prediction_id", name=op.f("pk_prediction_events")),
    )
    op.create_index("ix_prediction_events_event", "prediction_events", ["event_id"])
    op.create_index("ix_prediction_events_guild", "prediction_events", ["guild_id"])
    op.create_table(
        "dispute_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("window_hours", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_dispute_settings")),
    )
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("settled_by", sa.BigInteger(), nullable=True),
        sa.Column("settled_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
            name=op.f("fk_disputes_prediction_id_predictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    op.create_index("ix_disputes_guild_status", "disputes", ["guild_id", "status"])
    op.create_index("ix_disputes_prediction", "disputes", ["prediction_id", "status"])
    op.create_index(
        "uq_disputes_open_member",
        "disputes",
        ["prediction_id", "user_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index("uq_disputes_open_member", table_name="disputes")
    op.drop_index("ix_disputes_prediction", table_name="disputes")
    op.drop_index("ix_disputes_guild_status", table_name="disputes")
    op.drop_table("disputes")
    op.drop_table("dispute_settings")
    op.drop_index("ix_prediction_events_guild", table_name="prediction_events")
    op.drop_index("ix_prediction_events_event", table_name="prediction_events")
    op.drop_table("prediction_events")
    op.drop_table("event_settings")
    op.drop_index("ix_digest_schedules_next_at", table_name="digest_schedules")
    op.drop_table("digest_schedules")
