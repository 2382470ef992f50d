"""Starting like a service: one clear line per problem, and an exit status a supervisor reads.

Exit 2: a setting is wrong (fix it, restarting will not help). Exit 1: a dependency (the
database server, Discord) stayed unreachable through a few retries with backoff (systemd or
Docker may restart later). The message names the setting or the host, never a password.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit

from bot.log_redaction import redact

log = logging.getLogger(__name__)

BAD_SETTING = 2
UNREACHABLE = 1
#: Seconds between attempts to reach a dependency at start (then give up with exit 1).
RETRY_DELAYS = (1.0, 2.0, 4.0)


def retry_delays(first: float) -> tuple[float, ...]:
    """The waits between attempts: ``first``, doubling, three times (1, 2, 4 s by default:
    about 7 s for a database or Discord still starting up before giving up)."""
    return (first, first * 2, first * 4)


T = TypeVar("T")


class StartupError(Exception):
    """Why the bot cannot start: ``str()`` is the one line shown; ``exit_code`` for the OS."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def reason(error: BaseException) -> str:
    """A short, secret-free description of ``error``."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return redact(f"{type(error).__name__}: {text}" if text else type(error).__name__)


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else url


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    retryable: tuple[type[BaseException], ...],
    what: str,
    delays: tuple[float, ...] = RETRY_DELAYS,
) -> T:
    """``attempt()``, retried after each of ``delays`` on ``retryable`` errors; the last error
    propagates. ``what`` names the dependency in the warnings."""
    for delay in (*delays, None):
        try:
            return await attempt()
        except retryable as error:
            if delay is None:
                raise
            log.warning("Cannot reach %s (%s); retrying in %g s", what, reason(error), delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
