"""What every web handler shares, kept on the aiohttp application."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import jinja2
from aiohttp import web

from bot.clock import Clock
from bot.rendering.chart_pool import ChartPool
from bot.services.public.reader import PublicReader

#: Preview cards kept in memory, newest used last (each ~40 kB).
PREVIEWS_MAX = 256


@dataclass
class WebContext:
    reader: PublicReader
    clock: Clock
    charts: ChartPool
    templates: jinja2.Environment
    public_url: str | None = None
    # (guild, number, version) → PNG: a card is drawn once per state of its prediction.
    previews: OrderedDict[tuple[int, int, int], bytes] = field(default_factory=OrderedDict)

    def remember_preview(self, key: tuple[int, int, int], png: bytes) -> None:
        self.previews[key] = png
        self.previews.move_to_end(key)
        while len(self.previews) > PREVIEWS_MAX:
            self.previews.popitem(last=False)


CONTEXT = web.AppKey("augury_web", WebContext)


def context_of(request: web.Request) -> WebContext:
    return request.app[CONTEXT]
