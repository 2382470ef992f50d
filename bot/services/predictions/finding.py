"""Finding the predictions a member can act on: list filters and purpose-aware autocomplete.

``needs_my_vote``: open for voting, and the member has no vote on it. ``due``: past its
resolution date, unresolved. ``mine``: the member's own. ``followed``: the member follows it.
Autocomplete offers only what the command can act on: ``/vote`` open ones, ``/resolve`` the
unresolved ones with the due ones first, ``edit``/``cancel`` the open ones the member may manage
(their own; a moderator's: all), ``reopen`` the resolved ones they may manage; each choice says
its state. It runs on every keystroke,
so each of its queries is an index range, also at a million predictions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actor import Actor
from bot.domain.numbers import typed_number
from bot.domain.vocabulary import Status
from bot.services.core.context import ServiceContext
from bot.services.core.text_search import escape_like
from db.models import Follower, GuildSettings, Prediction, Vote


class ListFilter(StrEnum):
    NEEDS_MY_VOTE = "needs_my_vote"
    DUE = "due"
    MINE = "mine"
    FOLLOWED = "followed"


FILTER_LABELS = {
    ListFilter.NEEDS_MY_VOTE: "needs my vote",
    ListFilter.DUE: "due (past its date, unresolved)",
    ListFilter.MINE: "mine",
    ListFilter.FOLLOWED: "followed",
}


class Purpose(StrEnum):
    ANY = "any"
    VOTE = "vote"
    RESOLVE = "resolve"
    MANAGE = "manage"  # edit, cancel: open, and the member's to manage
    REOPEN = "reopen"  # resolved, and the member's to manage


#: Purposes whose choices depend on who asks (author or moderator: ``rules.may_manage``).
MANAGING = (Purpose.MANAGE, Purpose.REOPEN)


def filter_conditions(kind: ListFilter, member_id: int, now: datetime) -> list[ColumnElement[bool]]:
    if kind == ListFilter.NEEDS_MY_VOTE:
        voted = exists().where(Vote.prediction_id == Prediction.id, Vote.user_id == member_id)
        return [Prediction.status == Status.OPEN, Prediction.closes_at > now, ~voted]
    if kind == ListFilter.DUE:
        return [Prediction.status == Status.OPEN, Prediction.resolves_at <= now]
    if kind == ListFilter.MINE:
        return [Prediction.author_id == member_id]
    # From the member's follows (an index on followers.user_id), not a probe per prediction.
    followed = select(Follower.prediction_id).where(
        Follower.user_id == member_id, Follower.following.is_(True)
    )
    return [Prediction.id.in_(followed)]


def state_label(status: Status, closes_at: datetime, resolves_at: datetime, now: datetime) -> str:
    """What a member needs to know in a one-line choice."""
    if status == Status.OPEN:
        if resolves_at <= now:
            return "due"
        return "open" if closes_at > now else "voting closed"
    return str(status.value)


class PredictionFinder:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def search(
        self,
        guild_id: int,
        query: str,
        purpose: Purpose = Purpose.ANY,
        limit: int = 25,
        actor: Actor | None = None,
    ) -> list[tuple[int, str, str]]:
        """(number, statement, state) for autocomplete, narrowed to what ``purpose`` acts on.

        Index-backed at a million predictions, since it runs on every keystroke: a typed number
        is looked up exactly (and comes first); text is matched among the newest
        :data:`TEXT_WINDOW` predictions of the server (older ones are found by their number).
        :data:`MANAGING` purposes need ``actor``: a member is offered their own predictions, a
        moderator everyone's, as ``rules.may_manage`` allows.
        """
        if purpose in MANAGING:
            if actor is None:
                return []
            return await self._search(
                guild_id, query, purpose, limit, await self._own(guild_id, actor)
            )
        return await self._search(guild_id, query, purpose, limit, None)

    async def _own(self, guild_id: int, actor: Actor) -> int | None:
        """Whose predictions ``actor`` manages: their own (their id), or all (None)."""
        async with self._ctx.sessions() as session:
            role = await session.scalar(
                select(GuildSettings.moderator_role_id).where(GuildSettings.guild_id == guild_id)
            )
        return None if actor.is_moderator(role) else actor.user_id

    async def _search(
        self, guild_id: int, query: str, purpose: Purpose, limit: int, author_id: int | None
    ) -> list[tuple[int, str, str]]:
        now = self._ctx.clock.now()
        # NUL cannot be compared on PostgreSQL; "²" or a 20-digit number is text, not a number.
        query = query.replace("\x00", "").strip()
        by_number = query.startswith("#")  # "#12": that number only
        query = query.lstrip("#")
        number = typed_number(query)
        base = _for_purpose(_choices(guild_id), purpose, now)
        if author_id is not None:
            base = base.where(Prediction.author_id == author_id)
        async with self._ctx.sessions() as session:
            found = []
            if number is not None:
                found += list(await session.execute(base.where(Prediction.number == number)))
            if not by_number:
                if query:
                    floor = await _text_floor(session, guild_id)
                    matching = base.where(
                        Prediction.number > floor,
                        Prediction.statement.ilike(f"%{escape_like(query)}%", escape="\\"),
                    )
                    found += list(await session.execute(_ordered(matching, purpose, now, limit)))
                elif purpose == Purpose.REOPEN:  # the latest to resolve first, in index order
                    found += list(
                        await session.execute(
                            base.order_by(
                                Prediction.resolves_at.desc(), Prediction.number.desc()
                            ).limit(limit)
                        )
                    )
                elif purpose == Purpose.RESOLVE:  # due first, each part in index order
                    due = base.where(Prediction.resolves_at <= now)
                    later = base.where(Prediction.resolves_at > now)
                    for part in (due, later):
                        found += list(
                            await session.execute(
                                part.order_by(
                                    Prediction.resolves_at, Prediction.number.desc()
                                ).limit(limit)
                            )
                        )
                else:
                    found += list(
                        await session.execute(base.order_by(Prediction.number.desc()).limit(limit))
                    )
        unique = {row.number: row for row in found}  # the exact number first, once
        return [
            (
                row.number,
                row.statement,
                state_label(row.status, row.closes_at, row.resolves_at, now),
            )
            for row in list(unique.values())[:limit]
        ]


#: One row of a choice: number, statement, status, closes at, resolves at.
Choices = Select[int, str, Status, datetime, datetime]

#: Text is matched among this many of a server's newest predictions: a bounded scan per
#: keystroke (``bench/autocomplete.py``); older predictions are found by their number.
TEXT_WINDOW = 20_000


def _choices(guild_id: int) -> Choices:
    return select(
        Prediction.number,
        Prediction.statement,
        Prediction.status,
        Prediction.closes_at,
        Prediction.resolves_at,
    ).where(Prediction.guild_id == guild_id)


def _for_purpose(stmt: Choices, purpose: Purpose, now: datetime) -> Choices:
    if purpose == Purpose.VOTE:
        return stmt.where(Prediction.status == Status.OPEN, Prediction.closes_at > now)
    if purpose in (Purpose.RESOLVE, Purpose.MANAGE):  # resolved and cancelled ones are final
        return stmt.where(Prediction.status == Status.OPEN)
    if purpose == Purpose.REOPEN:
        return stmt.where(Prediction.status == Status.RESOLVED)
    return stmt


def _ordered(stmt: Choices, purpose: Purpose, now: datetime, limit: int) -> Choices:
    if purpose == Purpose.RESOLVE:
        due_first = case((Prediction.resolves_at <= now, 0), else_=1)
        return stmt.order_by(due_first, Prediction.resolves_at, Prediction.number.desc()).limit(
            limit
        )
    return stmt.order_by(Prediction.number.desc()).limit(limit)


async def _text_floor(session: AsyncSession, guild_id: int) -> int:
    """Numbers above this are the server's newest :data:`TEXT_WINDOW` (one index look-up)."""
    last = await session.scalar(
        select(func.max(Prediction.number)).where(Prediction.guild_id == guild_id)
    )
    return max(int(last or 0) - TEXT_WINDOW, 0)
