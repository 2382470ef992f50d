"""Seasons and earned roles (issue 21): ``seasons`` (a named window, its tags, its recap's
claim and where it went), ``earned_roles`` (a server role mapped to an achievement),
``earned_role_holders`` (who the bot gave it to) and ``role_changes`` (the paced queue of roles
to add and remove, claimed per row).

The season filter on the leaderboard needs no new index: a season is a ``resolved_at`` range
on ix_scores_guild_resolved (or the covering ix_scores_guild_user_cover for one member).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.types import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What db.models calls PAYLOAD, as it is at this revision (JSONB on PostgreSQL: comparable).
PAYLOAD = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "seasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("tags", PAYLOAD, nullable=True),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_by", sa.BigInteger(), nullable=True),
        sa.Column("recap_due_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recap_claim", sa.String(length=32), nullable=True),
        sa.Column("recap_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("recapped_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recap_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("recap_message_id", sa.BigInteger(), nullable=True),
        sa.Column("recap_problem", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seasons")),
        sa.UniqueConstraint("guild_id", "name", name=op.f("uq_seasons_guild_id_name")),
    )
    op.create_index("ix_seasons_guild_started", "seasons", ["guild_id", "started_at"])
    op.create_index("ix_seasons_ends_at", "seasons", ["ends_at"])
    op.create_index("ix_seasons_recap_due_at", "seasons", ["recap_due_at"])
    op.create_table(
        "earned_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.Column("role_name", sa.String(length=100), nullable=False),
        sa.Column("achievement", sa.String(length=24), nullable=False),
        sa.Column("top_n", sa.Integer(), nullable=True),
        sa.Column("min_forecasts", sa.Integer(), nullable=True),
        sa.Column("seen_event_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("problem", sa.String(length=200), nullable=True),
        sa.Column("problem_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_earned_roles")),
        sa.UniqueConstraint("guild_id", "role_id", name=op.f("uq_earned_roles_guild_id_role_id")),
    )
    op.create_table(
        "earned_role_holders",
        sa.Column("earned_role_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("since", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["earned_role_id"],
            ["earned_roles.id"],
            name=op.f("fk_earned_role_holders_earned_role_id_earned_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("earned_role_id", "user_id", name=op.f("pk_earned_role_holders")),
    )
    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("add", sa.Boolean(), nullable=False),
        sa.Column("queued_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_changes")),
    )
    op.create_index("ix_role_changes_done_id", "role_changes", ["done_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_role_changes_done_id", table_name="role_changes")
    op.drop_table("role_changes")
    op.drop_table("earned_role_holders")
    op.drop_table("earned_roles")
    op.drop_index("ix_seasons_recap_due_at", table_name="seasons")
    op.drop_index("ix_seasons_ends_at", table_name="seasons")
    op.drop_index("ix_seasons_guild_started", table_name="seasons")
    op.drop_table("seasons")
