"""One running season per server, held by the database too: a partial unique index on
``seasons.guild_id`` where ``ended_at`` IS NULL. The code's check alone let two simultaneous
``/augury season start`` (two processes on PostgreSQL) both write a running season.

A server that already has two running seasons (that race, before this revision) keeps the
latest: each earlier one ends when the next one started, and its recap comes due.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The start of the next running season of the same server (NULL: none, this one is latest).
_NEXT_START = (
    "(SELECT MIN(later.started_at) FROM seasons AS later WHERE later.guild_id = seasons.guild_id"
    " AND later.ended_at IS NULL AND later.id > seasons.id)"
)


def upgrade() -> None:
    op.execute(
        f"UPDATE seasons SET ended_at = {_NEXT_START}, recap_due_at = {_NEXT_START} "
        f"WHERE ended_at IS NULL AND {_NEXT_START} IS NOT NULL"
    )
    op.create_index(
        "uq_seasons_guild_running",
        "seasons",
        ["guild_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_seasons_guild_running", table_name="seasons")
