"""The public web view: a server's opt-in, a member's opt-out, which channels anyone can read

``guild_settings.web_enabled``: the server opted in with ``/augury web on`` (off by default: a
server that has not opted in does not exist on the web); ``web_name``: the server's name as it
was when it opted in (the web process has no Discord connection to ask). ``user_settings.
web_hidden``: ``/privacy web off``, the member's profile stays off the web in every server.
``predictions.public_channel``: whether @everyone could read the prediction's channel when the
bot last looked (NULL: unknown, so not shown). Three indexes that start with (guild,
public_channel) make every page of the web view's lists one index range.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("web_enabled", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("web_name", sa.String(length=100), nullable=True))
    with op.batch_alter_table("user_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("web_hidden", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_channel", sa.Boolean(), nullable=True))
        batch_op.create_index("ix_predictions_web", ["guild_id", "public_channel"])
        batch_op.create_index(
            "ix_predictions_web_resolves", ["guild_id", "public_channel", "status", "resolves_at"]
        )
        batch_op.create_index(
            "ix_predictions_web_resolved", ["guild_id", "public_channel", "status", "resolved_at"]
        )


def downgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index("ix_predictions_web_resolved")
        batch_op.drop_index("ix_predictions_web_resolves")
        batch_op.drop_index("ix_predictions_web")
        batch_op.drop_column("public_channel")
    with op.batch_alter_table("user_settings", schema=None) as batch_op:
        batch_op.drop_column("web_hidden")
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("web_name")
        batch_op.drop_column("web_enabled")
