"""Discord permission bits, so payloads carry the same strings Discord sends."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_AUDIT_LOG = 1 << 7
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40

ALL = (1 << 53) - 1

EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
MODERATOR = MANAGE_MESSAGES | MANAGE_THREADS | MODERATE_MEMBERS | KICK_MEMBERS
ADMIN = MANAGE_GUILD | MANAGE_CHANNELS | MANAGE_ROLES | VIEW_AUDIT_LOG
BOT = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
    | MANAGE_THREADS
    | MANAGE_MESSAGES
)


def member_permissions(
    member: Mapping[str, Any], roles: Iterable[Mapping[str, Any]], *, guild_id: str, owner_id: str
) -> int:
    """Guild-level permissions of a member, computed the way Discord does (no overwrites)."""
    if member["user"]["id"] == owner_id:
        return ALL
    by_id = {r["id"]: int(r["permissions"]) for r in roles}
    value = by_id.get(guild_id, 0)
    for role_id in member.get("roles", []):
        value |= by_id.get(role_id, 0)
    return ALL if value & ADMINISTRATOR else value


def channel_permissions(
    base: int, member: Mapping[str, Any], overwrites: Iterable[Mapping[str, Any]], *, guild_id: str
) -> int:
    """A member's permissions in one channel: the guild-level ``base`` with the channel's
    overwrites applied in Discord's order (@everyone, then the member's roles together, then
    the member). A thread passes its parent's overwrites, as Discord computes them."""
    if base & ADMINISTRATOR:
        return ALL
    by_id = {str(o["id"]): o for o in overwrites}
    value = base
    everyone = by_id.get(guild_id)
    if everyone is not None:
        value = (value & ~int(everyone["deny"])) | int(everyone["allow"])
    deny = allow = 0
    for role_id in member.get("roles", []):
        found = by_id.get(str(role_id))
        if found is not None and int(found["type"]) == 0:
            deny, allow = deny | int(found["deny"]), allow | int(found["allow"])
    value = (value & ~deny) | allow
    own = by_id.get(str(member["user"]["id"]))
    if own is not None and int(own["type"]) == 1:
        value = (value & ~int(own["deny"])) | int(own["allow"])
    return value
