"""LOG_LEVEL=DEBUG never writes interaction tokens, the bot token or a database password."""

from __future__ import annotations

import io
import json
import logging

from bot.log_redaction import RedactSecrets, redact
from bot.logging_setup import build_handler, secrets_of
from bot.settings import Settings

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


BOT_TOKEN = "MTA1NjE2.GbotXy.bot-token-secret-value_0123456789"
INTERACTION_TOKEN = "aW50ZXJhY3Rpb246OTk5OmxlYWtlZC10b2tlbi12YWx1ZQ"
DB_PASSWORD = "pg-Passw0rd-secret"


def _log_a_failure(log_format: str) -> str:
    """One ERROR with a traceback, a stack and extra fields that all carry every secret."""
    stream = io.StringIO()
    handler = build_handler(log_format, (BOT_TOKEN,), stream)
    logger = logging.getLogger(f"test.redaction.{log_format}")
    logger.addHandler(handler)
    logger.propagate = False
    url = f"postgresql+asyncpg://augury:{DB_PASSWORD}@postgres:5432/augury"
    try:
        try:
            raise RuntimeError(
                f"login {BOT_TOKEN} failed; POST /interactions/1/{INTERACTION_TOKEN}/callback; "
                f'{{"token": "{INTERACTION_TOKEN}"}}; cannot reach {url}'
            )
        except RuntimeError:
            logger.exception(
                "Unhandled error for %s",
                f"/webhooks/2/{INTERACTION_TOKEN}/messages/@original",
                stack_info=True,
                extra={"database": url, "headers": {"Authorization": f"Bot {BOT_TOKEN}"}},
            )
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_json_logs_of_a_traceback_leak_nothing() -> None:
    written = _log_a_failure("json")
    for secret in (BOT_TOKEN, INTERACTION_TOKEN, DB_PASSWORD):
        assert secret not in written
    record = json.loads(written.splitlines()[0])
    assert record["level"] == "ERROR" and "RuntimeError" in record["exc_info"]
    assert "/webhooks/2/***/messages" in record["message"] and "stack_info" in record
    assert record["database"] == "postgresql+asyncpg://augury:***@postgres:5432/augury"


def test_text_logs_of_a_traceback_leak_nothing() -> None:
    written = _log_a_failure("text")
    for secret in (BOT_TOKEN, INTERACTION_TOKEN, DB_PASSWORD):
        assert secret not in written
    assert "RuntimeError" in written and "Stack (most recent call last)" in written


def test_the_database_password_is_a_secret_of_the_settings() -> None:
    settings = Settings(
        discord_token=BOT_TOKEN,
        database_url=f"postgresql+asyncpg://augury:{DB_PASSWORD}@postgres:5432/augury",
    )
    assert set(secrets_of(settings)) == {BOT_TOKEN, DB_PASSWORD}
