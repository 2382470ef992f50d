"""Secrets never reach a log line, even at DEBUG.

discord.py logs every REST call at DEBUG, and an interaction's URL carries its token
(``/interactions/<id>/<token>/callback``, ``/webhooks/<app>/<token>/…``) and the gateway's
event dumps carry it as ``'token': …``: whoever reads the
log could answer as the bot for 15 minutes. A filter on the handlers rewrites each record
with those tokens, the bot token and database passwords replaced by ``***``.
"""

from __future__ import annotations

import logging
import re

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
        return True
