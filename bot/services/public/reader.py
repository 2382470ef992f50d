"""Everything the public web view reads, with the rules of :mod:`bot.domain.web_visibility`
applied here, once, for pages and API alike.

Lists are keyset-paginated on indexed columns (``(guild, status, resolves_at)`` for open and
due, ``(guild, status, resolved_at)`` for resolved, the id for tag and text filters), so a page
costs the same at a million predictions as at ten. The web process builds this on a read-only
session factory; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import rules
from bot.domain import web_visibility as web
from bot.domain.errors import AuguryError, InvalidInput
from bot.domain.tags import normalise_tag
from bot.domain.vocabulary import Status
from bot.forecasting.aggregation import geometric_mean_odds_permille, median_permille
from bot.services.context import ServiceContext
from bot.services.public import views as v
from bot.services.stats import METRICS, PERIODS, StatsService
from db.models import (
    GuildSettings,
    MemberName,
    Prediction,
    PredictionEdit,
    PredictionTag,
    Tag,
    UserSettings,
    Vote,
)

STATES = ("open", "due", "resolved", "all")
PAGE_SIZE = 20
RECENT_FORECASTS = 20
#: Text search reads the newest this many predictions of a server (a bounded scan).
TEXT_WINDOW = 20_000
QUERY_MAX = 100


class NotPublic(AuguryError):
    """Not on the web: a server that has not opted in, a private prediction, a hidden member.
    Pages answer 404 with the same words whatever the reason, so nothing is revealed."""

    def __init__(self) -> None:
        super().__init__("Nothing public here.")


def _micros(when: datetime) -> int:
    return int(when.timestamp() * 1_000_000)


def _cursor_time(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, UTC)


def parse_cursor(cursor: str | None) -> tuple[int, int] | None:
    """``key.id`` as written by :func:`_cursor`; anything else is a clear 400."""
    if not cursor:
        return None
    key, _, ident = cursor.partition(".")
    try:
        parsed = int(key), int(ident)
    except ValueError:
        raise InvalidInput("`after` is a cursor from a previous page (`next`).") from None
    if not -(2**62) < parsed[0] < 2**62 or not 0 <= parsed[1] < 2**62:
        raise InvalidInput("`after` is a cursor from a previous page (`next`).")
    return parsed


class PublicReader:
    """Read-only: what a server that opted in shows to anyone."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._stats = StatsService(ctx)

    # -- the server ------------------------------------------------------------------------

    async def server(self, guild_id: int) -> v.PublicServer:
        async with self._ctx.sessions() as session:
            name = await _listed_server(session, guild_id)
            tags = await session.scalars(
                select(Tag.name).where(Tag.guild_id == guild_id, _tag_used()).order_by(Tag.name)
            )
            return v.PublicServer(guild_id, name, tuple(tags))

    async def predictions(
        self,
        guild_id: int,
        state: str = "open",
        *,
        tag: str | None = None,
        query: str | None = None,
        after: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> v.RowPage:
        """One page of the server's listed predictions in ``state``, newest or soonest first."""
        if state not in STATES:
            raise InvalidInput(f"`state` is one of {', '.join(STATES)}; `{state}` is not.")
        query = (query or "").replace("\x00", "").strip()[:QUERY_MAX]
        cursor = parse_cursor(after)
        now = self._ctx.clock.now()
        stmt = select(Prediction).where(
            Prediction.guild_id == guild_id, Prediction.public_channel.is_(True)
        )
        if state in ("open", "due"):
            stmt = stmt.where(Prediction.status == Status.OPEN)
            due = Prediction.resolves_at <= now
            stmt = stmt.where(due if state == "due" else Prediction.resolves_at > now)
        elif state == "resolved":
            stmt = stmt.where(Prediction.status == Status.RESOLVED)
        key: Any = Prediction.id
        descending = True
        if not (tag or query):
            key, descending = {
                "open": (Prediction.resolves_at, False),
                "due": (Prediction.resolves_at, True),
                "resolved": (Prediction.resolved_at, True),
                "all": (Prediction.id, True),
            }[state]
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            if tag:
                tag_id = await session.scalar(
                    select(Tag.id).where(Tag.guild_id == guild_id, Tag.name == normalise_tag(tag))
                )
                stmt = stmt.join(PredictionTag, PredictionTag.prediction_id == Prediction.id)
                stmt = stmt.where(PredictionTag.tag_id == (tag_id or -1))
            if query:
                last = await session.scalar(
                    select(GuildSettings.last_number).where(GuildSettings.guild_id == guild_id)
                )
                stmt = stmt.where(
                    Prediction.number > (last or 0) - TEXT_WINDOW,
                    Prediction.statement.ilike(f"%{_escape_like(query)}%", escape="\\"),
                )
            if cursor is not None:
                stmt = stmt.where(_after(key, descending, cursor))
            order = (key.desc(), Prediction.id.desc()) if descending else (key, Prediction.id)
            rows = list(await session.scalars(stmt.order_by(*order).limit(limit + 1)))
            more = len(rows) > limit
            rows = rows[:limit]
            voters = await _voter_counts(session, [row.id for row in rows])
        listed = tuple(_row(row, voters.get(row.id, 0), now) for row in rows)
        next_cursor = None
        if more and rows:
            last_row = rows[-1]
            value = getattr(last_row, key.key)
            number = _micros(value) if isinstance(value, datetime) else int(value)
            next_cursor = f"{number}.{last_row.id}"
        return v.RowPage(listed, next_cursor)

    # -- one prediction --------------------------------------------------------------------

    async def prediction(self, guild_id: int, number: int) -> v.PublicPrediction:
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            row = await _listed_prediction(session, guild_id, number)
            shown = web.forecasts_listed(row.visibility, row.status, row.closes_at, now)
            permilles = sorted(
                await session.scalars(select(Vote.permille).where(Vote.prediction_id == row.id))
            )
            tags = tuple(
                await session.scalars(
                    select(Tag.name)
                    .join(PredictionTag, PredictionTag.tag_id == Tag.id)
                    .where(PredictionTag.prediction_id == row.id)
                    .order_by(Tag.name)
                )
            )
            edits = list(
                await session.scalars(
                    select(PredictionEdit)
                    .where(PredictionEdit.prediction_id == row.id)
                    .order_by(PredictionEdit.created_at, PredictionEdit.id)
                )
            )
            people = {row.author_id, *(e.editor_id for e in edits)}
            if row.resolver_id is not None:
                people.add(row.resolver_id)
            names = await _people(session, guild_id, people)
        return v.PublicPrediction(
            id=row.id,
            guild_id=guild_id,
            number=row.number,
            statement=row.statement,
            details=row.details,
            author=names[row.author_id],
            created_at=row.created_at,
            resolves_at=row.resolves_at,
            closes_at=row.closes_at,
            status=rules.shown_status(row.status, row.closes_at, now),
            visibility=row.visibility,
            tags=tags,
            voters=len(permilles),
            forecasts_shown=shown,
            median_permille=median_permille(permilles) if shown else None,
            geometric_mean_permille=geometric_mean_odds_permille(permilles) if shown else None,
            outcome=row.outcome,
            resolved_at=row.resolved_at,
            resolver=None if row.resolver_id is None else names[row.resolver_id],
            resolution_note=row.resolution_note,
            resolution_source=row.resolution_source,
            edits=tuple(
                v.Edit(
                    names[e.editor_id], e.field, e.old_value, e.new_value, e.created_at, e.reason
                )
                for e in edits
            ),
            # The version moves with every change; "shown" flips at close without one.
            version=row.render_version * 2 + int(shown),
        )

    async def history(self, guild_id: int, number: int) -> v.History:
        """The chart's points; empty while the forecasts are hidden."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            row = await _listed_prediction(session, guild_id, number)
        if not web.forecasts_listed(row.visibility, row.status, row.closes_at, now):
            return v.History((), ())
        history = await self._stats.history(guild_id, row.id)
        return v.History(history.community, history.votes)

    # -- members ---------------------------------------------------------------------------

    async def member(self, guild_id: int, user_id: int) -> v.PublicMember:
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            person = (await _people(session, guild_id, {user_id}))[user_id]
            if person.user_id is None:
                raise NotPublic()
            # Narrowed in SQL to listed predictions whose forecasts may show (the domain rule
            # below decides; the SQL only keeps the scan small).
            votes = await session.execute(
                select(Vote.permille, Vote.updated_at, Prediction)
                .join(Prediction, Prediction.id == Vote.prediction_id)
                .where(
                    Vote.user_id == user_id,
                    Prediction.guild_id == guild_id,
                    Prediction.public_channel.is_(True),
                    or_(
                        Prediction.visibility == "visible",
                        Prediction.status != Status.OPEN,
                        Prediction.closes_at <= now,
                    ),
                )
                .order_by(Vote.updated_at.desc())
                .limit(RECENT_FORECASTS * 2)
            )
            recent = [
                v.Forecast(
                    row.number,
                    row.statement,
                    permille,
                    when,
                    rules.shown_status(row.status, row.closes_at, now),
                    row.outcome,
                )
                for permille, when, row in votes
                if web.forecasts_listed(row.visibility, row.status, row.closes_at, now)
            ][:RECENT_FORECASTS]
        stats = await self._stats.member(guild_id, user_id)
        buckets = await self._stats.calibration(guild_id, user_id)
        return v.PublicMember(
            guild_id=guild_id,
            user_id=user_id,
            name=person.name,
            resolved=stats.resolved,
            mean_brier=stats.mean_brier,
            mean_relative_brier=stats.mean_relative_brier,
            mean_log=stats.mean_log,
            calibration=tuple(buckets),
            recent=tuple(recent),
        )

    async def leaderboard(
        self,
        guild_id: int,
        *,
        period: str = "all",
        metric: str = "relative",
        tag: str | None = None,
        page: int = 0,
    ) -> v.PublicLeaderboard:
        """The server's leaderboard; members who are not listed keep their place, unnamed."""
        if period not in PERIODS:
            raise InvalidInput(f"`period` is one of {', '.join(PERIODS)}; `{period}` is not.")
        if metric not in METRICS:
            raise InvalidInput(f"`metric` is one of {', '.join(METRICS)}; `{metric}` is not.")
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            if tag and not await _tag_listed(session, guild_id, tag):
                raise InvalidInput(f"No public prediction carries the tag `{tag}`.")
        board = await self._stats.leaderboard(
            guild_id, period=period, metric=metric, page=max(page, 0), tag=tag or None
        )
        async with self._ctx.sessions() as session:
            names = await _people(session, guild_id, {row.user_id for row in board.rows})
        return v.PublicLeaderboard(
            period=period,
            metric=metric,
            tag=tag or None,
            page=board.page,
            pages=board.pages,
            total=board.total,
            min_resolved=board.min_resolved,
            rows=tuple(
                v.Ranked(row.rank, names[row.user_id], row.value, row.count) for row in board.rows
            ),
        )


async def _listed_server(session: AsyncSession, guild_id: int) -> str:
    """The server's shown name, or :class:`NotPublic` when it has not opted in."""
    row = (
        await session.execute(
            select(GuildSettings.web_enabled, GuildSettings.web_name).where(
                GuildSettings.guild_id == guild_id
            )
        )
    ).one_or_none()
    if row is None or not web.server_listed(row.web_enabled):
        raise NotPublic()
    return row.web_name or "A Discord server"


def _tag_used() -> Any:
    """Only tags carried by at least one listed prediction: a tag used only in a private
    channel could name what is discussed there."""
    return exists().where(
        PredictionTag.tag_id == Tag.id,
        PredictionTag.prediction_id == Prediction.id,
        Prediction.public_channel.is_(True),
    )


async def _tag_listed(session: AsyncSession, guild_id: int, tag: str) -> bool:
    found = await session.scalar(
        select(Tag.id).where(Tag.guild_id == guild_id, Tag.name == normalise_tag(tag), _tag_used())
    )
    return found is not None


async def _listed_prediction(session: AsyncSession, guild_id: int, number: int) -> Prediction:
    row = await session.scalar(
        select(Prediction).where(Prediction.guild_id == guild_id, Prediction.number == number)
    )
    if row is None or not web.prediction_listed(row.public_channel):
        raise NotPublic()
    return row


async def _people(session: AsyncSession, guild_id: int, ids: Iterable[int]) -> dict[int, v.Person]:
    """How each member is named on the web: by name with a link when listed, else anonymous."""
    wanted = set(ids)
    positive = [i for i in wanted if i > 0]
    hidden = set(
        await session.scalars(
            select(UserSettings.user_id).where(
                UserSettings.user_id.in_(positive), UserSettings.web_hidden.is_(True)
            )
        )
    )
    rows = await session.execute(
        select(MemberName.user_id, MemberName.display_name).where(
            MemberName.guild_id == guild_id, MemberName.user_id.in_(positive)
        )
    )
    names = {int(uid): str(name) for uid, name in rows}
    people: dict[int, v.Person] = {}
    for user_id in wanted:
        if user_id <= 0:
            people[user_id] = v.Person("a former or outside forecaster")
        elif not web.member_listed(user_id, user_id in hidden):
            people[user_id] = v.Person("a member (private profile)")
        elif user_id in names:
            people[user_id] = v.Person(names[user_id], user_id)
        else:
            people[user_id] = v.Person("a member")
    return people


async def _voter_counts(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Vote.prediction_id, func.count())
        .where(Vote.prediction_id.in_(ids))
        .group_by(Vote.prediction_id)
    )
    return {int(pid): int(n) for pid, n in rows}


def _after(key: Any, descending: bool, cursor: tuple[int, int]) -> Any:
    value: Any = cursor[0]
    if key is not Prediction.id:
        value = _cursor_time(cursor[0])
    if key is Prediction.id:
        return Prediction.id < cursor[1] if descending else Prediction.id > cursor[1]
    if descending:
        return or_(key < value, and_(key == value, Prediction.id < cursor[1]))
    return or_(key > value, and_(key == value, Prediction.id > cursor[1]))


def _row(row: Prediction, voters: int, now: datetime) -> v.PredictionRow:
    shown = web.forecasts_listed(row.visibility, row.status, row.closes_at, now)
    return v.PredictionRow(
        number=row.number,
        statement=row.statement,
        status=rules.shown_status(row.status, row.closes_at, now),
        resolves_at=row.resolves_at,
        resolved_at=row.resolved_at,
        outcome=row.outcome,
        community_permille=row.community_permille if shown else None,
        voters=voters,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
