"""A member's footprint by index, and outside forecasters linked to members

vote_events (user_id, prediction_id): a member's export (``prediction_id IN (SELECT …
WHERE user_id = ?)``), forget-me's count of a member's forecasts (a plain ``WHERE user_id =
?``) and linking an outside forecaster read a member's events without scanning every event.
outside_forecasters.linked_user_id / linked_at: the member a moderator linked the name to.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vote_events", schema=None) as batch_op:
        batch_op.create_index("ix_vote_events_user", ["user_id", "prediction_id"], unique=False)
    with op.batch_alter_table("outside_forecasters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("linked_user_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("linked_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outside_forecasters", schema=None) as batch_op:
        batch_op.drop_column("linked_at")
        batch_op.drop_column("linked_user_id")
    with op.batch_alter_table("vote_events", schema=None) as batch_op:
        batch_op.drop_index("ix_vote_events_user")
