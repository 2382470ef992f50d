"""Finding the predictions a member can act on: list filters and purpose-aware autocomplete.

``needs_my_vote``: open for voting, and the member has no vote on it. ``due``: past its
resolution date, unresolved. ``mine``: the member's own. ``followed``: the member follows it.
Autocomplete offers only what the command can act on: ``/vote`` open ones, ``/resolve`` the
unresolved ones with the due ones first; each choice says its state.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, case, exists, or_, select

from bot.domain.numbers import typed_number
from bot.domain.vocabulary import Status
from bot.services.context import ServiceContext
from db.models import Follower, Prediction, Vote


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


def filter_conditions(kind: ListFilter, member_id: int, now: datetime) -> list[ColumnElement[bool]]:
    if kind == ListFilter.NEEDS_MY_VOTE:
        voted = exists().where(Vote.prediction_id == Prediction.id, Vote.user_id == member_id)
        return [Prediction.status == Status.OPEN, Prediction.closes_at > now, ~voted]
    if kind == ListFilter.DUE:
        return [Prediction.status == Status.OPEN, Prediction.resolves_at <= now]
    if kind == ListFilter.MINE:
        return [Prediction.author_id == member_id]
    follows = exists().where(
        Follower.prediction_id == Prediction.id,
        Follower.user_id == member_id,
        Follower.following.is_(True),
    )
    return [follows]


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
        self, guild_id: int, query: str, purpose: Purpose = Purpose.ANY, limit: int = 25
    ) -> list[tuple[int, str, str]]:
        """(number, statement, state) for autocomplete, narrowed to what ``purpose`` acts on."""
        now = self._ctx.clock.now()
        # NUL cannot be compared on PostgreSQL; "²" or a 20-digit number is text, not a number.
        query = query.replace("\x00", "").strip()
        by_number = query.startswith("#")  # "#12": that number only
        query = query.lstrip("#")
        stmt = select(
            Prediction.number,
            Prediction.statement,
            Prediction.status,
            Prediction.closes_at,
            Prediction.resolves_at,
        ).where(Prediction.guild_id == guild_id)
        number = typed_number(query)
        if by_number and number is not None:
            stmt = stmt.where(Prediction.number == number)
        elif query:
            conditions: list[ColumnElement[bool]] = [
                Prediction.statement.ilike(f"%{_escape_like(query)}%", escape="\\")
            ]
            if number is not None:
                conditions.append(Prediction.number == number)
            stmt = stmt.where(or_(*conditions))
        if purpose == Purpose.VOTE:
            stmt = stmt.where(Prediction.status == Status.OPEN, Prediction.closes_at > now)
        elif purpose == Purpose.RESOLVE:
            stmt = stmt.where(Prediction.status == Status.OPEN).order_by(
                case((Prediction.resolves_at <= now, 0), else_=1), Prediction.resolves_at
            )
        stmt = stmt.order_by(Prediction.number.desc()).limit(limit)
        async with self._ctx.sessions() as session:
            rows = await session.execute(stmt)
            return [
                (number, statement, state_label(status, closes, resolves, now))
                for number, statement, status, closes, resolves in rows
            ]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
