"""Reopen reasons in the edit log, and the outcome a prediction's followers were last told

``prediction_edits.reason``: why a moderator reopened a prediction (``/predictions history``
shows it). ``predictions.announced_outcome``: the outcome followers were last pinged about,
kept through a reopen so that resolving again to the same outcome pings nobody twice. Resolved
predictions are backfilled with their outcome (their followers were told it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prediction_edits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_outcome", sa.String(length=16), nullable=True))
    op.execute(
        "UPDATE predictions SET announced_outcome = outcome "
        "WHERE status = 'resolved' AND outcome IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_column("announced_outcome")
    with op.batch_alter_table("prediction_edits", schema=None) as batch_op:
        batch_op.drop_column("reason")
