"""One index for a server's predictions by status and resolution date

It replaces (guild_id, status), its prefix: /resolve's autocomplete reads a server's open
predictions due first, in date order, as two index ranges instead of sorting every open one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_predictions_guild_status_resolves",
            ["guild_id", "status", "resolves_at"],
            unique=False,
        )
        batch_op.drop_index("ix_predictions_guild_status")


def downgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index("ix_predictions_guild_status", ["guild_id", "status"], unique=False)
        batch_op.drop_index("ix_predictions_guild_status_resolves")
