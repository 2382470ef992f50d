"""What every web handler shares, kept on the aiohttp application."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import jinja2
from aiohttp import web

from bot.clock import Clock
from bot.rendering.chart_pool import ChartPool
from bot.services.public.reader import PublicReader

#: Images kept in memory, newest used last (each ~40 kB).
IMAGES_MAX = 256
#: (what, guild, number, version): one image per state of its prediction.
ImageKey = tuple[str, int, int, int]


@dataclass
class WebContext:
    reader: PublicReader
    clock: Clock
    charts: ChartPool
    templates: jinja2.Environment
    public_url: str | None = None
    # Preview cards and history charts, drawn once per state of their prediction.
    images: OrderedDict[ImageKey, bytes] = field(default_factory=OrderedDict)

    def image(self, key: ImageKey) -> bytes | None:
        found = self.images.get(key)
        if found is not None:
            self.images.move_to_end(key)
        return found

    def remember_image(self, key: ImageKey, png: bytes) -> None:
        self.images[key] = png
        self.images.move_to_end(key)
        while len(self.images) > IMAGES_MAX:
            self.images.popitem(last=False)


CONTEXT = web.AppKey("augury_web", WebContext)


def context_of(request: web.Request) -> WebContext:
    return request.app[CONTEXT]
