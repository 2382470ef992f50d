"""The JSON API under ``/api/v1/``: the pages' content as data, nothing more.

Discord ids are strings (they exceed what JavaScript numbers hold exactly); times are ISO 8601
in UTC; probabilities are per-mille, as stored. Members who are not listed appear with a name
such as "a member (private profile)" and no id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from bot.domain.web_visibility import prediction_path
from bot.services.public import views as v
from bot.services.public.lists import PAGE_SIZE
from cogs.web.context import context_of
from cogs.web.guards import json_body
from cogs.web.openapi import document
from cogs.web.params import path_int, query_limit, query_page, query_text

LIMIT_MAX = 100


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _person(who: v.Person) -> dict[str, Any]:
    return {"name": who.name, "user_id": None if who.user_id is None else str(who.user_id)}


def _row(guild_id: int, row: v.PredictionRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "statement": row.statement,
        "status": row.status.value,
        "resolves_at": _time(row.resolves_at),
        "resolved_at": _time(row.resolved_at),
        "outcome": None if row.outcome is None else row.outcome.value,
        "community_permille": row.community_permille,
        "voters": row.voters,
        "kind": row.kind,
        "outcome_said": row.outcome_said,
        "path": prediction_path(guild_id, row.number),
    }


async def openapi(_: web.Request) -> web.Response:
    return json_body(document())


async def server(request: web.Request) -> web.Response:
    guild_id = path_int(request, "guild_id")
    found = await context_of(request).reader.server(guild_id)
    return json_body({"guild_id": str(found.guild_id), "name": found.name, "tags": found.tags})


async def predictions(request: web.Request) -> web.Response:
    guild_id = path_int(request, "guild_id")
    page = await context_of(request).reader.predictions(
        guild_id,
        query_text(request, "state") or "all",
        tag=query_text(request, "tag"),
        query=query_text(request, "q"),
        after=query_text(request, "after"),
        limit=query_limit(request, PAGE_SIZE, LIMIT_MAX),
    )
    return json_body(
        {"predictions": [_row(guild_id, row) for row in page.rows], "next": page.next_cursor}
    )


async def prediction(request: web.Request) -> web.Response:
    reader = context_of(request).reader
    guild_id, number = path_int(request, "guild_id"), path_int(request, "number")
    p = await reader.prediction(guild_id, number)
    history = await reader.history(guild_id, number)
    return json_body(
        {
            "number": p.number,
            "statement": p.statement,
            "details": p.details,
            "author": _person(p.author),
            "created_at": _time(p.created_at),
            "resolves_at": _time(p.resolves_at),
            "closes_at": _time(p.closes_at),
            "status": p.status.value,
            "visibility": p.visibility.value,
            "tags": p.tags,
            "voters": p.voters,
            "forecasts_shown": p.forecasts_shown,
            "kind": p.kind,
            "community": {
                "forecast": p.community_said,
                "median_permille": p.median_permille,
                "geometric_mean_permille": p.geometric_mean_permille,
                "history": [[_time(t), value] for t, value in history.community],
            },
            "resolution": None
            if p.outcome is None
            else {
                "outcome": p.outcome.value,
                "said": p.outcome_said,
                "resolved_at": _time(p.resolved_at),
                "resolver": None if p.resolver is None else _person(p.resolver),
                "note": p.resolution_note,
                "source": p.resolution_source,
            },
            "edits": [
                {
                    "who": _person(e.who),
                    "field": e.field,
                    "old": e.old,
                    "new": e.new,
                    "at": _time(e.when),
                    "reason": e.reason,
                }
                for e in p.edits
            ],
        }
    )


async def member(request: web.Request) -> web.Response:
    guild_id, user_id = path_int(request, "guild_id"), path_int(request, "user_id")
    m = await context_of(request).reader.member(guild_id, user_id)
    return json_body(
        {
            "user_id": str(m.user_id),
            "name": m.name,
            "resolved": m.resolved,
            "mean_brier": m.mean_brier,
            "mean_relative_brier": m.mean_relative_brier,
            "mean_log": m.mean_log,
            "calibration": [
                {
                    "centre_permille": b.centre_permille,
                    "count": b.count,
                    "yes_count": b.yes_count,
                    "observed_frequency": b.observed_frequency,
                }
                for b in m.calibration
            ],
            "recent_forecasts": [
                {
                    "number": f.number,
                    "statement": f.statement,
                    "permille": f.permille,
                    "forecast": f.said,
                    "at": _time(f.when),
                    "status": f.status.value,
                    "outcome": None if f.outcome is None else f.outcome.value,
                }
                for f in m.recent
            ],
        }
    )


async def leaderboard(request: web.Request) -> web.Response:
    guild_id = path_int(request, "guild_id")
    board = await context_of(request).reader.leaderboard(
        guild_id,
        period=query_text(request, "period") or "all",
        metric=query_text(request, "metric") or "relative",
        tag=query_text(request, "tag"),
        page=query_page(request),
    )
    return json_body(
        {
            "period": board.period,
            "metric": board.metric,
            "kind": board.kind,  # null: every kind (the relative score); else the one ranked
            "tag": board.tag,
            "page": board.page + 1,
            "pages": board.pages,
            "total": board.total,
            "min_resolved": board.min_resolved,
            "rows": [
                {"rank": r.rank, "member": _person(r.who), "value": r.value, "count": r.count}
                for r in board.rows
            ],
        }
    )
