"""Logging for the process: text (default) or JSON lines, and never a secret in either."""

from __future__ import annotations

import logging

from bot.log_redaction import RedactSecrets
from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
#: Libraries that chatter at INFO; they stay at WARNING unless the admin asks for DEBUG.
CHATTY = ("alembic.runtime.plugins", "alembic.runtime.migration", "discord.gateway")


def secrets_of(settings: Settings) -> tuple[str, ...]:
    """Values to scrub from every record, beyond the patterns the filter knows."""
    return (settings.discord_token.get_secret_value(),)


def configure_logging(level: str, log_format: str = "text", secrets: tuple[str, ...] = ()) -> None:
    """One handler on stderr; JSON (python-json-logger) for log collectors when asked."""
    handler = logging.StreamHandler()
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    # Tokens in REST paths (DEBUG), the bot token and database passwords never reach the log.
    handler.addFilter(RedactSecrets(secrets))
    logging.basicConfig(level=level, handlers=[handler])
    quiet = logging.WARNING if level != "DEBUG" else logging.DEBUG
    for name in CHATTY:
        logging.getLogger(name).setLevel(quiet)
