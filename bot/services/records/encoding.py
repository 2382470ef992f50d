"""Turning exported rows into bytes: the JSON record's prediction objects and the CSV rows.

Pure functions over plain rows, called in a worker thread by
:mod:`bot.services.records.export`, so the encoding never runs on the event loop.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from bot.domain.kinds.words import forecast_words, outcome_words
from bot.domain.vocabulary import Outcome

CSV_COLUMNS = (
    "number",
    "statement",
    "tags",
    "author",
    "created",
    "resolves",
    "closes",
    "status",
    "outcome",
    "resolved at",
    "forecaster",
    "probability",
    "forecast time",
    "reason",
    "brier score",
    # Any kind (see the README's "Export"): the question's kind, the forecast and the outcome
    # in its words, and the forecast as the kind keeps it (JSON; empty for yes/no).
    "kind",
    "forecast",
    "answer",
    "forecast data",
)


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sheet_text(value: str | None) -> str:
    """Free text as a CSV cell a spreadsheet shows as text, never runs: a cell starting like a
    formula gets a leading single quote (OWASP's advice). Numbers are not passed here."""
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def person(user_id: int | None, outsiders: dict[int, str]) -> str | None:
    """A Discord id as text (spreadsheets mangle 18-digit numbers), or an outsider's key."""
    if user_id is None:
        return None
    return outsiders.get(user_id, str(user_id))


@dataclass(frozen=True)
class RawChunk:
    """One chunk of rows as the database returned them (Core rows: no ORM objects to build
    on the event loop); :func:`_describe` turns it into dicts in the worker thread."""

    predictions: list[Row[Any]]
    tags: dict[int, tuple[str, ...]]
    votes: dict[int, list[Row[Any]]]
    events: dict[int, list[Row[Any]]]
    follows: dict[int, list[Row[Any]]]
    edits: dict[int, list[Row[Any]]]


def describe(chunk: RawChunk, outsiders: dict[int, str]) -> list[dict[str, Any]]:
    """The chunk as the export's prediction objects (pure: runs in the worker thread)."""

    def who(user_id: int | None) -> str | None:
        return person(user_id, outsiders)

    def ids(row: Row[Any]) -> dict[str, str | None]:
        return {
            key: None if getattr(row, key) is None else str(getattr(row, key))
            for key in ("channel_id", "message_id", "thread_id")
        }

    out = []
    for row in chunk.predictions:
        out.append(
            {
                "number": row.number,
                "statement": row.statement,
                "details": row.details,
                "tags": list(chunk.tags.get(row.id, ())),
                "author": who(row.author_id),
                "created_at": iso(row.created_at),
                "resolves_at": iso(row.resolves_at),
                "closes_at": iso(row.closes_at),
                "status": row.status.value,
                "visibility": row.visibility.value,
                "edited_at": iso(row.edited_at),
                "outcome": None if row.outcome is None else row.outcome.value,
                "kind": row.kind,
                "kind_spec": row.kind_spec,
                "outcome_value": row.outcome_value,
                "resolved_at": iso(row.resolved_at),
                "resolver": who(row.resolver_id),
                "resolution_note": row.resolution_note,
                "resolution_source": row.resolution_source,
                "source_message_url": row.source_message_url,
                "claimant": who(row.claimant_id),
                "discord": ids(row),
                "reminders": {
                    "next_at": iso(row.next_reminder_at),
                    "sent": row.reminders_sent,
                    "close_warning_at": iso(row.close_warning_at),
                },
                "votes": [
                    {
                        "forecaster": who(v.user_id),
                        "permille": v.permille,
                        "forecast": v.forecast,
                        "source": v.source.value,
                        "updated_at": iso(v.updated_at),
                        "reason": v.reason,
                    }
                    for v in chunk.votes.get(row.id, [])
                ],
                "vote_history": [
                    {
                        "forecaster": who(e.user_id),
                        "permille": e.permille,
                        "forecast": e.forecast,
                        "source": e.source.value,
                        "created_at": iso(e.created_at),
                        "reason": e.reason,
                    }
                    for e in chunk.events.get(row.id, [])
                ],
                "follows": [
                    {"member": who(f.user_id), "following": f.following}
                    for f in chunk.follows.get(row.id, [])
                ],
                "edits": [
                    {
                        "editor": who(e.editor_id),
                        "field": e.field,
                        "old": e.old_value,
                        "new": e.new_value,
                        "at": iso(e.created_at),
                    }
                    for e in chunk.edits.get(row.id, [])
                ],
            }
        )
    return out


def json_predictions(chunk: Iterable[dict[str, Any]], first: bool) -> bytes:
    parts = [
        "\n    " + json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in chunk
    ]
    return (("" if first else ",") + ",".join(parts)).encode()


def csv_header() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(CSV_COLUMNS)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8


def csv_rows(chunk: Iterable[dict[str, Any]], labels: dict[str, str]) -> bytes:
    """One row per forecast. Yes/no: its probability and the Brier score of that forecast.
    Another kind: ``probability`` and ``brier score`` stay empty (they are yes/no's); the
    forecast and the answer are said in the kind's words, and its data is the payload."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for item in chunk:
        outcome = item["outcome"]
        kind, spec = item["kind"], item["kind_spec"]
        answer = outcome_words(kind, spec, outcome and Outcome(outcome), item["outcome_value"])
        for event in item["vote_history"]:
            permille, payload = event["permille"], event["forecast"]
            if permille is None and payload is None:
                continue  # a retraction is not a forecast
            brier = (
                ""
                if permille is None or outcome not in (Outcome.YES, Outcome.NO)
                else f"{(permille / 1000 - (1.0 if outcome == Outcome.YES else 0.0)) ** 2:.4f}"
            )
            writer.writerow(
                (
                    item["number"],
                    sheet_text(item["statement"]),
                    sheet_text("; ".join(item["tags"])),
                    sheet_text(labels.get(item["author"], item["author"])),
                    _sheet_time(item["created_at"]),
                    _sheet_time(item["resolves_at"]),
                    _sheet_time(item["closes_at"]),
                    item["status"],
                    outcome or "",
                    _sheet_time(item["resolved_at"]),
                    sheet_text(labels.get(event["forecaster"], event["forecaster"])),
                    "" if permille is None else f"{permille / 10:g}%",
                    _sheet_time(event["created_at"]),
                    sheet_text(event.get("reason")),
                    brier,
                    kind,
                    sheet_text(forecast_words(kind, spec, permille, payload)),
                    sheet_text(answer),
                    "" if payload is None else sheet_text(json.dumps(payload, ensure_ascii=False)),
                )
            )
    return buffer.getvalue().encode()


def _sheet_time(value: str | None) -> str:
    """``2027-06-30 12:00:00`` (UTC): what spreadsheets read as a date without help."""
    if value is None:
        return ""
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
