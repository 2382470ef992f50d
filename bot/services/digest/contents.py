"""What a weekly digest says, read in a handful of queries whatever the server's size.

Each list is one statement with a LIMIT (and a count of the rest): what needs forecasts (open
for votes; closing within three days first, then the fewest forecasters), what is due in the
coming week, what was resolved in the past week with its outcome, and the standings (the
running season's, if one runs: :mod:`bot.services.digest.standings`). A server
with 2,000 open predictions and 5,000 members costs the same few queries as a small one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import digest as rules
from bot.domain.kinds import StoredOutcome, kind_for
from bot.domain.vocabulary import Outcome, Status
from db.models import Prediction, Vote


@dataclass(frozen=True)
class DigestLine:
    """One prediction in a list: its number, words, message, the moment that matters."""

    number: int
    statement: str
    channel_id: int | None
    message_id: int | None
    when: datetime
    forecasters: int = 0
    outcome: str | None = None  # resolved: the outcome in words (YES, NO, AMBIGUOUS, …)
    disputed: bool = False


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    value: float
    count: int


@dataclass(frozen=True)
class Digest:
    guild_id: int
    now: datetime
    needs_votes: tuple[DigestLine, ...]
    needs_votes_total: int
    due_soon: tuple[DigestLine, ...]
    due_total: int
    resolved: tuple[DigestLine, ...]
    resolved_total: int
    standings: tuple[Standing, ...]
    names: dict[int, str]
    season: str | None = None  # the standings are this running season's; None: all time

    @property
    def empty(self) -> bool:
        return not (self.needs_votes or self.due_soon or self.resolved or self.standings)


def outcome_words(kind: str, spec: object, outcome: Outcome | None, value: object) -> str:
    """The stored outcome as the prediction's kind says it."""
    if outcome in (None, Outcome.AMBIGUOUS):
        return str(outcome or "").upper()
    question = kind_for(kind, spec)
    return question.describe_outcome(question.load_outcome(StoredOutcome(outcome, value)))


async def needs_votes(
    session: AsyncSession, guild_id: int, now: datetime
) -> tuple[list[DigestLine], int]:
    """Open for votes and closing within three days or with few forecasters: soonest first."""
    p = Prediction
    counts = (
        select(Vote.prediction_id, func.count().label("n"))
        .join(p, p.id == Vote.prediction_id)
        .where(p.guild_id == guild_id, p.status == Status.OPEN, p.closes_at > now)
        .group_by(Vote.prediction_id)
        .subquery()
    )
    forecasters = func.coalesce(counts.c.n, 0)
    closing = p.closes_at <= now + rules.CLOSING_SOON
    wanted = (closing) | (forecasters < rules.FEW_FORECASTERS)
    base = (
        select(p.number, p.statement, p.channel_id, p.message_id, p.closes_at, forecasters)
        .outerjoin(counts, counts.c.prediction_id == p.id)
        .where(p.guild_id == guild_id, p.status == Status.OPEN, p.closes_at > now, wanted)
    )
    rows = await session.execute(
        base.order_by(case((closing, 0), else_=1), forecasters, p.closes_at, p.number).limit(
            rules.LIST_SIZE
        )
    )
    lines = [
        DigestLine(number, statement, channel, message, closes, int(n))
        for number, statement, channel, message, closes, n in rows
    ]
    total = await session.scalar(select(func.count()).select_from(base.subquery()))
    return lines, int(total or 0)


async def due_soon(
    session: AsyncSession, guild_id: int, now: datetime
) -> tuple[list[DigestLine], int]:
    """Open and reaching the resolution date within the coming week (the status index)."""
    p = Prediction
    where = (
        p.guild_id == guild_id,
        p.status == Status.OPEN,
        p.resolves_at > now,
        p.resolves_at <= now + rules.WEEK,
    )
    rows = await session.execute(
        select(p.number, p.statement, p.channel_id, p.message_id, p.resolves_at)
        .where(*where)
        .order_by(p.resolves_at, p.number)
        .limit(rules.LIST_SIZE)
    )
    lines = [DigestLine(n, s, c, m, w) for n, s, c, m, w in rows]
    total = await session.scalar(select(func.count()).where(*where))
    return lines, int(total or 0)


async def resolved_lately(
    session: AsyncSession, guild_id: int, now: datetime, disputed: set[int]
) -> tuple[list[DigestLine], int]:
    """Resolved in the past week, latest first, each with its outcome in words."""
    p = Prediction
    where = (p.guild_id == guild_id, p.status == Status.RESOLVED, p.resolved_at > now - rules.WEEK)
    rows = await session.execute(
        select(
            p.id,
            p.number,
            p.statement,
            p.channel_id,
            p.message_id,
            p.resolved_at,
            p.kind,
            p.kind_spec,
            p.outcome,
            p.outcome_value,
        )
        .where(*where)
        .order_by(p.resolved_at.desc(), p.number.desc())
        .limit(rules.LIST_SIZE)
    )
    lines = [
        DigestLine(
            row.number,
            row.statement,
            row.channel_id,
            row.message_id,
            row.resolved_at,
            outcome=outcome_words(row.kind, row.kind_spec, row.outcome, row.outcome_value),
            disputed=row.id in disputed,
        )
        for row in rows
    ]
    total = await session.scalar(select(func.count()).where(*where))
    return lines, int(total or 0)
