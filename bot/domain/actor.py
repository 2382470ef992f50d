"""Who is acting, as far as the rules care: a member, their roles, and Manage Server."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """A member acting in a server (built from the interaction by the cog layer)."""

    user_id: int
    role_ids: frozenset[int] = field(default_factory=frozenset)
    manages_guild: bool = False

    def is_moderator(self, moderator_role_id: int | None) -> bool:
        """Manage Server, or the server's configured moderator role."""
        return self.manages_guild or (
            moderator_role_id is not None and moderator_role_id in self.role_ids
        )
