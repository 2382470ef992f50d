"""What every web response goes through: errors as 404/400/429, a per-client rate limit,
ETags (304 when unchanged), and headers that keep pages inert (no scripts, no framing)."""

from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.proxies import Network, client_address
from bot.services.public.reader import NotPublic
from cogs.web.html import render_error

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: Client addresses remembered by the rate limiter (least recently seen dropped first).
CLIENTS_MAX = 10_000
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
NOT_FOUND = "Nothing public here: the server is not on the web, or this page is not public."


@dataclass
class _Bucket:
    tokens: float
    at: float  # clock seconds


class RateLimiter:
    """A token bucket per client address: ``per_minute`` requests, refilled continuously."""

    def __init__(self, clock: Clock, per_minute: int) -> None:
        self._clock = clock
        self._capacity = float(per_minute)
        self._clients: OrderedDict[str, _Bucket] = OrderedDict()

    def retry_after(self, client: str) -> int:
        """0 when the request may go ahead (a token is taken), else seconds to wait."""
        if self._capacity <= 0:
            return 0
        now = self._clock.now().timestamp()
        bucket = self._clients.get(client) or _Bucket(self._capacity, now)
        bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.at) * self._capacity / 60)
        bucket.at = now
        self._clients[client] = bucket
        self._clients.move_to_end(client)
        while len(self._clients) > CLIENTS_MAX:
            self._clients.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        return max(1, math.ceil((1 - bucket.tokens) * 60 / self._capacity))


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/")


def error_response(request: web.Request, status: int, message: str) -> web.Response:
    """The same shape for every error: JSON under /api, a short page elsewhere."""
    if wants_json(request):
        return web.json_response({"error": message}, status=status)
    return render_error(request, status, message)


def guards(
    limiter: RateLimiter, proxies: tuple[Network, ...] = ()
) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/static/"):
            forwarded = request.headers.get("X-Forwarded-For")
            wait = limiter.retry_after(client_address(request.remote, forwarded, proxies))
            if wait:
                response: web.StreamResponse = error_response(
                    request, 429, f"Too many requests: try again in {wait} s."
                )
                response.headers["Retry-After"] = str(wait)
                return _secured(response)
        try:
            response = await handler(request)
        except NotPublic:
            response = error_response(request, 404, NOT_FOUND)
        except InvalidInput as error:
            response = error_response(request, 400, str(error))
        except web.HTTPNotFound:
            response = error_response(request, 404, NOT_FOUND)
        except web.HTTPMethodNotAllowed:
            response = error_response(request, 405, "This site is read-only: GET only.")
        return _with_etag(request, _secured(response))

    return middleware


def _secured(response: web.StreamResponse) -> web.StreamResponse:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _with_etag(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """A strong ETag on every successful body; ``If-None-Match`` with it answers 304. Caches
    must revalidate (``no-cache``): a server that leaves the web is gone at once."""
    if not isinstance(response, web.Response) or response.status != 200 or response.body is None:
        return response
    body = response.body
    if not isinstance(body, bytes):
        return response
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response.headers["ETag"] = tag
    response.headers.setdefault("Cache-Control", "no-cache")
    match = request.headers.get("If-None-Match", "")
    if tag in (part.strip() for part in match.split(",")) or match.strip() == "*":
        not_modified = web.Response(status=304, headers={"ETag": tag})
        not_modified.headers["Cache-Control"] = response.headers["Cache-Control"]
        return _secured(not_modified)
    return response


def json_body(data: object) -> web.Response:
    """Compact, stable JSON (sorted keys), so equal content has an equal ETag."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return web.Response(text=text, content_type="application/json")
