"""Is the database reachable? One trivial round trip, for ``/healthz``."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text

from bot.services.core.context import ServiceContext

log = logging.getLogger(__name__)

PING_TIMEOUT_SECONDS = 3.0


class HealthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def database_reachable(self, timeout: float = PING_TIMEOUT_SECONDS) -> bool:  # noqa: ASYNC109
        try:
            async with asyncio.timeout(timeout), self._ctx.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not reachable"; say which, once
            log.warning("Health check: the database is not reachable (%s)", type(error).__name__)
            return False
        return True
