"""HTML through Jinja2 with autoescaping on: member text (statements, names, notes) can never
become markup. Dates are shown in UTC, spelt out; probabilities as the bot writes them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.domain.web_visibility import prediction_path, server_path
from bot.forecasting.probability import format_probability
from cogs.web.context import context_of

TEMPLATES = Path(__file__).parent / "templates"


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def _percent(permille: float | None) -> str:
    return "—" if permille is None else format_probability(round(permille))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["percent"] = _percent
    env.globals["server_path"] = server_path
    env.globals["prediction_path"] = prediction_path
    return env


def render(
    request: web.Request, template: str, *, status: int = 200, **values: Any
) -> web.Response:
    ctx = context_of(request)
    html = ctx.templates.get_template(template).render(
        public_url=ctx.public_url, request_path=request.path, **values
    )
    return web.Response(text=html, content_type="text/html", status=status)


def render_error(request: web.Request, status: int, message: str) -> web.Response:
    titles = {400: "Bad request", 404: "Not found", 405: "Read-only", 429: "Slow down"}
    return render(
        request, "error.html", status=status, title=titles.get(status, "Error"), message=message
    )
