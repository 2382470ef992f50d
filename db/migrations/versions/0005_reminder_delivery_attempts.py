"""Reminders: delivery attempts, backoff and claims (issue 10)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paused_reminder_at", db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("paused_warning_at", db.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "reminder_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("due_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("scheduled_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("parts_sent", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("gave_up_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
            name=op.f("fk_reminder_attempts_prediction_id_predictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_attempts")),
        sa.UniqueConstraint(
            "prediction_id",
            "kind",
            "sequence",
            name=op.f("uq_reminder_attempts_prediction_id_kind_sequence"),
        ),
    )
    with op.batch_alter_table("reminder_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminder_attempts_guild_gave_up", ["guild_id", "gave_up_at"], unique=False
        )
    op.create_table(
        "reminder_pauses",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("paused_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_reminder_pauses")),
    )


def downgrade() -> None:
    op.drop_table("reminder_pauses")
    with op.batch_alter_table("reminder_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_attempts_guild_gave_up")
    op.drop_table("reminder_attempts")
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_column("paused_warning_at")
        batch_op.drop_column("paused_reminder_at")
