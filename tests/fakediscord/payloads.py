"""Discord-shaped payload builders (API v10): the one module tests build objects from.

Every id is a string and every permission set a decimal string, as Discord sends them; the
shapes follow what discord.py 2.7 actually reads. Interaction builders live in
``interaction_payloads`` and are re-exported here, so ``payloads.<builder>`` is the whole API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .ids import ATTACHMENT_SIZE_LIMIT, CDN, DISCORD_EPOCH_MS, JSON, iso, new_id, new_token
from .interaction_payloads import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    USER,
    InteractionContext,
    autocomplete_interaction,
    component_interaction,
    interaction,
    message_command_interaction,
    modal_submit_interaction,
    option,
    resolved,
    slash_command_interaction,
    subcommand,
    subcommand_group,
    user_command_interaction,
)

__all__ = [
    "ATTACHMENT",
    "ATTACHMENT_SIZE_LIMIT",
    "BOOLEAN",
    "CDN",
    "CHANNEL",
    "DISCORD_EPOCH_MS",
    "INTEGER",
    "JSON",
    "MENTIONABLE",
    "NUMBER",
    "ROLE",
    "STRING",
    "USER",
    "InteractionContext",
    "attachment",
    "autocomplete_interaction",
    "component_interaction",
    "dm_channel",
    "forum_channel",
    "forum_tag",
    "guild",
    "interaction",
    "iso",
    "member",
    "message",
    "message_command_interaction",
    "modal_submit_interaction",
    "new_id",
    "new_token",
    "option",
    "partial_emoji",
    "reaction_add",
    "reaction_remove",
    "resolved",
    "role",
    "slash_command_interaction",
    "subcommand",
    "subcommand_group",
    "text_channel",
    "thread_channel",
    "user",
    "user_command_interaction",
]


# --- users, members, roles -------------------------------------------------------------------


def user(id: str, username: str, *, bot: bool = False, global_name: str | None = None) -> JSON:
    return {
        "id": id,
        "username": username,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "global_name": global_name if global_name is not None else (None if bot else username),
        "system": False,
        "public_flags": 0,
        "flags": 0,
    }


def member(
    user: Mapping[str, Any],
    *,
    roles: Iterable[str] = (),
    nick: str | None = None,
    joined_at: str | None = None,
    permissions: int | str | None = None,
) -> JSON:
    """A guild member with its user; ``permissions`` is only present in interaction payloads."""
    data: JSON = {
        "user": dict(user),
        "roles": list(roles),
        "nick": nick,
        "avatar": None,
        "joined_at": joined_at or iso(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(
    id: str,
    name: str,
    permissions: int | str,
    *,
    position: int = 0,
    managed: bool = False,
    color: int = 0,
    hoist: bool = False,
    mentionable: bool = False,
    tags: Mapping[str, Any] | None = None,
) -> JSON:
    data: JSON = {
        "id": id,
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": color,
        "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
        "hoist": hoist,
        "icon": None,
        "unicode_emoji": None,
        "managed": managed,
        "mentionable": mentionable,
        "flags": 0,
    }
    if tags is not None:
        data["tags"] = dict(tags)
    return data


# --- channels, threads, guild ----------------------------------------------------------------


def text_channel(
    id: str,
    guild_id: str,
    name: str,
    *,
    position: int = 0,
    topic: str | None = None,
    parent_id: str | None = None,
    last_message_id: str | None = None,
) -> JSON:
    return {
        "id": id,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "topic": topic,
        "parent_id": parent_id,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": last_message_id,
        "permission_overwrites": [],
        "flags": 0,
    }


def forum_tag(
    id: str, name: str, *, moderated: bool = False, emoji_name: str | None = None
) -> JSON:
    return {
        "id": id,
        "name": name,
        "moderated": moderated,
        "emoji_id": None,
        "emoji_name": emoji_name,
    }


def forum_channel(
    id: str,
    guild_id: str,
    name: str,
    *,
    position: int = 0,
    available_tags: Iterable[Mapping[str, Any]] = (),
    flags: int = 0,
    topic: str | None = None,
) -> JSON:
    """A forum (type 15); flag 1 << 4 is REQUIRE_TAG."""
    return {
        "id": id,
        "type": 15,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "topic": topic,
        "parent_id": None,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "permission_overwrites": [],
        "flags": flags,
        "available_tags": [dict(t) for t in available_tags],
        "default_reaction_emoji": None,
        "default_thread_rate_limit_per_user": 0,
        "default_sort_order": None,
        "default_forum_layout": 0,
        "default_auto_archive_duration": 1440,
    }


def thread_channel(
    id: str,
    guild_id: str,
    parent_id: str,
    name: str,
    owner_id: str,
    *,
    type: int = 11,
    archived: bool = False,
    locked: bool = False,
    auto_archive_duration: int = 1440,
    applied_tags: Iterable[str] = (),
    message_count: int = 0,
) -> JSON:
    """A public (11) or private (12) thread; forum posts are public threads."""
    now = iso()
    return {
        "id": id,
        "type": type,
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "message_count": message_count,
        "member_count": 1,
        "total_message_sent": message_count,
        "rate_limit_per_user": 0,
        "flags": 0,
        "applied_tags": list(applied_tags),
        "thread_metadata": {
            "archived": archived,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": now,
            "locked": locked,
            "create_timestamp": now,
        },
    }


def dm_channel(id: str, recipient: Mapping[str, Any]) -> JSON:
    return {
        "id": id,
        "type": 1,
        "last_message_id": None,
        "flags": 0,
        "recipients": [dict(recipient)],
    }


def guild(
    id: str,
    name: str,
    *,
    owner_id: str,
    roles: Sequence[Mapping[str, Any]],
    channels: Sequence[Mapping[str, Any]],
    members: Sequence[Mapping[str, Any]],
    threads: Sequence[Mapping[str, Any]] = (),
    member_count: int | None = None,
    system_channel_id: str | None = None,
) -> JSON:
    """A GUILD_CREATE guild; ``member_count`` defaults to ``len(members)`` (else chunking)."""
    return {
        "id": id,
        "name": name,
        "icon": None,
        "owner_id": owner_id,
        "unavailable": False,
        "large": False,
        "joined_at": iso(),
        "member_count": len(members) if member_count is None else member_count,
        "roles": [dict(r) for r in roles],
        "channels": [dict(c) for c in channels],
        "threads": [dict(t) for t in threads],
        "members": [dict(m) for m in members],
        "presences": [],
        "voice_states": [],
        "emojis": [],
        "stickers": [],
        "features": [],
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "description": None,
        "system_channel_id": system_channel_id,
        "system_channel_flags": 0,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


# --- messages, emoji, reactions ---------------------------------------------------------------


def partial_emoji(emoji: str) -> JSON:
    """``"👍"``, ``"name:id"`` or ``"<:name:id>"`` → the emoji object of reaction events."""
    text = emoji.strip("<>")
    if ":" in text:
        parts = text.split(":")
        animated = parts[0] == "a" and len(parts) == 3
        return {"id": parts[-1], "name": parts[-2], "animated": animated}
    return {"id": None, "name": emoji}


def attachment(id: str, filename: str, size: int, *, content_type: str | None = None) -> JSON:
    url = f"{CDN}/attachments/{id}/{filename}"
    return {
        "id": id,
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def message(
    id: str,
    channel_id: str,
    author: Mapping[str, Any],
    *,
    content: str = "",
    guild_id: str | None = None,
    member: Mapping[str, Any] | None = None,
    embeds: Iterable[Mapping[str, Any]] = (),
    components: Iterable[Mapping[str, Any]] = (),
    attachments: Iterable[Mapping[str, Any]] = (),
    flags: int = 0,
    type: int = 0,
    webhook_id: str | None = None,
    application_id: str | None = None,
    interaction_metadata: Mapping[str, Any] | None = None,
) -> JSON:
    """A message; guild messages in gateway events also carry a ``member`` without ``user``."""
    data: JSON = {
        "id": id,
        "channel_id": channel_id,
        "author": dict(author),
        "content": content,
        "timestamp": iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [dict(a) for a in attachments],
        "embeds": [dict(e) for e in embeds],
        "components": [dict(c) for c in components],
        "reactions": [],
        "pinned": False,
        "type": type,
        "flags": flags,
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
    if member is not None:
        data["member"] = {k: v for k, v in member.items() if k != "user"}
    if webhook_id is not None:
        data["webhook_id"] = webhook_id
    if application_id is not None:
        data["application_id"] = application_id
    if interaction_metadata is not None:
        data["interaction_metadata"] = dict(interaction_metadata)
    return data


def reaction_add(
    *,
    user_id: str,
    channel_id: str,
    message_id: str,
    emoji: str,
    guild_id: str | None = None,
    member: Mapping[str, Any] | None = None,
    message_author_id: str | None = None,
    burst: bool = False,
) -> JSON:
    """MESSAGE_REACTION_ADD; discord.py requires ``type`` (0 normal, 1 burst)."""
    data: JSON = {
        "user_id": user_id,
        "channel_id": channel_id,
        "message_id": message_id,
        "emoji": partial_emoji(emoji),
        "burst": burst,
        "burst_colors": [],
        "type": 1 if burst else 0,
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
    if member is not None:
        data["member"] = dict(member)
    if message_author_id is not None:
        data["message_author_id"] = message_author_id
    return data


def reaction_remove(
    *,
    user_id: str,
    channel_id: str,
    message_id: str,
    emoji: str,
    guild_id: str | None = None,
    burst: bool = False,
) -> JSON:
    """MESSAGE_REACTION_REMOVE (no member, as on Discord)."""
    data = reaction_add(
        user_id=user_id, channel_id=channel_id, message_id=message_id, emoji=emoji, burst=burst
    )
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data
