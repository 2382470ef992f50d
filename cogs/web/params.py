"""Reading the URL: ids and numbers from the path, filters from the query string.

A path part that is not a plausible id is a 404 (as if the page did not exist); a bad filter
is a 400 that says what is accepted.
"""

from __future__ import annotations

from aiohttp import web

from bot.domain.errors import InvalidInput

#: Discord ids and prediction numbers fit a signed 64-bit integer.
ID_MAX = 2**63 - 1


def path_int(request: web.Request, name: str) -> int:
    text = request.match_info.get(name, "")
    if not text.isdigit() or len(text) > 19 or int(text) > ID_MAX:
        raise web.HTTPNotFound()
    return int(text)


#: Longer filter values are cut (search text is read to 100 characters, tags to 32).
QUERY_VALUE_MAX = 200


def query_text(request: web.Request, name: str) -> str | None:
    """A filter's value, without NUL (PostgreSQL cannot compare it) and cut to a sane length."""
    value = request.query.get(name, "").replace("\x00", "").strip()[:QUERY_VALUE_MAX]
    return value or None


def query_page(request: web.Request) -> int:
    text = request.query.get("page", "1").strip() or "1"
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise InvalidInput("`page` is a whole number from 1.")
    return int(text) - 1


def query_limit(request: web.Request, default: int, most: int) -> int:
    text = request.query.get("limit", str(default)).strip() or str(default)
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise InvalidInput(f"`limit` is a whole number from 1 to {most}.")
    return int(text)
