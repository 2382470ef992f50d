"""Remember which prediction messages await a re-render (so a crash cannot leave them stale)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 12:57:36.741258
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("render_pending", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("votes_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index("ix_predictions_render_pending", ["render_pending"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index("ix_predictions_render_pending")
        batch_op.drop_column("votes_version")
        batch_op.drop_column("render_pending")
