"""Create, show, list, edit and cancel predictions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminder_schedule
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, InvalidState
from bot.domain.kinds import DEFAULT_KIND, kind_for
from bot.domain.rules import check_author_may_still
from bot.domain.tags import parse_tags
from bot.domain.text import clean_details, clean_statement
from bot.domain.vocabulary import ShownStatus, Status, Visibility, VoteSource
from bot.forecasting.dates import parse_when
from bot.services.core.context import ServiceContext
from bot.services.core.dto import EditResult, Page, PredictionInfo
from bot.services.core.member_timezones import zone_for
from bot.services.core.prediction_rows import (
    claim_status,
    get_prediction,
    load_info,
    log_edit,
    managed_prediction,
    mark_message_stale,
    others_have_voted,
    schedule_of,
    set_schedule,
    to_info,
)
from bot.services.core.server_config import load_guild
from bot.services.predictions.editing import edited_details, move_resolution
from bot.services.predictions.finding import ListFilter, filter_conditions
from bot.services.predictions.setup_edit import edit_setup
from bot.services.predictions.tags import attach_tags, change_tags, required_tag_id, tags_of
from bot.services.voting.writer import VoteRequest, follow_by_default, write_votes
from db.models import GuildSettings, Prediction, PredictionEdit, PredictionTag

PAGE_SIZE = 10
STATUS_FILTERS = tuple(ShownStatus)


@dataclass(frozen=True)
class NewPrediction:
    """What a member typed into ``/predict`` or the create modal, unparsed."""

    guild_id: int
    author_id: int
    statement: str
    resolves: str
    closes: str | None = None
    probability: str | None = None
    details: str | None = None
    visibility: Visibility | None = None
    channel_id: int | None = None
    source_message_url: str | None = None
    tags: str | None = None  # comma-separated, as typed
    claimant_id: int | None = None  # "Track as prediction": the tracked message's author
    kind: str = DEFAULT_KIND  # the question kind's name (bot.domain.kinds)
    # The kind's setup as typed (field → text, e.g. {"options": "A | B | C"}); see
    # QuestionKind.spec_fields.
    kind_fields: Mapping[str, str] = field(default_factory=dict)


class PredictionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create(self, new: NewPrediction) -> PredictionInfo:
        """Validate everything first, then write the prediction in one transaction."""
        now = self._ctx.clock.now()
        statement = clean_statement(new.statement)
        details = clean_details(new.details)
        spec = kind_for(new.kind).parse_spec(new.kind_fields)
        kind = kind_for(new.kind, spec)
        # The author's own forecast, read by the kind (yes/no: a probability).
        first_forecast = kind.parse_forecast(new.probability) if new.probability else None
        tags = parse_tags(new.tags)
        async with self._ctx.sessions.begin() as session:
            tz = await zone_for(session, new.author_id, new.guild_id)
            resolves_at = parse_when(new.resolves, now=now, tz=tz, what="resolution date")
            closes_at = resolves_at
            if new.closes and new.closes.strip():
                closes_at = parse_when(new.closes, now=now, tz=tz, what="close date")
                if closes_at > resolves_at:
                    raise InvalidInput(
                        "Voting must close no later than the resolution date. "
                        "Pick an earlier `closes`, or leave it out to close at resolution."
                    )
            guild = await load_guild(session, new.guild_id)
            visibility = new.visibility or guild.default_visibility
            number = await _next_number(session, new.guild_id)
            row = Prediction(
                guild_id=new.guild_id,
                number=number,
                author_id=new.author_id,
                statement=statement,
                kind=kind.name,
                kind_spec=spec,
                details=details,
                created_at=now,
                resolves_at=resolves_at,
                closes_at=closes_at,
                status=Status.OPEN,
                visibility=visibility,
                channel_id=new.channel_id,
                source_message_url=new.source_message_url,
                claimant_id=new.claimant_id,
                **reminder_schedule.created(resolves_at, closes_at, now).columns(),
            )
            session.add(row)
            await session.flush()
            await follow_by_default(session, row.id, new.author_id)
            await attach_tags(session, new.guild_id, row.id, tags)
            if first_forecast is not None:  # the author's own forecast is their first vote
                first = VoteRequest(
                    new.guild_id, row.id, new.author_id, first_forecast, VoteSource.AUTHOR
                )
                await write_votes(session, [first], now)
            return await load_info(session, row)

    async def attach_message(
        self, prediction_id: int, *, channel_id: int, message_id: int, thread_id: int | None
    ) -> None:
        """Remember where the public message (and its thread) lives; it shows the current state."""
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(Prediction)
                .where(Prediction.id == prediction_id)
                .values(
                    channel_id=channel_id,
                    message_id=message_id,
                    thread_id=thread_id,
                    render_pending=False,
                )
            )

    async def discard(self, prediction_id: int) -> None:
        """Undo a creation whose public message could not be posted (nothing half-written)."""
        async with self._ctx.sessions.begin() as session:
            row = await session.get(Prediction, prediction_id)
            if row is None:
                return
            await session.execute(delete(Prediction).where(Prediction.id == prediction_id))
            await session.execute(
                update(GuildSettings)
                .where(GuildSettings.guild_id == row.guild_id)
                .where(GuildSettings.last_number == row.number)
                .values(last_number=row.number - 1)
            )

    async def get(self, guild_id: int, number: int) -> PredictionInfo:
        async with self._ctx.sessions() as session:
            return await load_info(session, await get_prediction(session, guild_id, number))

    async def by_id(self, prediction_id: int) -> PredictionInfo | None:
        async with self._ctx.sessions() as session:
            row = await session.get(Prediction, prediction_id)
            return None if row is None else await load_info(session, row)

    async def list_page(
        self,
        guild_id: int,
        *,
        status: str | None = None,
        author_id: int | None = None,
        tag: str | None = None,
        page: int = 0,
        page_size: int = PAGE_SIZE,
        show: str | None = None,
        member_id: int | None = None,
    ) -> Page:
        """Newest first; ``closed`` means open but past its close time."""
        if status is not None and status not in STATUS_FILTERS:
            raise InvalidInput(f"Status is one of {', '.join(STATUS_FILTERS)}.")
        shown = None if status is None else ShownStatus(status)
        now = self._ctx.clock.now()
        stmt = select(Prediction).where(
            Prediction.guild_id == guild_id, *_status_conditions(shown, now)
        )
        if author_id is not None:
            stmt = stmt.where(Prediction.author_id == author_id)
        if show is not None and member_id is not None:
            stmt = stmt.where(*filter_conditions(ListFilter(show), member_id, now))
        async with self._ctx.sessions() as session:
            if tag is not None:
                tag_id = await required_tag_id(session, guild_id, tag)
                stmt = stmt.join(PredictionTag, PredictionTag.prediction_id == Prediction.id).where(
                    PredictionTag.tag_id == tag_id
                )
            total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            pages = max(1, math.ceil(total / page_size))
            page = min(max(page, 0), pages - 1)
            rows = await session.scalars(
                stmt.order_by(Prediction.number.desc()).offset(page * page_size).limit(page_size)
            )
            found = list(rows)
            tags_by_id = await tags_of(session, [row.id for row in found])
            items = tuple(to_info(row, tags=tags_by_id.get(row.id, ())) for row in found)
        return Page(items=items, page=page, pages=pages, total=total)

    async def edit(
        self,
        guild_id: int,
        number: int,
        actor: Actor,
        *,
        statement: str | None = None,
        details: str | None = None,
        resolves: str | None = None,
        add_tags: str | None = None,
        remove_tags: str | None = None,
        setup: Mapping[str, str] | None = None,
    ) -> EditResult:
        """``setup``: the question's setup as typed (``{"options": "A | B"}``), frozen like the
        statement once others voted (:mod:`bot.services.predictions.setup_edit`)."""
        adding, removing = parse_tags(add_tags), parse_tags(remove_tags)
        setup = {name: text for name, text in (setup or {}).items() if text and text.strip()}
        if (
            statement is None
            and details is None
            and resolves is None
            and not (adding or removing)
            and not setup
        ):
            raise InvalidInput(
                "Give at least one of `statement`, `details`, `resolves`, `add_tags`, "
                "`remove_tags` or `options`."
            )
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row, guild = await managed_prediction(session, guild_id, number, actor, "edit")
            if row.status == Status.CANCELLED:
                raise InvalidState(
                    f"Prediction #{number} is cancelled and can no longer be edited."
                )
            if row.status == Status.RESOLVED:
                raise InvalidState(
                    f"Prediction #{number} is resolved. Reopen it with `/predictions reopen` "
                    "before editing."
                )
            changes: list[tuple[str, str | None, str | None]] = []
            others_voted = await others_have_voted(session, row)
            if statement is not None:
                new_statement = clean_statement(statement)
                if new_statement != row.statement:
                    if others_voted:
                        raise InvalidState(
                            "Others have already voted on this statement, so it can no longer "
                            "change (a preregistration stays honest). Add `details` instead."
                        )
                    changes.append(("statement", row.statement, new_statement))
                    row.statement = new_statement
            if details is not None:
                new_details = edited_details(row.details, details, others_voted, now)
                if new_details != row.details:
                    changes.append(("details", row.details, new_details))
                    row.details = new_details
            if resolves is not None:
                tz = await zone_for(session, actor.user_id, guild_id)
                resolves_at = parse_when(resolves, now=now, tz=tz, what="resolution date")
                if resolves_at != row.resolves_at:
                    check_author_may_still(
                        actor,
                        guild.moderator_role_id,
                        others_voted=others_voted,
                        closes_at=row.closes_at,
                        now=now,
                        number=number,
                        what="move its resolution date",
                    )
                    changes.append(
                        ("resolves_at", row.resolves_at.isoformat(), resolves_at.isoformat())
                    )
                    move_resolution(row, resolves_at, now)
            withdrew = False
            if setup:
                changed = await edit_setup(session, row, setup, others_voted=others_voted, now=now)
                if changed is not None:
                    changes.append((changed.field, changed.old, changed.new))
                    withdrew = changed.withdrew_authors_forecast
            if adding or removing:
                before, after = await change_tags(session, row, adding, removing)
                if before != after:
                    changes.append(("tags", ", ".join(before), ", ".join(after)))
            if not changes:
                raise InvalidInput("That is what the prediction already says; nothing changed.")
            if not await claim_status(session, row.id, Status.OPEN, Status.OPEN):
                raise InvalidState(f"#{number} changed while you edited it; try again.")
            for field, old, new in changes:
                log_edit(session, row, actor, field, old, new, now)
            row.edited_at = now
            await session.flush()
            await mark_message_stale(session, [row.id])
            return EditResult(
                await load_info(session, row),
                tuple(c[0] for c in changes),
                withdrew_authors_forecast=withdrew,
            )

    async def cancel(self, guild_id: int, number: int, actor: Actor) -> PredictionInfo:
        """Cancelled predictions stay in the database (and in the list), just inert."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row, guild = await managed_prediction(session, guild_id, number, actor, "cancel")
            if row.status == Status.CANCELLED:
                raise InvalidState(f"Prediction #{number} is already cancelled.")
            if row.status == Status.RESOLVED:
                raise InvalidState(
                    f"Prediction #{number} is resolved; reopen it first if it should be cancelled."
                )
            check_author_may_still(
                actor,
                guild.moderator_role_id,
                others_voted=await others_have_voted(session, row),
                closes_at=row.closes_at,
                now=now,
                number=number,
                what="cancel it",
            )
            if not await claim_status(session, row.id, Status.OPEN, Status.CANCELLED):
                raise InvalidState(f"#{number} changed while you cancelled it; try again.")
            log_edit(session, row, actor, "status", row.status, Status.CANCELLED, now)
            row.status = Status.CANCELLED
            set_schedule(row, reminder_schedule.ended(schedule_of(row)))
            await session.flush()
            await mark_message_stale(session, [row.id])
            return await load_info(session, row)

    async def edits(self, guild_id: int, number: int) -> list[tuple[int, str, datetime]]:
        """The edit log of one prediction: (editor, field, when), oldest first."""
        async with self._ctx.sessions() as session:
            row = await get_prediction(session, guild_id, number)
            rows = await session.execute(
                select(PredictionEdit.editor_id, PredictionEdit.field, PredictionEdit.created_at)
                .where(PredictionEdit.prediction_id == row.id)
                .order_by(PredictionEdit.id)
            )
            return [(editor, field, when) for editor, field, when in rows]


async def _next_number(session: AsyncSession, guild_id: int) -> int:
    """Bump the guild's counter atomically: the row lock serialises concurrent creators."""
    number = await session.scalar(
        update(GuildSettings)
        .where(GuildSettings.guild_id == guild_id)
        .values(last_number=GuildSettings.last_number + 1)
        .returning(GuildSettings.last_number)
    )
    assert number is not None
    return int(number)


def _status_conditions(shown: ShownStatus | None, now: datetime) -> list[ColumnElement[bool]]:
    """SQL for :func:`bot.domain.rules.shown_status` (closed: open but past its close)."""
    if shown == ShownStatus.OPEN:
        return [Prediction.status == Status.OPEN, Prediction.closes_at > now]
    if shown == ShownStatus.CLOSED:
        return [Prediction.status == Status.OPEN, Prediction.closes_at <= now]
    if shown is not None:
        return [Prediction.status == Status(shown.value)]
    return []
