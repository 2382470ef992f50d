"""LOG_LEVEL=DEBUG never writes interaction tokens, the bot token or a database password."""

from __future__ import annotations

import io
import logging

from bot.log_redaction import RedactSecrets, redact

TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZmdoaWprbG1ub3A"


def test_interaction_and_webhook_tokens_are_redacted() -> None:
    line = (
        f"POST https://discord.com/api/v10/interactions/1234/{TOKEN}/callback with None "
        f"has returned 204; PATCH /webhooks/99/{TOKEN}/messages/@original"
    )
    cleaned = redact(line)
    assert TOKEN not in cleaned
    assert "/interactions/1234/***/callback" in cleaned
    assert "/webhooks/99/***/messages/@original" in cleaned


def test_tokens_in_dumped_gateway_events_are_redacted() -> None:
    event = f"WebSocket Event: {{'op': 0, 'd': {{'id': '1', 'token': '{TOKEN}', 'type': 2}}}}"
    assert (
        redact(event) == "WebSocket Event: {'op': 0, 'd': {'id': '1', 'token': '***', 'type': 2}}"
    )
    assert TOKEN not in redact(f'{{"token": "{TOKEN}"}}')


def test_database_passwords_and_the_bot_token_are_redacted() -> None:
    assert redact("postgresql+asyncpg://augury:s3cr3t@db:5432/augury") == (
        "postgresql+asyncpg://augury:***@db:5432/augury"
    )
    assert "MTIz.bot.token" not in redact("using MTIz.bot.token", ("MTIz.bot.token",))


def test_the_filter_rewrites_records_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(("bot-token-value",)))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("GET %s returned %s", f"/interactions/1/{TOKEN}/callback", 200)
        try:
            raise RuntimeError("login with bot-token-value failed")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert TOKEN not in written and "bot-token-value" not in written
    assert "/interactions/1/***/callback" in written and "login with *** failed" in written
