"""Question setups: predictions.kind_spec holds a question's setup for its kind (the options of
a multiple-choice question, the range of a numeric or date one); NULL for yes/no.

Going back drops the column; the predictions that needed it are of kinds 0015 deletes on its
own way back, and ``migrate --to`` lists them before it runs.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What db.models calls PAYLOAD, as it is at this revision.
PAYLOAD = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    # A plain ADD COLUMN (no batch): predictions is never recreated (see 0015).
    op.add_column("predictions", sa.Column("kind_spec", PAYLOAD, nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN needs SQLite 3.35 (2021) or later (as 0015).
    op.drop_column("predictions", "kind_spec")
