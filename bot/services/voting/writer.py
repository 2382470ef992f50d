"""Group commit for votes: concurrent votes share one transaction.

On SQLite every statement is a round trip to aiosqlite's thread, so the cost of a vote is
dominated by the number of statements, not their size. Votes that arrive while a batch is
being written wait for the next one; that batch is checked and written with a handful of
multi-row statements. A lone vote is a batch of one, so latency is unchanged; a burst (the
normal shape of reaction voting) costs a few statements per batch instead of per vote.

Each caller's future resolves only after its batch committed, so a vote that was answered
is durable. Requests are applied in arrival order, so a reaction added then removed retracts.

A batch first takes the write lock on its predictions' rows, then reads their status: a
resolve that commits first is seen (the vote is refused as closed), and one that comes later
waits for the votes and scores them, so no vote is confirmed and then never scored. Only an
integrity error (one bad row) is worth retrying vote by vote; anything else (a locked or
unreachable database) fails the batch at once, and the queue is bounded so a stuck database
answers "busy" instead of piling up work.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import (
    AuguryError,
    Busy,
    InvalidInput,
    InvalidState,
    PredictionGone,
    VotingClosed,
)
from bot.domain.kinds import AnyKind, kind_for
from bot.domain.vocabulary import Status, VoteSource
from bot.metrics import VOTE_BATCH_SIZE, VOTES_WRITTEN
from bot.services.core.context import ServiceContext
from bot.services.core.dto import VoteResult, VoteTarget
from bot.services.core.prediction_rows import mark_message_stale
from db.models import Follower, GuildSettings, Prediction, Vote, VoteEvent
from db.upsert import insert_for

log = logging.getLogger(__name__)

MAX_BATCH = 500
#: Votes waiting for a batch; past this the database is not keeping up and voters hear so.
MAX_QUEUE = 5_000
YIELDS_BEFORE_BATCH = 2


@dataclass(frozen=True)
class VoteRequest:
    guild_id: int
    prediction_id: int
    user_id: int
    forecast: object  # None: retract; yes/no: per-mille int; other kinds: their forecast
    source: VoteSource
    only_if: object = None  # retract only when the current vote equals this
    reason: str | None = None  # why, in the member's words (issue 11); kept with the vote


TARGET_COLUMNS = (
    Prediction.id,
    Prediction.guild_id,
    Prediction.number,
    Prediction.author_id,
    Prediction.status,
    Prediction.closes_at,
    Prediction.visibility,
    Prediction.channel_id,
    Prediction.message_id,
    Prediction.kind,
    Prediction.kind_spec,
)


def target_from(row: Any) -> VoteTarget:
    """A :data:`TARGET_COLUMNS` row as a :class:`VoteTarget`."""
    return VoteTarget(*row)


_Pending = tuple[VoteRequest, "asyncio.Future[VoteResult]"]


class VoteWriter:
    def __init__(
        self, ctx: ServiceContext, max_batch: int = MAX_BATCH, max_queue: int = MAX_QUEUE
    ) -> None:
        self._ctx = ctx
        self._max_batch = max_batch
        self._max_queue = max_queue
        self._queue: deque[_Pending] = deque()
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, request: VoteRequest) -> VoteResult:
        if len(self._queue) >= self._max_queue:
            raise Busy()
        future: asyncio.Future[VoteResult] = asyncio.get_running_loop().create_future()
        self._queue.append((request, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain(), name="vote-writer")
        return await future

    async def _drain(self) -> None:
        while self._queue:
            # Let callers woken by the previous batch enqueue first: bigger batches, and a
            # lone vote waits only for one turn of the event loop.
            for _ in range(YIELDS_BEFORE_BATCH):
                await asyncio.sleep(0)
            batch = [self._queue.popleft() for _ in range(min(self._max_batch, len(self._queue)))]
            try:
                await self._write(batch)
            except IntegrityError as error:  # one bad row spoils the batch: find it
                if len(batch) == 1:
                    _settle(batch[0][1], error=error)
                    continue
                log.warning("Vote batch of %d failed (%s); retrying singly", len(batch), error)
                for item in batch:
                    try:
                        await self._write([item])
                    except Exception as single_error:
                        _settle(item[1], error=single_error)
            except Exception as error:  # locked or unreachable: retrying would only wait again
                log.warning("Vote batch of %d failed: %s", len(batch), error)
                for _, future in batch:
                    _settle(future, error=error)

    async def _write(self, batch: list[_Pending]) -> None:
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            outcomes = await write_votes(session, [request for request, _ in batch], now)
        VOTE_BATCH_SIZE.observe(len(batch))
        VOTES_WRITTEN.inc(sum(1 for outcome in outcomes if not isinstance(outcome, AuguryError)))
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, AuguryError):
                _settle(future, error=outcome)
            else:
                _settle(future, result=outcome)


def _settle(
    future: asyncio.Future[VoteResult],
    *,
    result: VoteResult | None = None,
    error: BaseException | None = None,
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        assert result is not None
        future.set_result(result)


async def write_votes(
    session: AsyncSession, requests: list[VoteRequest], now: datetime
) -> list[VoteResult | AuguryError]:
    """Check every request, then write all accepted ones with one statement per table.

    The one place votes are written: the writer's batches, and the author's opening forecast
    inside the transaction that creates the prediction. Refusals are returned, not raised.
    """
    ids = {r.prediction_id for r in requests}
    # Write first: SQLite's write lock / PostgreSQL's row locks are held from here to commit,
    # so the status read below is still true when the votes commit.
    await session.execute(
        update(Prediction)
        .where(Prediction.id.in_(ids))
        .values(status=Prediction.status)
        .execution_options(synchronize_session=False)
    )
    targets = {
        row.id: target_from(row)
        for row in await session.execute(select(*TARGET_COLUMNS).where(Prediction.id.in_(ids)))
    }
    voters_follow = set(
        await session.scalars(
            select(GuildSettings.guild_id).where(
                GuildSettings.guild_id.in_({t.guild_id for t in targets.values()}),
                GuildSettings.voters_follow.is_(True),
            )
        )
    )
    kinds = {pid: kind_for(target.kind, target.kind_spec) for pid, target in targets.items()}
    pairs = {(r.prediction_id, r.user_id) for r in requests}
    current: dict[tuple[int, int], tuple[object, VoteSource]] = {
        (pid, uid): (kinds[pid].load_forecast(permille, payload), source)
        for pid, uid, permille, payload, source in await session.execute(
            select(
                Vote.prediction_id, Vote.user_id, Vote.permille, Vote.forecast, Vote.source
            ).where(tuple_(Vote.prediction_id, Vote.user_id).in_(pairs))
        )
    }
    outcomes: list[VoteResult | AuguryError] = []
    upserts: dict[tuple[int, int], dict[str, object]] = {}
    retracts: set[tuple[int, int]] = set()
    events: list[dict[str, object]] = []
    follows: dict[tuple[int, int], dict[str, object]] = {}
    for request in requests:
        target = targets.get(request.prediction_id)
        problem = _check(target, request, now)
        if problem is not None:
            outcomes.append(problem)
            continue
        assert target is not None
        kind = kinds[target.id]
        try:  # the kind's rules, whatever path the forecast came by
            forecast = None if request.forecast is None else kind.validate(request.forecast)
        except InvalidInput as invalid:
            outcomes.append(invalid)
            continue
        stored = None if forecast is None else kind.store_forecast(forecast)
        key = (request.prediction_id, request.user_id)
        previous = current.get(key)
        previous_value, previous_source = previous if previous else (None, None)
        if stored is None:
            if previous is None or (
                request.only_if is not None and previous_value != request.only_if
            ):
                outcomes.append(
                    _result(kind, target, previous_value, previous_value, previous_source, False)
                )
                continue
            current.pop(key)
            upserts.pop(key, None)
            retracts.add(key)
        else:
            current[key] = (forecast, request.source)
            retracts.discard(key)
            upserts[key] = {
                "prediction_id": key[0],
                "user_id": key[1],
                "permille": stored.permille,
                "forecast": stored.payload,
                "source": request.source,
                "updated_at": now,
                "reason": request.reason,
            }
            if target.guild_id in voters_follow:  # off by default (issue 11)
                follows[key] = {"prediction_id": key[0], "user_id": key[1], "following": True}
        events.append(
            {
                "prediction_id": key[0],
                "user_id": key[1],
                "permille": None if stored is None else stored.permille,
                "forecast": None if stored is None else stored.payload,
                "source": request.source,
                "created_at": now,
                "reason": request.reason,
            }
        )
        outcomes.append(_result(kind, target, previous_value, forecast, previous_source))
    await _write_rows(session, upserts, retracts, events, follows)
    await mark_message_stale(session, (int(str(event["prediction_id"])) for event in events))
    return outcomes


async def _write_rows(
    session: AsyncSession,
    upserts: dict[tuple[int, int], dict[str, object]],
    retracts: set[tuple[int, int]],
    events: list[dict[str, object]],
    follows: dict[tuple[int, int], dict[str, object]],
) -> None:
    if retracts:
        await session.execute(
            delete(Vote).where(tuple_(Vote.prediction_id, Vote.user_id).in_(retracts))
        )
    if upserts:
        stmt = insert_for(session, Vote.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["prediction_id", "user_id"],
            set_={
                "permille": stmt.excluded.permille,
                "forecast": stmt.excluded.forecast,
                "source": stmt.excluded.source,
                "updated_at": stmt.excluded.updated_at,
                "reason": stmt.excluded.reason,
            },
        )
        await session.execute(stmt, list(upserts.values()))
    if events:
        await session.execute(insert_for(session, VoteEvent.__table__), events)
    if follows:
        stmt = insert_for(session, Follower.__table__).on_conflict_do_nothing(
            index_elements=["prediction_id", "user_id"]
        )
        await session.execute(stmt, list(follows.values()))


def _result(
    kind: AnyKind,
    target: VoteTarget,
    previous: object,
    forecast: object,
    previous_source: VoteSource | None,
    changed: bool = True,
) -> VoteResult:
    """A vote's result; the per-mille fields are filled for yes/no (what its cogs show)."""
    if kind.per_mille:
        permilles = cast(int | None, previous), cast(int | None, forecast)
        return VoteResult(target, *permilles, previous_source, changed, previous, forecast)
    return VoteResult(target, None, None, previous_source, changed, previous, forecast)


def _check(target: VoteTarget | None, request: VoteRequest, now: datetime) -> AuguryError | None:
    if target is None or target.guild_id != request.guild_id:
        return PredictionGone()
    if target.status == Status.CANCELLED:
        return InvalidState(f"Prediction #{target.number} was cancelled; voting is closed.")
    if target.status == Status.RESOLVED:
        return InvalidState(f"Prediction #{target.number} is already resolved; voting is closed.")
    if not target.voting_open(now):
        return VotingClosed(target.number, target.closes_at)
    return None


async def follow_by_default(session: AsyncSession, prediction_id: int, user_id: int) -> None:
    """Authors follow their prediction, unless they explicitly unfollowed before."""
    stmt = insert_for(session, Follower.__table__).values(
        prediction_id=prediction_id, user_id=user_id, following=True
    )
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["prediction_id", "user_id"]))
