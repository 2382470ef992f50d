"""Topic tags: stored as a join table (``tags`` × ``prediction_tags``) so a filter by tag is an
index lookup, never a string search.

The module-level functions run inside a caller's transaction (create, edit, import); the
service answers the commands (autocomplete, add/remove on a prediction, rename or merge).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.tags import check_tag_count, normalise_tag
from bot.domain.text import code_span
from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import mark_message_stale
from bot.services.core.server_config import load_guild
from db.models import Prediction, PredictionTag, Tag
from db.upsert import insert_for


async def tag_ids(session: AsyncSession, guild_id: int, names: Sequence[str]) -> dict[str, int]:
    """The ids of ``names`` in the guild, creating the missing ones (safe under races)."""
    if not names:
        return {}
    stmt = insert_for(session, Tag).values([{"guild_id": guild_id, "name": n} for n in names])
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["guild_id", "name"]))
    rows = await session.execute(
        select(Tag.name, Tag.id).where(Tag.guild_id == guild_id, Tag.name.in_(names))
    )
    return {name: tag_id for name, tag_id in rows}


async def find_tag_id(session: AsyncSession, guild_id: int, name: str) -> int | None:
    return await session.scalar(select(Tag.id).where(Tag.guild_id == guild_id, Tag.name == name))


async def attach_tags(
    session: AsyncSession, guild_id: int, prediction_id: int, names: Sequence[str]
) -> None:
    ids = await tag_ids(session, guild_id, names)
    if ids:
        stmt = insert_for(session, PredictionTag).values(
            [{"prediction_id": prediction_id, "tag_id": i} for i in ids.values()]
        )
        await session.execute(stmt.on_conflict_do_nothing())


async def tags_of(
    session: AsyncSession, prediction_ids: Iterable[int]
) -> dict[int, tuple[str, ...]]:
    """Each prediction's tag names, alphabetical."""
    ids = sorted(set(prediction_ids))
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        rows = await session.execute(
            select(PredictionTag.prediction_id, Tag.name)
            .join(Tag, Tag.id == PredictionTag.tag_id)
            .where(PredictionTag.prediction_id.in_(ids[start : start + 500]))
            .order_by(Tag.name)
        )
        for prediction_id, name in rows:
            found.setdefault(prediction_id, []).append(name)
    return {key: tuple(names) for key, names in found.items()}


async def required_tag_id(session: AsyncSession, guild_id: int, raw: str) -> int:
    """A filter's tag: unknown names are an error that says how to find the real ones."""
    name = normalise_tag(raw)
    found = await find_tag_id(session, guild_id, name)
    if found is None:
        raise NotFound(
            f"No prediction in this server is tagged {code_span(name)}. Type in the `tag` option "
            "to pick from the server's tags."
        )
    return found


async def change_tags(
    session: AsyncSession,
    row: Prediction,
    adding: Sequence[str],
    removing: Sequence[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Add and remove tags on a locked prediction; ``(before, after)``, alphabetical."""
    before = (await tags_of(session, [row.id])).get(row.id, ())
    unknown = [name for name in removing if name not in before]
    if unknown:
        raise InvalidInput(
            f"#{row.number} is not tagged {', '.join(code_span(n) for n in unknown)}; "
            f"its tags are {', '.join(code_span(n) for n in before) or 'none'}."
        )
    after = tuple(sorted({*before, *adding} - set(removing)))
    check_tag_count(len(after))
    if after != before:
        await session.execute(delete(PredictionTag).where(PredictionTag.prediction_id == row.id))
        await attach_tags(session, row.guild_id, row.id, after)
    return before, after


@dataclass(frozen=True)
class TagRename:
    old: str
    new: str
    merged: bool  # ``new`` existed already: the two tags became one
    predictions: int  # predictions carrying the tag now


class TagService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def search(self, guild_id: int, query: str, limit: int = 25) -> list[str]:
        """Autocomplete: the server's tags containing what was typed (after the last comma)."""
        text = " ".join(query.split()).casefold()
        stmt = select(Tag.name).where(Tag.guild_id == guild_id)
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(Tag.name.like(f"%{escaped}%", escape="\\"))
        async with self._ctx.sessions() as session:
            return list(await session.scalars(stmt.order_by(Tag.name).limit(limit)))

    async def of_prediction(
        self, guild_id: int, number: int, query: str = "", limit: int = 25
    ) -> list[str]:
        """Autocomplete for ``remove_tags``: the tags prediction ``number`` carries, containing
        what was typed (a few rows: one look-up by number, then its links)."""
        text = " ".join(query.split()).casefold()
        stmt = (
            select(Tag.name)
            .join(PredictionTag, PredictionTag.tag_id == Tag.id)
            .join(Prediction, Prediction.id == PredictionTag.prediction_id)
            .where(Prediction.guild_id == guild_id, Prediction.number == number)
        )
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(Tag.name.like(f"%{escaped}%", escape="\\"))
        async with self._ctx.sessions() as session:
            return list(await session.scalars(stmt.order_by(Tag.name).limit(limit)))

    async def rename(self, guild_id: int, actor: Actor, old: str, new: str) -> TagRename:
        """Moderators only. If ``new`` exists, the tags merge (a prediction keeps one link)."""
        old_name, new_name = normalise_tag(old), normalise_tag(new)
        if old_name == new_name:
            raise InvalidInput("The new name is the same as the old one (after normalising).")
        async with self._ctx.sessions.begin() as session:
            guild = await load_guild(session, guild_id)
            if not actor.is_moderator(guild.moderator_role_id):
                raise NotAllowed(
                    "Only moderators (the moderator role, or Manage Server) can rename tags."
                )
            old_id = await find_tag_id(session, guild_id, old_name)
            if old_id is None:
                raise NotFound(f"This server has no tag {code_span(old_name)}.")
            new_id = await find_tag_id(session, guild_id, new_name)
            affected = list(
                await session.scalars(
                    select(PredictionTag.prediction_id).where(PredictionTag.tag_id == old_id)
                )
            )
            if new_id is None:
                await session.execute(update(Tag).where(Tag.id == old_id).values(name=new_name))
                new_id = old_id
            else:
                already = select(PredictionTag.prediction_id).where(PredictionTag.tag_id == new_id)
                await session.execute(
                    update(PredictionTag)
                    .where(
                        PredictionTag.tag_id == old_id, PredictionTag.prediction_id.not_in(already)
                    )
                    .values(tag_id=new_id)
                    .execution_options(synchronize_session=False)
                )
                await session.execute(delete(Tag).where(Tag.id == old_id))
            await mark_message_stale(session, affected)
            count = await session.scalar(
                select(func.count())
                .select_from(PredictionTag)
                .where(PredictionTag.tag_id == new_id)
            )
            return TagRename(old_name, new_name, new_id != old_id, int(count or 0))
