"""Indexes for finding one member's rows: predictions by author, current votes by member

Forget-me's confirmation counts what a member authored and forecast across every server; without
these it read the whole predictions and votes tables (a million predictions, their votes).
predictions (author_id) serves the count and the rewrite to the anonymous id; votes (user_id,
prediction_id) serves the count and finds the open votes to withdraw.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index("ix_predictions_author", ["author_id"], unique=False)
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index("ix_votes_user", ["user_id", "prediction_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index("ix_votes_user")
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index("ix_predictions_author")
