"""Secrets never reach a log line, even at DEBUG.

discord.py logs every REST call at DEBUG, and an interaction's URL carries its token
(``/interactions/<id>/<token>/callback``, ``/webhooks/<app>/<token>/…``) and the gateway's
event dumps carry it as ``'token': …``: whoever reads the
log could answer as the bot for 15 minutes. A filter on the handlers rewrites each record
with those tokens, the bot token and database passwords replaced by ``***``, and the handler's
formatter redacts again what it finally writes (a JSON formatter renders tracebacks afresh).
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "***"
#: Shorter "secrets" are not scrubbed as plain text (the patterns above still apply).
SECRET_MIN = 8
_PATTERNS = (
    # interaction and webhook tokens inside REST paths
    re.compile(r"(/interactions/\d+/)[^/\s'\"]+"),
    re.compile(r"(/webhooks/\d+/)[^/\s'\"?]+"),
    # a password in a database URL: scheme://user:password@host
    re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?=@)"),
    # a "token" field in a dumped gateway event or payload (INTERACTION_CREATE, IDENTIFY)
    re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+"""),
    # "Authorization: Bot <token>" in dumped headers
    re.compile(r"(\bBot )[A-Za-z0-9._-]{20,}"),
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    for secret in secrets:
        # A real token is ~70 characters; a short test value would mangle every line.
        if len(secret) >= SECRET_MIN:
            text = text.replace(secret, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites each record (message and formatted traceback) without secrets."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self._secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


def redact_value(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """A log field without secrets: strings redacted, containers field by field, anything else
    (an object passed as an extra) by its text, which is what a JSON encoder would write."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: redact_value(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item, secrets) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value), secrets)


class RedactingFormatter(logging.Formatter):
    """Wraps the handler's formatter and redacts the text it produces, whatever it added."""

    def __init__(self, inner: logging.Formatter, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._inner = inner
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record), self._secrets)
