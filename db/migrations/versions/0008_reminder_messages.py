"""The reminder-DM queue: reminders for members who chose DMs, sent at their own pace

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_messages",
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("queued_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["reminder_deliveries.id"],
            name=op.f("fk_reminder_messages_delivery_id_reminder_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("delivery_id", "user_id", name=op.f("pk_reminder_messages")),
    )
    op.create_index(
        "ix_reminder_messages_sent_queued",
        "reminder_messages",
        ["sent_at", "queued_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_messages_sent_queued", table_name="reminder_messages")
    op.drop_table("reminder_messages")
