"""The charts of multiple-choice, numeric and date questions on the web: which appear on a
prediction's page (with alt text that says the community forecast in words), and the PNG
routes that serve them.

Drawn exactly as Discord draws them (:mod:`bot.rendering.kind_charts`, in the chart worker
processes) from the same history services, and cached per state of the prediction like the
yes/no history chart; ETags, rate limits and single flight come from the middlewares.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.rendering.chart_pool import ChartPool
from bot.rendering.kind_charts import (
    choice_chart_png,
    choice_history_text,
    density_chart_png,
    fan_chart_png,
    has_choice_chart,
    has_density_chart,
    has_fan_chart,
    range_history_text,
)
from bot.services.public.kind_tables import KindHistory
from bot.services.track_record.choice_history import ChoiceHistory
from bot.services.track_record.range_history import RangeHistory
from cogs.web.context import context_of
from cogs.web.params import path_int

Data = ChoiceHistory | RangeHistory
#: Draws one chart of a history (``None``: that chart does not apply).
Draw = Callable[[Data, int, ChartPool], Awaitable[bytes | None]]


@dataclass(frozen=True)
class Figure:
    """One chart on a prediction's page: its file under the page's path, alt text, caption."""

    filename: str
    alt: str
    caption: str


def _title(number: int) -> str:
    return f"#{number} community forecast"


def figures(number: int, found: KindHistory | None) -> list[Figure]:
    """The charts a page shows for its kind, in order; none while there is nothing to draw."""
    history = None if found is None else found.data
    if isinstance(history, ChoiceHistory):
        if not has_choice_chart(history):
            return []
        words = choice_history_text(history)
        return [
            Figure(
                "choices.png",
                f"Chart of the community forecast for #{number} over time, one line per "
                f"option. {words}",
                "How the community forecast of each option moved.",
            )
        ]
    if isinstance(history, RangeHistory):
        words = range_history_text(history)
        shown = []
        if has_density_chart(history):
            shown.append(
                Figure(
                    "density.png",
                    f"Chart of the community's distribution for #{number}. {words}",
                    "Where the community expects the answer: the pooled distribution now.",
                )
            )
        if has_fan_chart(history):
            shown.append(
                Figure(
                    "fan.png",
                    f"Chart of the community forecast for #{number} over time: the median and "
                    f"the 80 % interval after each change. {words}",
                    "How the community's median and 80 % interval moved.",
                )
            )
        return shown
    return []


async def _choices(history: Data, number: int, pool: ChartPool) -> bytes | None:
    if not isinstance(history, ChoiceHistory):
        return None
    return await choice_chart_png(history, _title(number), pool=pool)


async def _density(history: Data, number: int, pool: ChartPool) -> bytes | None:
    if not isinstance(history, RangeHistory):
        return None
    return await density_chart_png(history, _title(number), pool=pool)


async def _fan(history: Data, number: int, pool: ChartPool) -> bytes | None:
    if not isinstance(history, RangeHistory):
        return None
    return await fan_chart_png(history, f"{_title(number)} over time", pool=pool)


def _route(what: str, draw: Draw) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        """Cached per state of the prediction; 404 when its kind, or its hidden votes, have
        no such chart."""
        ctx = context_of(request)
        guild_id, number = path_int(request, "guild_id"), path_int(request, "number")
        version = (await ctx.reader.prediction(guild_id, number)).version
        key = (what, guild_id, number, version)
        png = ctx.image(key)
        if png is None:
            found = await ctx.reader.kind_history(guild_id, number)
            png = None if found is None else await draw(found.data, number, ctx.charts)
            if png is None:
                raise web.HTTPNotFound()
            ctx.remember_image(key, png)
        return web.Response(body=png, content_type="image/png")

    return handler


choices_png = _route("choices", _choices)
density_png = _route("density", _density)
fan_png = _route("fan", _fan)
#: The routes under a prediction's path, by file name (the names :func:`figures` links to).
ROUTES = {"choices.png": choices_png, "density.png": density_png, "fan.png": fan_png}
