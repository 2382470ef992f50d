"""Scale-out across shards and processes (issue 12)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing yet: filled in by the change that needs it."""
