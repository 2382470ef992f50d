"""Servers greeted on joining, and servers holding guild-scoped (development) commands

``guild_greetings``: one row per server the set-up message was posted for, so it is posted
once. ``guild_command_syncs``: servers ``DEV_GUILD_ID`` synced commands to, cleared by the next
global sync.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 05:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "guild_greetings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("greeted_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_to", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_greetings")),
    )
    op.create_table(
        "guild_command_syncs",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("synced_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_command_syncs")),
    )


def downgrade() -> None:
    op.drop_table("guild_command_syncs")
    op.drop_table("guild_greetings")
