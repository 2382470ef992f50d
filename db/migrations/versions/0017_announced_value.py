"""The answer followers were last pinged about: ``predictions.announced_value`` beside
``announced_outcome`` (0010). For yes/no the outcome says it all (NULL here); for another kind
``announced_outcome`` is ANSWERED whatever the answer, so a re-resolution to a different option
must be told apart by the value, and ping as a new outcome.

Resolved questions keep the value they were announced with; a reopened one (no outcome now)
is unknown, so its next resolution pings, as a new outcome would.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What db.models calls PAYLOAD, as it is at this revision.
PAYLOAD = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    # A plain ADD COLUMN (no batch): predictions is never recreated (see 0015).
    op.add_column("predictions", sa.Column("announced_value", PAYLOAD, nullable=True))
    op.execute(
        "UPDATE predictions SET announced_value = outcome_value "
        "WHERE announced_outcome = 'answered' AND outcome = 'answered'"
    )


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN needs SQLite 3.35 (2021) or later (as 0015).
    op.drop_column("predictions", "announced_value")
