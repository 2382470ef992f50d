"""Tags, imports and forget-me (issue 13)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("guild_id", "name", name=op.f("uq_tags_guild_id_name")),
    )
    op.create_table(
        "prediction_tags",
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
            name=op.f("fk_prediction_tags_prediction_id_predictions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_prediction_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("prediction_id", "tag_id", name=op.f("pk_prediction_tags")),
    )
    op.create_index("ix_prediction_tags_tag", "prediction_tags", ["tag_id", "prediction_id"])
    op.create_table(
        "outside_forecasters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outside_forecasters")),
    )
    op.create_index(
        "ix_outside_forecasters_guild_name", "outside_forecasters", ["guild_id", "name"]
    )
    op.create_table(
        "import_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
            name=op.f("fk_import_keys_prediction_id_predictions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_keys")),
        sa.UniqueConstraint("guild_id", "key", name=op.f("uq_import_keys_guild_id_key")),
    )


def downgrade() -> None:
    op.drop_table("import_keys")
    op.drop_index("ix_outside_forecasters_guild_name", table_name="outside_forecasters")
    op.drop_table("outside_forecasters")
    op.drop_index("ix_prediction_tags_tag", table_name="prediction_tags")
    op.drop_table("prediction_tags")
    op.drop_table("tags")
