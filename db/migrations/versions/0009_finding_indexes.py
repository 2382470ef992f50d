"""Indexes for finding predictions at a million: by status and date, and a member's follows

(guild_id, status, resolves_at) replaces its prefix (guild_id, status): /resolve's autocomplete
reads a server's open predictions due first, in date order, as two index ranges instead of
sorting every open one. followers (user_id, prediction_id): `/predictions list show:followed`
starts from the member's follows instead of probing every prediction.

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
    with op.batch_alter_table("followers", schema=None) as batch_op:
        batch_op.create_index("ix_followers_user", ["user_id", "prediction_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("followers", schema=None) as batch_op:
        batch_op.drop_index("ix_followers_user")
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index("ix_predictions_guild_status", ["guild_id", "status"], unique=False)
        batch_op.drop_index("ix_predictions_guild_status_resolves")
