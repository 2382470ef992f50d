"""The HTML pages: a server, a list, a prediction, a member, the leaderboard.

Each handler reads through the public reader (which applies what may be shown) and renders a
template; no JavaScript anywhere, so every page works in any browser and any unfurler.
"""

from __future__ import annotations

from aiohttp import web

from bot.forecasting.probability import format_probability
from bot.services.public.lists import STATES
from bot.services.public.views import History, PublicPrediction
from bot.services.track_record.stats import METRICS, PERIODS
from cogs.web.context import context_of
from cogs.web.html import render
from cogs.web.kind_images import figures
from cogs.web.params import path_int, query_page, query_text

#: Rows per section on a server's page (each section links to its full list).
SECTION_ROWS = 10
STATE_TITLES = {
    "due": "Due: waiting to be resolved",
    "open": "Open",
    "resolved": "Recently resolved",
    "all": "All predictions",
}
METRIC_TITLES = {
    "relative": "relative Brier (lower is better)",
    "brier": "Brier (lower is better)",
    "log": "log score (higher is better)",
}
PERIOD_TITLES = {"30d": "30 days", "90d": "90 days", "365d": "a year", "all": "all time"}


async def index(request: web.Request) -> web.Response:
    return render(request, "index.html")


async def server(request: web.Request) -> web.Response:
    reader = context_of(request).reader
    guild_id = path_int(request, "guild_id")
    query, tag = query_text(request, "q"), query_text(request, "tag")
    if query or tag:
        found = await reader.server(guild_id)
        results = await reader.predictions(guild_id, "all", tag=tag, query=query)
        return render(
            request, "server.html", server=found, query=query, tag=tag, results=results, sections=()
        )
    states = ("due", "open", "resolved")
    found, pages = await reader.front_page(guild_id, states, SECTION_ROWS)
    sections = [(s, STATE_TITLES[s], page) for s, page in zip(states, pages, strict=True)]
    return render(
        request, "server.html", server=found, query=None, tag=None, results=None, sections=sections
    )


async def prediction_list(request: web.Request) -> web.Response:
    reader = context_of(request).reader
    guild_id = path_int(request, "guild_id")
    found = await reader.server(guild_id)
    state = query_text(request, "state") or "all"
    query, tag = query_text(request, "q"), query_text(request, "tag")
    page = await reader.predictions(
        guild_id, state, tag=tag, query=query, after=query_text(request, "after")
    )
    return render(
        request,
        "list.html",
        server=found,
        state=state,
        title=STATE_TITLES.get(state, state),
        states=STATES,
        query=query,
        tag=tag,
        page=page,
    )


async def prediction(request: web.Request) -> web.Response:
    ctx = context_of(request)
    guild_id, number = path_int(request, "guild_id"), path_int(request, "number")
    found = await ctx.reader.server(guild_id)
    shown = await ctx.reader.prediction(guild_id, number)
    # Yes/no draws from ``history``; another kind with a shown pool, from its own replay:
    # each page replays only the one its chart needs.
    yes_no = shown.median_permille is not None
    history = await ctx.reader.history(guild_id, number) if yes_no else History((), ())
    other_kind = not yes_no and shown.community_said is not None
    kind_history = await ctx.reader.kind_history(guild_id, number) if other_kind else None
    base_url = ctx.public_url or f"{request.scheme}://{request.host}"
    return render(
        request,
        "prediction.html",
        server=found,
        p=shown,
        history=history,
        figures=figures(number, kind_history),
        table=None if kind_history is None else kind_history.table,
        base_url=base_url,
        summary=summary(shown),
    )


def summary(p: PublicPrediction) -> str:
    """One line for link previews: status, community forecast (when shown), voters."""
    voters = f"{p.voters} forecaster{'s' if p.voters != 1 else ''}"
    if p.outcome is not None:
        return f"Resolved {p.outcome_said or p.outcome.value.upper()} · {voters}"
    if p.median_permille is not None:
        return f"{p.status.value.capitalize()} · community {_percent(p.median_permille)} · {voters}"
    if p.community_said is not None:  # another kind's pool, in its words
        return f"{p.status.value.capitalize()} · community {p.community_said} · {voters}"
    hidden = " (votes hidden until close)" if p.voters and not p.forecasts_shown else ""
    return f"{p.status.value.capitalize()} · {voters}{hidden}"


def _percent(permille: float) -> str:
    return format_probability(round(permille))


async def member(request: web.Request) -> web.Response:
    reader = context_of(request).reader
    guild_id, user_id = path_int(request, "guild_id"), path_int(request, "user_id")
    found = await reader.server(guild_id)
    shown = await reader.member(guild_id, user_id)
    return render(request, "member.html", server=found, m=shown)


async def leaderboard(request: web.Request) -> web.Response:
    reader = context_of(request).reader
    guild_id = path_int(request, "guild_id")
    found = await reader.server(guild_id)
    board = await reader.leaderboard(
        guild_id,
        period=query_text(request, "period") or "all",
        metric=query_text(request, "metric") or "relative",
        tag=query_text(request, "tag"),
        page=query_page(request),
    )
    return render(
        request,
        "leaderboard.html",
        server=found,
        board=board,
        periods=[(key, PERIOD_TITLES[key]) for key in PERIODS],
        metrics=[(key, METRIC_TITLES[key]) for key in METRICS],
    )


ROBOTS = "User-agent: *\nAllow: /\n"


async def robots(_: web.Request) -> web.Response:
    """A constant answer (also the benchmark's baseline for the process's own overhead)."""
    return web.Response(text=ROBOTS, content_type="text/plain")
