"""Lists of a server's listed predictions, one keyset page at a time.

Every page is one range of an index that starts with ``(guild, public_channel)`` — open and due
pages walk ``(…, status, resolves_at)``, resolved ones ``(…, status, resolved_at)``, "all" the
id — so private predictions are never read and skipped; tag and text filters walk the id. The
cursor is the last row's sort key and id, so page 5,000 costs what page 1 does. Only the
columns a row shows are read (no ORM objects): at 50 concurrent clients that cost adds up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import rules
from bot.domain import web_visibility as web
from bot.domain.errors import InvalidInput
from bot.domain.kinds.words import outcome_words
from bot.domain.tags import normalise_tag
from bot.domain.vocabulary import Status
from bot.services.core.text_search import escape_like
from bot.services.public import views as v
from db.models import GuildSettings, Prediction, PredictionTag, Tag, Vote

STATES = ("open", "due", "resolved", "all")
PAGE_SIZE = 20
#: Text search reads the newest this many predictions of a server (a bounded scan).
TEXT_WINDOW = 20_000
QUERY_MAX = 100
BAD_CURSOR = "`after` is a cursor from a previous page (`next`)."
#: Sort keys are ids or microseconds since 1970; beyond year 9999 is no cursor of ours.
CURSOR_KEY_MAX = 253_402_300_800 * 1_000_000
#: Each row's count of current forecasters, read with it (the unique (prediction, member)
#: index answers it without touching the votes themselves).
_VOTERS = (
    select(func.count())
    .where(Vote.prediction_id == Prediction.id)
    .correlate(Prediction)
    .scalar_subquery()
    .label("voters")
)
_COLUMNS = (
    _VOTERS,
    Prediction.id,
    Prediction.number,
    Prediction.statement,
    Prediction.status,
    Prediction.visibility,
    Prediction.closes_at,
    Prediction.resolves_at,
    Prediction.resolved_at,
    Prediction.outcome,
    Prediction.community_permille,
    Prediction.kind,
    Prediction.kind_spec,
    Prediction.outcome_value,
)
_ORDERS: dict[str, tuple[Any, bool]] = {
    "open": (Prediction.resolves_at, False),
    "due": (Prediction.resolves_at, True),
    "resolved": (Prediction.resolved_at, True),
    "all": (Prediction.id, True),
}


def parse_cursor(cursor: str | None) -> tuple[int, int] | None:
    """``key.id`` as written by :func:`list_page`; anything else is a clear 400."""
    if not cursor:
        return None
    key, _, ident = cursor.partition(".")
    try:
        parsed = int(key), int(ident)
    except ValueError:
        raise InvalidInput(BAD_CURSOR) from None
    if not -CURSOR_KEY_MAX < parsed[0] < CURSOR_KEY_MAX or not 0 <= parsed[1] < 2**62:
        raise InvalidInput(BAD_CURSOR)
    return parsed


def check_state(state: str) -> None:
    if state not in STATES:
        raise InvalidInput(f"`state` is one of {', '.join(STATES)}; `{state}` is not.")


async def list_page(
    session: AsyncSession,
    guild_id: int,
    state: str,
    now: datetime,
    *,
    tag: str | None = None,
    query: str | None = None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> v.RowPage:
    """One page of a listed server: the statement itself requires the server to be on the web
    (an empty page may mean it is not: the caller checks then)."""
    check_state(state)
    query = (query or "").replace("\x00", "").strip()[:QUERY_MAX]
    cursor = parse_cursor(after)
    on_web = exists().where(GuildSettings.guild_id == guild_id, GuildSettings.web_enabled == true())
    stmt = select(*_COLUMNS).where(
        Prediction.guild_id == guild_id, Prediction.public_channel == true(), on_web
    )
    if state in ("open", "due"):
        due = Prediction.resolves_at <= now
        stmt = stmt.where(
            Prediction.status == Status.OPEN,
            due if state == "due" else Prediction.resolves_at > now,
        )
    elif state == "resolved":
        stmt = stmt.where(Prediction.status == Status.RESOLVED)
    key, descending = (Prediction.id, True) if tag or query else _ORDERS[state]
    if tag:
        tag_id = await session.scalar(
            select(Tag.id).where(Tag.guild_id == guild_id, Tag.name == normalise_tag(tag))
        )
        stmt = stmt.join(PredictionTag, PredictionTag.prediction_id == Prediction.id).where(
            PredictionTag.tag_id == (tag_id or -1)
        )
    if query:
        last = await session.scalar(
            select(GuildSettings.last_number).where(GuildSettings.guild_id == guild_id)
        )
        stmt = stmt.where(
            Prediction.number > (last or 0) - TEXT_WINDOW,
            Prediction.statement.ilike(f"%{escape_like(query)}%", escape="\\"),
        )
    order = (key.desc(), Prediction.id.desc()) if descending else (key, Prediction.id)
    rows: list[Any] = []
    for part in _after(key, descending, cursor):
        wanted = limit + 1 - len(rows)
        if wanted > 0:
            rows += list(await session.execute(stmt.where(part).order_by(*order).limit(wanted)))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        value = getattr(rows[-1], key.key)
        sort_key = _micros(value) if isinstance(value, datetime) else int(value)
        next_cursor = f"{sort_key}.{rows[-1].id}"
    return v.RowPage(tuple(_row(row, now) for row in rows), next_cursor)


def _micros(when: datetime) -> int:
    return int(when.timestamp() * 1_000_000)


def _after(key: Any, descending: bool, cursor: tuple[int, int] | None) -> list[Any]:
    """The rows after the cursor as index ranges read one after the other: the rest of the
    cursor's own sort key (by id), then the keys beyond it. One condition with OR (or a row
    value) would make the database walk every row that shares the cursor's key."""
    if cursor is None:
        return [true()]
    before = descending
    if key is Prediction.id:
        return [Prediction.id < cursor[1] if before else Prediction.id > cursor[1]]
    value = datetime.fromtimestamp(cursor[0] / 1_000_000, UTC)
    same = and_(key == value, Prediction.id < cursor[1] if before else Prediction.id > cursor[1])
    return [same, key < value if before else key > value]


def _row(row: Any, now: datetime) -> v.PredictionRow:
    shown = web.forecasts_listed(row.visibility, row.status, row.closes_at, now)
    return v.PredictionRow(
        number=row.number,
        statement=row.statement,
        status=rules.shown_status(row.status, row.closes_at, now),
        resolves_at=row.resolves_at,
        resolved_at=row.resolved_at,
        outcome=row.outcome,
        community_permille=row.community_permille if shown else None,
        voters=int(row.voters),
        outcome_said=outcome_words(row.kind, row.kind_spec, row.outcome, row.outcome_value) or None,
        kind=row.kind,
    )
