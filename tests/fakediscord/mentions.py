"""Who a message really pings: content mentions filtered by ``allowed_mentions``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

USER_RE = re.compile(r"<@!?(\d+)>")
ROLE_RE = re.compile(r"<@&(\d+)>")
EVERYONE_RE = re.compile(r"@(everyone|here)")


def pings(
    content: str, allowed_mentions: Mapping[str, Any] | None
) -> tuple[list[str], list[str], bool]:
    """(user ids, role ids, @everyone) that notify; no ``allowed_mentions`` means all of them."""
    users = list(dict.fromkeys(USER_RE.findall(content)))
    roles = list(dict.fromkeys(ROLE_RE.findall(content)))
    everyone = bool(EVERYONE_RE.search(content))
    if allowed_mentions is None:
        return users, roles, everyone
    parse = set(allowed_mentions.get("parse") or [])
    allowed_users = {str(u) for u in allowed_mentions.get("users") or []}
    allowed_roles = {str(r) for r in allowed_mentions.get("roles") or []}
    return (
        [u for u in users if "users" in parse or u in allowed_users],
        [r for r in roles if "roles" in parse or r in allowed_roles],
        everyone and "everyone" in parse,
    )
