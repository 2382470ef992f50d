"""Text search in SQL: what a member types is matched literally, never as a pattern."""

from __future__ import annotations


def escape_like(text: str) -> str:
    """``text`` for ``LIKE … ESCAPE '\\'``: its ``%`` and ``_`` are plain characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
