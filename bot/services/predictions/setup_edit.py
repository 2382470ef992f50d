"""Editing a question's setup (a multiple-choice question's options, a numeric range).

The same rule as the statement's (a preregistration stays honest): once anyone but the author
has voted, the setup is frozen. Before that, the author's own forecast was made for the old
setup (its numbers follow the old options, in their old order), so it is withdrawn in the same
transaction (kept in the history as a retraction) and the author is told to vote again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import InvalidInput, InvalidState
from bot.domain.kinds import kind_for
from bot.domain.vocabulary import VoteSource
from db.models import Prediction, Vote, VoteEvent

SETUP_FROZEN = (
    "Others have already voted on these {what}, so they can no longer change (a "
    "preregistration stays honest). Add `details` instead."
)


@dataclass(frozen=True)
class SetupChange:
    """What changed, for the edit log, and whether the author's own forecast was withdrawn."""

    field: str
    old: str
    new: str
    withdrew_authors_forecast: bool


def _said(spec: object) -> str:
    """A setup as the edit log shows it: ``A | B | C``, ``low 0 · high 100``."""
    if isinstance(spec, Mapping):
        return " · ".join(
            " | ".join(map(str, value)) if isinstance(value, list) else f"{key} {value}"
            for key, value in spec.items()
        )
    return "" if spec is None else str(spec)


async def edit_setup(
    session: AsyncSession,
    row: Prediction,
    fields: Mapping[str, str],
    *,
    others_voted: bool,
    now: datetime,
) -> SetupChange | None:
    """Apply a new setup typed as ``fields`` (field → text); ``None`` if it is the same."""
    kind = kind_for(row.kind)
    if not kind.spec_fields:
        kind.parse_spec(fields)  # refuses, naming the fields this kind does not take
        raise InvalidInput(f"A {kind.title} question has nothing to set up.")
    current = kind.bind(row.kind_spec).spec_of() or {}
    typed = {name: fields.get(name) or "" for name in kind.spec_fields}
    for name, value in (current or {}).items():  # a field left out keeps its value
        if not typed.get(name, "").strip() and name in kind.spec_fields:
            typed[name] = " | ".join(value) if isinstance(value, list) else str(value)
    new = kind.parse_spec({**typed, **{k: v for k, v in fields.items() if k not in typed}})
    if new == row.kind_spec:
        return None
    what = " and ".join(name for name in kind.spec_fields if name in fields) or "settings"
    if others_voted:
        raise InvalidState(SETUP_FROZEN.format(what=what.replace("_", " ")))
    withdrew = await _withdraw(session, row, now)
    old = _said(row.kind_spec)
    row.kind_spec = new
    return SetupChange(what, old, _said(new), withdrew)


async def _withdraw(session: AsyncSession, row: Prediction, now: datetime) -> bool:
    """The author's forecast for the old setup, withdrawn (a retraction in the history)."""
    held = await session.scalar(
        select(Vote.id).where(Vote.prediction_id == row.id, Vote.user_id == row.author_id)
    )
    if held is None:
        return False
    await session.execute(delete(Vote).where(Vote.id == held))
    session.add(
        VoteEvent(
            prediction_id=row.id,
            user_id=row.author_id,
            permille=None,
            forecast=None,
            source=VoteSource.AUTHOR,
            created_at=now,
        )
    )
    return True
