"""The web application: routes, and a runner that serves it on a host and port.

Built from a :class:`~bot.services.public.reader.PublicReader` (read-only engine) and the
chart pool; ``python -m bot web`` serves it alone, ``python -m bot`` beside the bot when
``WEB_PORT`` is set (see :mod:`bot.app`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from bot.clock import Clock
from bot.proxies import parse_proxies
from bot.rendering.chart_pool import ChartPool
from bot.services.public.reader import PublicReader
from cogs.web import api, images, kind_images, pages
from cogs.web.coalesce import SingleFlight
from cogs.web.context import CONTEXT, WebContext
from cogs.web.guards import RateLimiter, guards
from cogs.web.html import environment

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SERVER = "/servers/{guild_id}"
PREDICTION = SERVER + "/predictions/{number}"
MEMBER = SERVER + "/members/{user_id}"
API = "/api/v1"


def build_app(
    reader: PublicReader,
    clock: Clock,
    charts: ChartPool,
    *,
    public_url: str | None = None,
    rate_per_minute: int = 0,
    trusted_proxies: str = "",
) -> web.Application:
    # The rate limit counts every request; identical ones in flight then share one answer.
    app = web.Application(
        middlewares=[
            guards(RateLimiter(clock, rate_per_minute), parse_proxies(trusted_proxies)),
            SingleFlight().middleware(),
        ]
    )
    app[CONTEXT] = WebContext(reader, clock, charts, environment(), public_url)
    routes = [
        ("/", pages.index),
        ("/robots.txt", pages.robots),
        (SERVER, pages.server),
        (SERVER + "/predictions", pages.prediction_list),
        (PREDICTION, pages.prediction),
        (PREDICTION + "/history.png", images.history_png),
        (PREDICTION + "/preview.png", images.preview_png),
        *((f"{PREDICTION}/{name}", handler) for name, handler in kind_images.ROUTES.items()),
        (MEMBER, pages.member),
        (MEMBER + "/calibration.png", images.calibration_png),
        (SERVER + "/leaderboard", pages.leaderboard),
        (API + "/openapi.json", api.openapi),
        (API + SERVER, api.server),
        (API + SERVER + "/predictions", api.predictions),
        (API + PREDICTION, api.prediction),
        (API + MEMBER, api.member),
        (API + SERVER + "/leaderboard", api.leaderboard),
    ]
    for path, handler in routes:
        app.router.add_get(path, handler)
    app.router.add_static("/static/", STATIC)
    return app


class WebServer:
    """Serves the application until stopped; the port actually bound is in :attr:`port`."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._runner = web.AppRunner(app, access_log=None)
        self._host = host
        self.port = port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self.port)
        await site.start()
        server = site._server  # the bound socket, for port 0
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("Web view listening on http://%s:%d", self._host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
