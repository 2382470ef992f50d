"""Covering index on scores for the leaderboard and calibration queries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "guild_id",
    "user_id",
    "resolved_at",
    "relative_brier",
    "brier",
    "log_score",
    "permille",
    "outcome",
]


def upgrade() -> None:
    op.create_index("ix_scores_guild_user_cover", "scores", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_scores_guild_user_cover", table_name="scores")
