"""Logging for the process: text (default) or JSON lines, and never a secret in either.

Both formats redact twice: :class:`~bot.log_redaction.RedactSecrets` rewrites the record
(message, traceback, stack) for every handler, and the formatter redacts what it writes, so a
formatter that renders the traceback again from ``exc_info`` (python-json-logger does) or adds
the record's extra fields cannot bring a secret back.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.log_redaction import RedactingFormatter, RedactSecrets, redact_value
from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
#: Libraries that chatter at INFO; they stay at WARNING unless the admin asks for DEBUG.
CHATTY = ("alembic.runtime.plugins", "alembic.runtime.migration", "discord.gateway")


def secrets_of(settings: Settings) -> tuple[str, ...]:
    """Values to scrub from every record, beyond the patterns the filter knows: the bot token
    and the database password (also where it shows up outside its URL)."""
    secrets = [settings.discord_token.get_secret_value()]
    try:
        password = make_url(settings.database_url).password
    except ArgumentError:
        password = None
    if password:
        secrets.append(str(password))
    return tuple(s for s in secrets if s)


def _json_formatter(secrets: tuple[str, ...]) -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    class RedactingJsonFormatter(JsonFormatter):
        """Every field (message, exc_info, stack_info, extras) is redacted before encoding,
        where a secret is still plain text (not JSON-escaped)."""

        def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
            return {key: redact_value(value, secrets) for key, value in log_data.items()}

    return RedactingJsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )


def build_handler(
    log_format: str, secrets: tuple[str, ...] = (), stream: IO[str] | None = None
) -> logging.Handler:
    """One stream handler (stderr unless ``stream``) in ``log_format``, redacting secrets."""
    handler = logging.StreamHandler(stream)
    inner = _json_formatter(secrets) if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(RedactingFormatter(inner, secrets))
    # Tokens in REST paths (DEBUG), the bot token and database passwords never reach the log.
    handler.addFilter(RedactSecrets(secrets))
    return handler


def configure_logging(level: str, log_format: str = "text", secrets: tuple[str, ...] = ()) -> None:
    """One handler on stderr; JSON (python-json-logger) for log collectors when asked."""
    logging.basicConfig(level=level, handlers=[build_handler(log_format, secrets)])
    quiet = logging.WARNING if level != "DEBUG" else logging.DEBUG
    for name in CHATTY:
        logging.getLogger(name).setLevel(quiet)
