"""Fatebook's CSV export and PredictionBook's JSON, read into :class:`ImportedRecord`.

Formats, as their exporters write them:

- Fatebook CSV (one row per forecast): ``Question title``, ``Forecast created by``,
  ``Forecast (scale = 0-1)``, ``Forecast created at``, ``Question created by``, ``Question
  created at``, ``Question resolve by``, ``Resolution`` (YES / NO / AMBIGUOUS or empty),
  ``Resolved at``, ``Question notes``, ``Question tags`` (optional), ``Multiple choice option``
  (multiple-choice rows are skipped: Augury predictions are yes/no). Times are UTC
  ``YYYY-MM-DD HH:MM:SS`` (seconds sometimes unpadded); a question is its title + creation time.
- PredictionBook JSON: a list of predictions (or ``{"predictions": [...]}``) with ``id``,
  ``description``, ``deadline``, ``created_at``, ``creator_id``, ``withdrawn``, ``outcome``
  (true / false / null) and ``responses`` (``confidence`` 0–100 or null for a comment,
  ``created_at``, ``user_id``, ``user_label``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.domain.errors import AuguryError
from bot.domain.text import without_invisible
from bot.domain.vocabulary import Outcome, Status
from bot.services.records.formats import (
    ImportedEvent,
    ImportedPrediction,
    ImportedRecord,
    MalformedFile,
    Outsider,
    Person,
    Problems,
    clamp_probability,
    clean_tags,
    fit_statement,
    one_line,
    parse_time,
    stable_key,
)

# --- Fatebook --------------------------------------------------------------------------------

FATEBOOK_REQUIRED = (
    "Question title",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created at",
    "Question resolve by",
    "Resolution",
)
FATEBOOK_OUTCOMES = {"YES": Outcome.YES, "NO": Outcome.NO, "AMBIGUOUS": Outcome.AMBIGUOUS}


def _fatebook_time(value: str, what: str) -> datetime:
    """Fatebook writes ``2024-05-01 9:03:7``-style times (unpadded parts); pad, then parse."""
    text = value.strip()
    if " " in text and "T" not in text:
        day, _, clock = text.partition(" ")
        parts = clock.split(":")
        if all(p.isdigit() for p in parts):
            text = f"{day} " + ":".join(p.zfill(2) for p in parts)
    elif len(text) == 10:
        text = f"{text} 00:00:00"
    return parse_time(text, what)


def person_for(name: str, members: dict[str, int], prefix: str) -> Person:
    cleaned = " ".join(without_invisible(name).split())
    if cleaned.casefold() in members:
        return members[cleaned.casefold()]
    return Outsider(f"{prefix}:{cleaned.casefold()}", cleaned or "unknown")


def parse_fatebook_csv(text: str | Iterable[str], members: dict[str, int]) -> ImportedRecord:
    """Rows are read one at a time (``text`` may be an open file); a field longer than
    ``csv.field_size_limit()`` is a problem of its line, not a crash."""
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.DictReader(lines)
    try:
        return _read_fatebook(reader, members)
    except csv.Error as error:
        raise MalformedFile([f"line {reader.line_num}: {error}"]) from None


def _read_fatebook(reader: csv.DictReader[str], members: dict[str, int]) -> ImportedRecord:
    problems = Problems()
    headers = reader.fieldnames or []
    missing = [h for h in FATEBOOK_REQUIRED if h not in headers]
    if missing:
        raise MalformedFile(
            [
                f"line 1: not a Fatebook CSV export; missing "
                f"{'column' if len(missing) == 1 else 'columns'} {', '.join(missing)}"
            ]
        )
    members = {k.casefold(): v for k, v in members.items()}
    questions: dict[tuple[str, str], ImportedPrediction] = {}
    skipped: list[str] = []
    for row in reader:
        line = reader.line_num
        where = f"line {line}"
        if None in row:
            problems.add(where, "has more fields than the header")
            continue
        if (row.get("Multiple choice option") or "").strip():
            skipped.append(f"{where}: multiple-choice option skipped (yes/no only)")
            continue
        try:
            title = (row["Question title"] or "").strip()
            if not title:
                raise ValueError("the question title is empty")
            created = _fatebook_time(row["Question created at"] or "", "Question created at")
            raw_forecast = (row["Forecast (scale = 0-1)"] or "").strip()
            try:
                fraction = float(raw_forecast)
            except ValueError:
                shown = one_line(raw_forecast)[:30]
                raise ValueError(f"forecast `{shown}` is not a number from 0 to 1") from None
            if not 0 <= fraction <= 1:  # NaN and inf too
                raise ValueError(f"forecast {one_line(raw_forecast)[:30]} is outside 0–1")
            forecast_at = _fatebook_time(row["Forecast created at"] or "", "Forecast created at")
            resolution = (row.get("Resolution") or "").strip().upper()
            if resolution and resolution not in FATEBOOK_OUTCOMES:
                shown = one_line(resolution)[:30]
                raise ValueError(f"resolution `{shown}` is not YES, NO or AMBIGUOUS")
            key = (title, (row["Question created at"] or "").strip())
            question = questions.get(key)
            if question is None:
                resolve_by = _fatebook_time(row["Question resolve by"] or "", "Question resolve by")
                statement, details = fit_statement(
                    title, (row.get("Question notes") or "").strip() or None
                )
                author_name = (row.get("Question created by") or "").strip() or "unknown"
                resolved_at = None
                outcome = FATEBOOK_OUTCOMES.get(resolution)
                if outcome is not None:
                    raw = (row.get("Resolved at") or "").strip()
                    resolved_at = _fatebook_time(raw, "Resolved at") if raw else resolve_by
                tag_text = row.get("Question tags") or ""
                question = ImportedPrediction(
                    key=stable_key("fatebook", *key),
                    statement=statement,
                    details=details,
                    author=person_for(author_name, members, "fatebook"),
                    created_at=created,
                    resolves_at=resolve_by,
                    closes_at=resolve_by if resolved_at is None else min(resolve_by, resolved_at),
                    status=Status.OPEN if outcome is None else Status.RESOLVED,
                    outcome=outcome,
                    resolved_at=resolved_at,
                    tags=clean_tags(tag_text.replace(";", ",").split(",")),
                )
                questions[key] = question
            forecaster = person_for(row["Forecast created by"] or "", members, "fatebook")
            question.events.append(
                ImportedEvent(forecast_at, forecaster, clamp_probability(fraction))
            )
        except (ValueError, AuguryError) as error:
            problems.add(where, str(error))
    problems.check()
    return ImportedRecord("fatebook", list(questions.values()), skipped=skipped)


# --- PredictionBook --------------------------------------------------------------------------


def parse_predictionbook(document: Any, members: dict[str, int]) -> ImportedRecord:
    problems = Problems()
    items = document.get("predictions") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise MalformedFile(["not a PredictionBook export: expected a list of predictions"])
    members = {k.casefold(): v for k, v in members.items()}
    labels = {  # user id → name, from every response in the file (creators have no label)
        _pb_key(r.get("user_id")): r.get("user_label")
        for item in items
        if isinstance(item, dict) and isinstance(item.get("responses"), list)
        for r in item["responses"]
        if isinstance(r, dict) and isinstance(r.get("user_label"), str)
    }
    predictions: list[ImportedPrediction] = []
    for index, item in enumerate(items, start=1):
        where = f"prediction {index}"
        try:
            predictions.append(_predictionbook_item(item, members, labels))
        except (ValueError, KeyError, TypeError, AuguryError) as error:
            problems.add(where, str(error).strip("'\""))
    problems.check()
    return ImportedRecord("predictionbook", predictions)


def _pb_key(user_id: Any) -> str | None:
    """PredictionBook's user ids are numbers; anything else names nobody."""
    if isinstance(user_id, bool) or not isinstance(user_id, int | str):
        return None
    text = str(user_id).strip()
    return text if text.isdecimal() and len(text) <= 19 else None


