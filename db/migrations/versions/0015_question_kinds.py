"""Question kinds: a prediction names its kind; forecasts and outcomes of any kind fit

predictions.kind (every existing prediction is yes/no) and predictions.outcome_value (the
outcome of a kind other than yes/no, whose ``outcome`` is ANSWERED); votes, vote_events and
scores gain a JSON ``forecast`` for other kinds, and the yes/no columns they do not fill
(votes.permille, scores.permille, scores.outcome) may be NULL. Yes/no rows are untouched:
their per-mille stays in its indexed integer column.

Going back deletes the predictions of other kinds (the old schema cannot hold them, and
``migrate --to`` lists them before it runs). ``predictions`` is never recreated (no batch copy
on SQLite): a recreated parent table would cascade-delete its children.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What db.models calls PAYLOAD, as it is at this revision.
PAYLOAD = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=32), server_default="yes_no", nullable=False)
        )
        batch_op.add_column(sa.Column("outcome_value", PAYLOAD, nullable=True))
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forecast", PAYLOAD, nullable=True))
        batch_op.alter_column("permille", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("vote_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forecast", PAYLOAD, nullable=True))
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forecast", PAYLOAD, nullable=True))
        batch_op.alter_column("permille", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("outcome", existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    # Children first: SQLite enforces ON DELETE CASCADE only where foreign keys are on.
    other_kinds = "SELECT id FROM predictions WHERE kind <> 'yes_no'"
    for table in ("scores", "vote_events", "votes"):
        op.execute(f"DELETE FROM {table} WHERE prediction_id IN ({other_kinds})")
    op.execute("DELETE FROM predictions WHERE kind <> 'yes_no'")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.alter_column("outcome", existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("permille", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("forecast")
    with op.batch_alter_table("vote_events", schema=None) as batch_op:
        batch_op.drop_column("forecast")
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.alter_column("permille", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("forecast")
    # Not a batch: on SQLite a batch recreates the table, and dropping the old predictions
    # table (foreign keys on) would cascade-delete every vote, score and queued message.
    # ALTER TABLE … DROP COLUMN needs SQLite 3.35 (2021) or later.
    op.drop_column("predictions", "outcome_value")
    op.drop_column("predictions", "kind")
