"""The API's OpenAPI 3.1 document, served at ``/api/v1/openapi.json``.

Written by hand next to :mod:`cogs.web.api` (one short entry per route); the tests check that
every API route is documented and every documented path answers.
"""

from __future__ import annotations

from typing import Any

from bot.services.public.lists import STATES
from bot.services.track_record.stats import METRICS, PERIODS


def _param(name: str, where: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


GUILD = _param("guild_id", "path", "The Discord server's id", type="string", pattern=r"^\d+$")
NUMBER = _param("number", "path", "The prediction's number in the server", type="integer")
USER = _param("user_id", "path", "The member's Discord id", type="string", pattern=r"^\d+$")
PAGE = _param("page", "query", "Page, from 1", type="integer", minimum=1)
TAG = _param("tag", "query", "Only predictions carrying this tag")
ERRORS = {
    "304": {"description": "Not modified (If-None-Match matched the ETag)"},
    "400": {"description": "A parameter is not accepted; `error` says why"},
    "404": {"description": "The server is not on the web, or this is not public"},
    "429": {"description": "Rate limited; see Retry-After"},
}


def _get(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {
                    "description": "OK (with an ETag header)",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                **ERRORS,
            },
        }
    }


def document() -> dict[str, Any]:
    base = "/api/v1/servers/{guild_id}"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Augury public API",
            "version": "1",
            "description": (
                "Read-only. Only servers that turned the web view on; only predictions posted "
                "in channels everyone can read; votes hidden as long as they are in Discord. "
                "Ids are strings, times ISO 8601 UTC, probabilities per-mille."
            ),
        },
        "paths": {
            "/api/v1/openapi.json": _get("This document", []),
            base: _get("A server: name and tags", [GUILD]),
            f"{base}/predictions": _get(
                "Predictions, one page at a time (follow `next` with `after`)",
                [
                    GUILD,
                    _param("state", "query", "Which ones", type="string", enum=list(STATES)),
                    TAG,
                    _param("q", "query", "Text in the statement (the newest 20,000)"),
                    _param("after", "query", "The `next` cursor of the previous page"),
                    _param("limit", "query", "Rows per page", type="integer", maximum=100),
                ],
            ),
            f"{base}/predictions/{{number}}": _get(
                "A prediction: edits, community forecast and its history, resolution",
                [GUILD, NUMBER],
            ),
            f"{base}/members/{{user_id}}": _get(
                "A member: track record, calibration, recent forecasts", [GUILD, USER]
            ),
            f"{base}/leaderboard": _get(
                "The leaderboard",
                [
                    GUILD,
                    _param("period", "query", "Period", type="string", enum=list(PERIODS)),
                    _param("metric", "query", "Metric", type="string", enum=list(METRICS)),
                    TAG,
                    PAGE,
                ],
            ),
        },
    }
