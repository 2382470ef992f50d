"""Answering interactions safely: ephemeral errors, who is acting, guild-only checks."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.errors import AuguryError
from bot.rendering.limits import MESSAGE_CONTENT, truncate
from bot.services.base import Actor

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "Try again in a moment; if it keeps happening, tell a server admin."
)
GUILD_ONLY = "Augury works inside servers only: use this command in a server channel."


async def reply_ephemeral(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Answer privately, whether or not the interaction was already deferred."""
    text = truncate(content, MESSAGE_CONTENT) if content else None
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": discord.AllowedMentions.none()}
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(text or "", **kwargs)
    else:
        await interaction.response.send_message(text, **kwargs)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one place errors become replies: domain errors verbatim, the rest an apology."""
    if isinstance(error, AuguryError):
        message = str(error)
    else:
        log.error("Unhandled error in an interaction", exc_info=error)
        message = APOLOGY
    try:
        await reply_ephemeral(interaction, f"⚠️ {message}")
    except discord.HTTPException:
        log.warning("Could not deliver an error reply (interaction expired?)")


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise AuguryError(GUILD_ONLY)
    return interaction.guild_id


def actor_of(interaction: discord.Interaction) -> Actor:
    """Permissions as services understand them: roles and Manage Server in this channel."""
    user = interaction.user
    roles = frozenset(role.id for role in getattr(user, "roles", ()))
    return Actor(
        user_id=user.id,
        role_ids=roles,
        manages_guild=interaction.permissions.manage_guild,
    )