def _pb_person(user_id: Any, label: Any, members: dict[str, int]) -> Person:
    key = _pb_key(user_id)
    if isinstance(label, str) and label.strip():
        name = " ".join(without_invisible(label).split())
    else:
        name = f"PredictionBook user {key or 'unknown'}"
    if name.casefold() in members:
        return members[name.casefold()]
    return Outsider(f"predictionbook:{key if key is not None else name}", name)


def _predictionbook_item(
    item: Any, members: dict[str, int], labels: dict[Any, Any]
) -> ImportedPrediction:
    if not isinstance(item, dict):
        raise ValueError("is not an object")
    if _pb_key(item.get("id")) is None or not isinstance(item.get("description"), str):
        raise ValueError("needs a numeric `id` and a text `description`")
    created = parse_time(item.get("created_at"), "created_at")
    deadline = parse_time(item.get("deadline"), "deadline")
    raw_outcome = item.get("outcome")
    if raw_outcome not in (True, False, None):
        raise ValueError(f"outcome {raw_outcome!r} is not true, false or null")
    outcome = None if raw_outcome is None else (Outcome.YES if raw_outcome else Outcome.NO)
    resolved_at = None
    if outcome is not None:
        judged = item.get("judged_at") or item.get("updated_at")
        resolved_at = parse_time(judged, "judged_at") if judged else deadline
    statement, details = fit_statement(str(item["description"]), None)
    responses = item.get("responses") or []
    if not isinstance(responses, list):
        raise ValueError("`responses` is not a list")
    creator = None
    events: list[ImportedEvent] = []
    for n, response in enumerate(responses, start=1):
        if not isinstance(response, dict):
            raise ValueError(f"response {n} is not an object")
        who = _pb_person(response.get("user_id"), response.get("user_label"), members)
        same = _pb_key(response.get("user_id")) == _pb_key(item.get("creator_id"))
        if same and creator is None:
            creator = who
        confidence = response.get("confidence")
        if confidence is None:
            continue  # a comment without a forecast
        if (
            isinstance(confidence, bool)
            or not isinstance(confidence, int | float)
            or not 0 <= confidence <= 100
        ):
            shown = one_line(repr(confidence))[:30]
            raise ValueError(f"response {n}: confidence {shown} is outside 0–100")
        events.append(
            ImportedEvent(
                parse_time(response.get("created_at"), f"response {n} created_at"),
                who,
                clamp_probability(confidence / 100),
            )
        )
    creator_id = _pb_key(item.get("creator_id"))
    author = creator or _pb_person(creator_id, labels.get(creator_id), members)
    withdrawn = bool(item.get("withdrawn"))
    status = Status.CANCELLED if withdrawn else Status.RESOLVED if outcome else Status.OPEN
    events.sort(key=lambda e: e.when)
    return ImportedPrediction(
        key=f"predictionbook:{_pb_uuid(item.get('uuid')) or _pb_key(item['id'])}",
        statement=statement,
        details=details,
        author=author,
        created_at=created,
        resolves_at=deadline,
        closes_at=deadline if resolved_at is None else min(deadline, resolved_at),
        status=status,
        outcome=None if withdrawn else outcome,
        resolved_at=None if withdrawn else resolved_at,
        events=events,
    )


def _pb_uuid(value: Any) -> str | None:
    """PredictionBook's uuid, if it looks like one (it becomes part of a stored key)."""
    if isinstance(value, str) and 0 < len(value) <= 64 and value.replace("-", "").isalnum():
        return value
    return None
