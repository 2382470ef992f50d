"""Answering interactions: private replies, the one error path, and who is acting.

Every handler's failure goes through :func:`report_error`, directly or through the
:func:`reports_errors` wrapper: domain errors verbatim, anything else an apology (logged).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

import discord

from bot.domain.actor import Actor
from bot.domain.errors import AuguryError, MentionsMoment
from bot.rendering.command_mentions import mention_commands, mention_commands_in_embed
from bot.rendering.limits import MESSAGE_CONTENT, truncate
from bot.rendering.timestamps import discord_timestamp

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "Try again in a moment; if it keeps happening, tell a server admin."
)
DISCORD_TROUBLE = (
    "Discord is having trouble (it answered {status}), so nothing was changed. "
    "Try again in a moment."
)
GUILD_ONLY = "Augury works inside servers only: use this command in a server channel."

P = ParamSpec("P")


async def reply_ephemeral(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Answer privately, whether or not the interaction was already deferred."""
    text = truncate(mention_commands(content), MESSAGE_CONTENT) if content else None
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": discord.AllowedMentions.none()}
    if embed is not None:
        kwargs["embed"] = mention_commands_in_embed(embed)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(text or "", **kwargs)
    else:
        await interaction.response.send_message(text, **kwargs)


#: ``interaction.extras`` key: the deferral was public and nothing has answered it yet.
PUBLIC_PLACEHOLDER = "augury_public_placeholder"


async def defer_publicly(interaction: discord.Interaction) -> None:
    """Defer with a public "thinking…" for an answer everyone sees (a chart, a leaderboard).

    Discord turns the first follow-up into that public message whatever its flags, so an error
    would be public too: :func:`report_error` deletes the placeholder first and answers privately.
    Send the answer with :func:`send_public`.
    """
    await interaction.response.defer(thinking=True)
    interaction.extras[PUBLIC_PLACEHOLDER] = True


async def send_public(interaction: discord.Interaction, content: str = "", **kwargs: Any) -> None:
    """The public answer after :func:`defer_publicly` (mentions never ping)."""
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    if isinstance(kwargs.get("embed"), discord.Embed):
        mention_commands_in_embed(kwargs["embed"])
    await interaction.followup.send(mention_commands(content), **kwargs)
    interaction.extras.pop(PUBLIC_PLACEHOLDER, None)


async def answer_privately(interaction: discord.Interaction, content: str) -> None:
    """After :func:`defer_publicly`, an answer only the member should see instead (an empty
    record, their own rank): the public "thinking…" goes, the answer comes privately."""
    await _drop_public_placeholder(interaction)
    await reply_ephemeral(interaction, content)


async def _drop_public_placeholder(interaction: discord.Interaction) -> None:
    if interaction.extras.pop(PUBLIC_PLACEHOLDER, False):
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.debug("The public placeholder was already gone")


#: ``interaction.extras`` key: what the member's action already stored (see :func:`committed`).
COMMITTED = "augury_committed"
UPDATE_FOLLOWS = "The public message will be updated shortly."


def committed(interaction: discord.Interaction, summary: str) -> None:
    """Record that the action is stored (``"Resolved #3 YES"``): a failure after this point
    is reported as what happened, never as "nothing was changed"."""
    interaction.extras[COMMITTED] = summary


def shown_later(shown: bool) -> str:
    """The sentence to add when the public message could not be redrawn at once."""
    return "" if shown else f" {UPDATE_FOLLOWS}"


def error_text(error: AuguryError) -> str:
    """A domain error as the member reads it; moments in their own zone."""
    if isinstance(error, MentionsMoment):
        text = error.template.format(when=discord_timestamp(error.when, error.style))
    else:
        text = str(error)
    return mention_commands(text)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one place errors become replies: domain errors verbatim, the rest an apology."""
    if isinstance(error, AuguryError):
        message = error_text(error)
    elif interaction.extras.get(COMMITTED):
        log.error("Error after a change was stored", exc_info=error)
        message = (
            f"{interaction.extras[COMMITTED]}; {UPDATE_FOLLOWS[0].lower()}{UPDATE_FOLLOWS[1:]}"
        )
    elif isinstance(error, discord.DiscordServerError):
        # Discord's own trouble (5xx after discord.py's retries): not a bug here, no traceback.
        log.warning("Discord failed an interaction's request: %s", error)
        message = DISCORD_TROUBLE.format(status=error.status)
    else:
        log.error("Unhandled error in an interaction", exc_info=error)
        message = APOLOGY
    try:
        await _drop_public_placeholder(interaction)
        await reply_ephemeral(interaction, f"⚠️ {message}")
    except discord.HTTPException:
        log.warning("Could not deliver an error reply (interaction expired?)")


def reports_errors(
    handler: Callable[P, Coroutine[Any, Any, None]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Wrap a button, form or listener handler: whatever it raises is reported privately.

    The interaction is found among the arguments, so methods and functions alike can use it.
    """

    @functools.wraps(handler)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await handler(*args, **kwargs)
        except Exception as error:
            interaction = next(
                (a for a in (*args, *kwargs.values()) if isinstance(a, discord.Interaction)), None
            )
            if interaction is None:
                raise
            await report_error(interaction, error)

    return wrapper


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
