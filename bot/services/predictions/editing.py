"""What an edit does to a prediction row beyond the new value: a moved resolution date drags
the close time and the reminders; details after others voted are appended, never replaced."""

from __future__ import annotations

from datetime import datetime

from bot.domain import reminder_schedule
from bot.domain.details import update_heading
from bot.domain.errors import InvalidState
from bot.domain.text import clean_details
from bot.services.core.prediction_rows import schedule_of, set_schedule
from db.models import Prediction


def move_resolution(row: Prediction, resolves_at: datetime, now: datetime) -> None:
    """A new resolution date drags the close time (if it was the default) and the reminders."""
    closes_moved = row.closes_at == row.resolves_at or row.closes_at > resolves_at
    if closes_moved:
        row.closes_at = resolves_at
    row.resolves_at = resolves_at
    schedule = reminder_schedule.dates_changed(
        schedule_of(row),
        resolves_at=resolves_at,
        closes_at=row.closes_at,
        closes_moved=closes_moved,
        now=now,
    )
    set_schedule(row, schedule)


def edited_details(old: str | None, given: str, others_voted: bool, now: datetime) -> str | None:
    """Before others vote, details are replaced; after, new text is appended under a dated
    heading (plain text: rendering decides how it looks)."""
    if not others_voted:
        return clean_details(given)
    addition = clean_details(given)
    if addition is None:
        raise InvalidState(
            "Others have voted, so details can only be added to, not removed. Give the text to add."
        )
    combined = f"{old}\n\n{update_heading(now)} {addition}" if old else addition
    return clean_details(combined)
