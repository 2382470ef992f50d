"""Everything the public web view reads, with the rules of :mod:`bot.domain.web_visibility`
applied here, once, for pages and API alike.

Lists are keyset-paginated on indexed columns (``(guild, status, resolves_at)`` for open and
due, ``(guild, status, resolved_at)`` for resolved, the id for tag and text filters), so a page
costs the same at a million predictions as at ten. The web process builds this on a read-only
session factory; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import rules
from bot.domain import web_visibility as web
from bot.domain.errors import AuguryError, InvalidInput
from bot.domain.kinds import kind_for
from bot.domain.kinds.multiple_choice import MultipleChoice
from bot.domain.kinds.ranges import RangeKind
from bot.domain.kinds.words import forecast_words, outcome_words, pooled_words
from bot.domain.tags import normalise_tag
from bot.domain.vocabulary import Status
from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import community_for
from bot.services.public import views as v
from bot.services.public.kind_tables import KindHistory, choice_table, range_table
from bot.services.public.lists import PAGE_SIZE, check_state, list_page
from bot.services.track_record.stats import METRICS, PERIODS, StatsService
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

RECENT_FORECASTS = 20


class NotPublic(AuguryError):
    """Not on the web: a server that has not opted in, a private prediction, a hidden member.
    Pages answer 404 with the same words whatever the reason, so nothing is revealed."""

    def __init__(self) -> None:
        super().__init__("Nothing public here.")


class PublicReader:
    """Read-only: what a server that opted in shows to anyone."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._stats = StatsService(ctx)

    # -- the server ------------------------------------------------------------------------

    async def server(self, guild_id: int) -> v.PublicServer:
        async with self._ctx.sessions() as session:
            return await _server(session, guild_id)

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
        check_state(state)
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            page = await list_page(
                session, guild_id, state, now, tag=tag, query=query, after=after, limit=limit
            )
            if not page.rows:  # nothing listed, or no server on the web: say which
                await _listed_server(session, guild_id)
            return page

    async def front_page(
        self, guild_id: int, states: tuple[str, ...], limit: int
    ) -> tuple[v.PublicServer, list[v.RowPage]]:
        """The server and the first page of each of ``states``, in one unit of work (the
        page most visitors land on)."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            server = await _server(session, guild_id)
            pages = [await list_page(session, guild_id, s, now, limit=limit) for s in states]
        return server, pages

    # -- one prediction --------------------------------------------------------------------

    async def prediction(self, guild_id: int, number: int) -> v.PublicPrediction:
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            row = await _listed_prediction(session, guild_id, number)
            shown = web.forecasts_listed(row.visibility, row.status, row.closes_at, now)
            # Pooled as for Discord's message: another kind's payloads off the event loop.
            community = await community_for(session, row.id)
            kind = kind_for(row.kind, row.kind_spec)
            pooled = community.median if kind.per_mille else community.pooled
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
            voters=community.count,
            forecasts_shown=shown,
            median_permille=community.median if shown else None,
            geometric_mean_permille=community.geometric_mean if shown else None,
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
            kind=kind.name,
            kind_title=kind.title,
            community_said=pooled_words(row.kind, row.kind_spec, pooled) if shown else None,
            outcome_said=outcome_words(row.kind, row.kind_spec, row.outcome, row.outcome_value)
            or None,
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

    async def kind_history(self, guild_id: int, number: int) -> KindHistory | None:
        """The charts' data of a multiple-choice, numeric or date question (from the same
        history services Discord draws from) and its table; ``None`` for yes/no, while hidden,
        or before the first forecast."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            await _listed_server(session, guild_id)
            row = await _listed_prediction(session, guild_id, number)
        if not web.forecasts_listed(row.visibility, row.status, row.closes_at, now):
            return None
        kind = kind_for(row.kind, row.kind_spec)
        if isinstance(kind, MultipleChoice):
            choices = await self._stats.choice_history(guild_id, row.id)
            if choices is not None and choices.steps:
                return KindHistory(choices, choice_table(choices))
        elif isinstance(kind, RangeKind):
            ranged = await self._stats.range_history(guild_id, row.id)
            if ranged is not None and ranged.steps:
                return KindHistory(ranged, range_table(kind, ranged))
        return None

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
                select(Vote.permille, Vote.forecast, Vote.updated_at, Prediction)
                .join(Prediction, Prediction.id == Vote.prediction_id)
                .where(
                    Vote.user_id == user_id,
                    Prediction.guild_id == guild_id,
                    Prediction.public_channel == true(),
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
                    said=forecast_words(row.kind, row.kind_spec, permille, payload),
                    outcome_said=outcome_words(
                        row.kind, row.kind_spec, row.outcome, row.outcome_value
                    )
                    or None,
                )
                for permille, payload, when, row in votes
                if (permille is not None or payload is not None)
                and web.forecasts_listed(row.visibility, row.status, row.closes_at, now)
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
            kind=board.kind,
            kind_title=None if board.kind is None else kind_for(board.kind).title,
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


async def _server(session: AsyncSession, guild_id: int) -> v.PublicServer:
    name = await _listed_server(session, guild_id)
    tags = await session.scalars(
        select(Tag.name).where(Tag.guild_id == guild_id, _tag_used()).order_by(Tag.name)
    )
    return v.PublicServer(guild_id, name, tuple(tags))


def _tag_used() -> Any:
    """Only tags carried by at least one listed prediction: a tag used only in a private
    channel could name what is discussed there."""
    return exists().where(
        PredictionTag.tag_id == Tag.id,
        PredictionTag.prediction_id == Prediction.id,
        Prediction.public_channel == true(),
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
