"""PNG routes: a prediction's history chart, a member's calibration chart, and the link
preview card. All are drawn in the chart worker processes (never on the event loop) from what
the public reader returns, so they show exactly what the pages show."""

from __future__ import annotations

from aiohttp import web

from bot.forecasting.chart_jobs import calibration_chart, history_chart_packed, preview_card
from bot.forecasting.point_packing import pack_points
from bot.forecasting.probability import format_probability
from cogs.web.context import context_of
from cogs.web.params import path_int


def _png(data: bytes) -> web.Response:
    return web.Response(body=data, content_type="image/png")


async def history_png(request: web.Request) -> web.Response:
    """Cached per state of the prediction, like the preview card."""
    ctx = context_of(request)
    guild_id, number = path_int(request, "guild_id"), path_int(request, "number")
    version = (await ctx.reader.prediction(guild_id, number)).version
    key = ("history", guild_id, number, version)
    png = ctx.image(key)
    if png is None:
        history = await ctx.reader.history(guild_id, number)
        png = await ctx.charts.render(
            history_chart_packed,
            pack_points(history.community),
            pack_points([(when, float(p)) for when, p in history.votes]),
            f"#{number} community forecast",
        )
        ctx.remember_image(key, png)
    return _png(png)


async def calibration_png(request: web.Request) -> web.Response:
    ctx = context_of(request)
    guild_id, user_id = path_int(request, "guild_id"), path_int(request, "user_id")
    member = await ctx.reader.member(guild_id, user_id)
    png = await ctx.charts.render(calibration_chart, list(member.calibration), "Calibration")
    return _png(png)


async def preview_png(request: web.Request) -> web.Response:
    """Cached per state of the prediction: a burst of unfurls draws it once."""
    ctx = context_of(request)
    guild_id, number = path_int(request, "guild_id"), path_int(request, "number")
    server = await ctx.reader.server(guild_id)
    p = await ctx.reader.prediction(guild_id, number)
    key = ("preview", guild_id, number, p.version)
    png = ctx.image(key)
    if png is None:
        if p.outcome is not None:
            figure = f"Resolved {p.outcome.value.upper()}"
        elif p.median_permille is not None:
            figure = f"{format_probability(round(p.median_permille))} community"
        elif p.voters and not p.forecasts_shown:
            figure = "Votes hidden"
        else:
            figure = "No votes yet"
        voters = f"{p.voters} forecaster{'s' if p.voters != 1 else ''}"
        status = f"{p.status.value.capitalize()} · {voters} · resolves {p.resolves_at:%Y-%m-%d}"
        png = await ctx.charts.render(
            preview_card, f"{server.name} · #{p.number}", p.statement, figure, status
        )
        ctx.remember_image(key, png)
    return _png(png)
