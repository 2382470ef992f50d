"""discord.py's application-command errors as domain errors members can act on."""

from __future__ import annotations

from discord import app_commands

from bot.domain.errors import AuguryError, NotAllowed
from bot.rendering.replies import GUILD_ONLY

#: A command the member's Discord app still shows, but this version of the bot changed.
COMMAND_CHANGED = (
    "This command has changed since your Discord app loaded it. Reload Discord (Ctrl+R, or "
    "reopen the app) and run it again."
)


def translate(error: BaseException) -> BaseException:
    """Unwrap discord.py's wrappers and turn its check failures into domain errors."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return AuguryError(COMMAND_CHANGED)
    if isinstance(error, app_commands.NoPrivateMessage):
        return AuguryError(GUILD_ONLY)
    if isinstance(error, app_commands.MissingPermissions):
        needed = permission_names(error.missing_permissions)
        return NotAllowed(f"You need the {needed} permission for this command.")
    if isinstance(error, app_commands.BotMissingPermissions):
        needed = permission_names(error.missing_permissions)
        return AuguryError(f"I need the {needed} permission here. Ask a server admin to grant it.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return AuguryError(f"Slow down: try again in {error.retry_after:.0f} s.")
    if isinstance(error, app_commands.TransformerError):
        return AuguryError(f"`{error.value}` is not a valid value here.")
    return error


def permission_names(permissions: list[str]) -> str:
    """Permission names as Discord's client shows them (manage_guild is "Manage Server")."""
    shown = {"manage_guild": "Manage Server"}
    return ", ".join(shown.get(p, p.replace("_", " ").title()) for p in permissions)
