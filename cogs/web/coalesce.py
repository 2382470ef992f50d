"""Identical requests in flight at once are answered by one computation (single flight).

Fifty visitors loading a popular page together cost one set of queries, not fifty; nothing is
cached beyond that moment, so no answer is older than the request it waited on. Only
successful pages and API answers are shared, and each waiter gets its own response object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class _Answer:
    status: int
    content_type: str
    body: bytes
    charset: str | None


def _response(answer: _Answer) -> web.Response:
    return web.Response(
        status=answer.status,
        body=answer.body,
        content_type=answer.content_type,
        charset=answer.charset,
    )


class SingleFlight:
    def __init__(self) -> None:
        self._flights: dict[str, asyncio.Future[_Answer | None]] = {}

    @property
    def in_flight(self) -> int:
        return len(self._flights)

    def middleware(self) -> Callable[..., Awaitable[web.StreamResponse]]:
        @web.middleware
        async def coalesce(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.method != "GET" or request.path.startswith("/static/"):
                return await handler(request)
            key = request.path_qs
            flight = self._flights.get(key)
            if flight is not None:
                shared = await asyncio.shield(flight)
                if shared is not None:
                    return _response(shared)
                return await handler(request)  # the first one could not be shared
            flight = asyncio.get_running_loop().create_future()
            self._flights[key] = flight
            try:
                response = await handler(request)
            except BaseException as error:
                flight.set_exception(error)
                flight.exception()  # retrieved: waiters re-raise it
                raise
            finally:
                del self._flights[key]
            flight.set_result(_shareable(response))
            return response

        return coalesce


def _shareable(response: web.StreamResponse) -> _Answer | None:
    if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
        return None
    if response.status != 200:
        return None
    return _Answer(response.status, response.content_type, response.body, response.charset)
