"""Member notification preferences and vote reasons (issue 11)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FLAGS = ("notify_my_due", "notify_followed_due", "notify_resolutions", "notify_close_warnings")


def upgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voters_follow", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("user_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notify_where", sa.String(length=8), server_default="thread", nullable=False)
        )
        for flag in _FLAGS:
            batch_op.add_column(
                sa.Column(flag, sa.Boolean(), server_default=sa.true(), nullable=False)
            )
        batch_op.add_column(
            sa.Column("muted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("dm_failed_at", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimant_id", sa.BigInteger(), nullable=True))
    for table in ("votes", "vote_events"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("reason", sa.String(length=1000), nullable=True))
    op.create_table(
        "member_names",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("seen_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_member_names")),
    )
    op.create_table(
        "result_messages",
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("queued_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
            name=op.f("fk_result_messages_prediction_id_predictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("prediction_id", "user_id", name=op.f("pk_result_messages")),
    )
    op.create_index(
        "ix_result_messages_sent_queued", "result_messages", ["sent_at", "queued_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_result_messages_sent_queued", table_name="result_messages")
    op.drop_table("result_messages")
    op.drop_table("member_names")
    for table in ("vote_events", "votes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reason")
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_column("claimant_id")
    with op.batch_alter_table("user_settings", schema=None) as batch_op:
        batch_op.drop_column("dm_failed_at")
        batch_op.drop_column("muted")
        for flag in reversed(_FLAGS):
            batch_op.drop_column(flag)
        batch_op.drop_column("notify_where")
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("voters_follow")
