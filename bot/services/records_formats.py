"""Reading foreign records into one shape: Augury's own JSON, Fatebook's CSV export and
PredictionBook's JSON API output. Pure parsing, no database: every problem is collected with
its row (CSV) or item (JSON) number, so a malformed file is reported whole and writes nothing.

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
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import AuguryError
from bot.domain.tags import TAGS_PER_PREDICTION, normalise_tag
from bot.domain.text import STATEMENT_MAX
from bot.domain.vocabulary import Outcome, Status, Visibility, VoteSource

MIN_PERMILLE, MAX_PERMILLE = 10, 990


@dataclass(frozen=True)
class Outsider:
    """A forecaster without a Discord id in the file: ``key`` is unique within the file."""

    key: str
    name: str | None


Person = int | Outsider


@dataclass(frozen=True)
class ImportedEvent:
    when: datetime
    who: Person
    permille: int | None
    source: VoteSource = VoteSource.IMPORTED


@dataclass
class ImportedPrediction:
    key: str  # idempotency key: the same question in the same file always gets the same key
    statement: str
    author: Person
    created_at: datetime
    resolves_at: datetime
    closes_at: datetime
    details: str | None = None
    number: int | None = None
    status: Status = Status.OPEN
    visibility: Visibility = Visibility.VISIBLE
    outcome: Outcome | None = None
    resolved_at: datetime | None = None
    resolver: Person | None = None
    resolution_note: str | None = None
    resolution_source: str | None = None
    source_message_url: str | None = None
    edited_at: datetime | None = None
    tags: tuple[str, ...] = ()
    events: list[ImportedEvent] = field(default_factory=list)
    votes: list[tuple[Person, int, VoteSource, datetime]] | None = None  # None: from events
    follows: list[tuple[Person, bool]] = field(default_factory=list)
    edits: list[tuple[Person, str, str | None, str | None, datetime]] = field(default_factory=list)
    discord_ids: tuple[int | None, int | None, int | None] = (None, None, None)
    reminders: tuple[datetime | None, int, datetime | None] | None = None


@dataclass
class ImportedRecord:
    source: str  # augury, fatebook, predictionbook
    predictions: list[ImportedPrediction]
    source_guild_id: int | None = None
    settings: dict[str, Any] | None = None
    member_timezones: dict[int, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    outsiders: list[Outsider] = field(default_factory=list)


class MalformedFile(AuguryError):
    """The file cannot be imported; ``problems`` name rows or items."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"Nothing was imported; the file has {len(problems)} problem(s):\n{shown}{more}"
        )


def detect_and_parse(
    data: bytes, filename: str, members: dict[str, int] | None = None
) -> ImportedRecord:
    """Augury or PredictionBook JSON, or Fatebook CSV, by content."""
    text = data.decode("utf-8-sig", errors="strict")
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise MalformedFile([f"line {error.lineno}: not valid JSON ({error.msg})"]) from None
        if isinstance(document, dict) and document.get("format") == "augury":
            return parse_augury(document)
        return parse_predictionbook(document, members or {})
    return parse_fatebook_csv(text, members or {})


# --- shared ----------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, text: str) -> None:
        self.items.append(f"{where}: {text}")

    def check(self) -> None:
        if self.items:
            raise MalformedFile(self.items)


def parse_time(value: Any, what: str) -> datetime:
    """ISO 8601 or ``YYYY-MM-DD HH:MM:S(S)``; naive times are UTC."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is missing")
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise ValueError(f"{what} `{value}` is not a date like 2024-05-01 13:45:00") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def clamp_probability(fraction: float) -> int:
    """0–1 → per-mille within Augury's 1–99 %."""
    return min(MAX_PERMILLE, max(MIN_PERMILLE, round(fraction * 1000)))


def fit_statement(title: str, details: str | None) -> tuple[str, str | None]:
    """A title longer than a statement may be is cut, and kept whole in the details."""
    title = " ".join(title.split())
    if len(title) <= STATEMENT_MAX:
        return title, details
    cut = title[: STATEMENT_MAX - 1] + "…"
    return cut, f"{title}\n\n{details}" if details else title


def clean_tags(raw: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    for part in raw:
        if part.strip():
            name = normalise_tag(part)
            if name not in names:
                names.append(name)
    return tuple(names[:TAGS_PER_PREDICTION])


def stable_key(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"{prefix}:{digest}"


# --- Augury ----------------------------------------------------------------------------------


def parse_augury(document: dict[str, Any]) -> ImportedRecord:
    problems = _Problems()
    if document.get("version") != 1:
        raise MalformedFile([f"version {document.get('version')!r} is not one this bot reads (1)"])
    try:
        source_guild = int(document["guild_id"])
    except (KeyError, TypeError, ValueError):
        raise MalformedFile(["`guild_id` is missing or not a number"]) from None
    outsiders = {
        str(o.get("key")): Outsider(f"augury:{source_guild}:{o.get('key')}", o.get("name"))
        for o in document.get("outside_forecasters") or []
        if isinstance(o, dict)
    }

    def who(value: Any, where: str) -> Person:
        if isinstance(value, str) and value in outsiders:
            return outsiders[value]
        try:
            user_id = int(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"{where} `{value}` is neither a Discord id nor a listed outsider"
            ) from None
        if user_id <= 0:
            raise ValueError(f"{where} `{value}` is not a Discord id")
        return user_id

    predictions: list[ImportedPrediction] = []
    items = document.get("predictions")
    if not isinstance(items, list):
        raise MalformedFile(["`predictions` is missing or not a list"])
    for index, item in enumerate(items, start=1):
        where = f"prediction {index}"
        try:
            predictions.append(_augury_prediction(item, source_guild, who, where))
        except (ValueError, KeyError, TypeError, AuguryError) as error:
            problems.add(where, str(error).strip("'\""))
    problems.check()
    zones: dict[int, str] = {}
    for user_id, zone in (document.get("member_timezones") or {}).items():
        if isinstance(zone, str) and str(user_id).isdigit():
            zones[int(user_id)] = zone
    settings = document.get("settings")
    return ImportedRecord(
        "augury",
        predictions,
        source_guild,
        settings if isinstance(settings, dict) else None,
        zones,
        outsiders=list(outsiders.values()),
    )


def _augury_prediction(
    item: Any, source_guild: int, who: Callable[[Any, str], Person], where: str
) -> ImportedPrediction:
    if not isinstance(item, dict):
        raise ValueError("is not an object")

    def opt_time(value: Any, what: str) -> datetime | None:
        return None if value is None else parse_time(value, what)

    number = int(item["number"])
    if (
        not isinstance(item.get("statement"), str)
        or not 0 < len(item["statement"]) <= STATEMENT_MAX
    ):
        raise ValueError(f"the statement must be text of 1–{STATEMENT_MAX} characters")
    discord = item.get("discord") or {}
    ids = tuple(
        None if discord.get(k) is None else int(discord[k])
        for k in ("channel_id", "message_id", "thread_id")
    )
    reminders = item.get("reminders")
    prediction = ImportedPrediction(
        key=f"augury:{source_guild}:{number}",
        number=number,
        statement=str(item["statement"]),
        details=item.get("details"),
        author=who(item["author"], "author"),
        created_at=parse_time(item["created_at"], "created_at"),
        resolves_at=parse_time(item["resolves_at"], "resolves_at"),
        closes_at=parse_time(item["closes_at"], "closes_at"),
        status=Status(item["status"]),
        visibility=Visibility(item["visibility"]),
        edited_at=opt_time(item.get("edited_at"), "edited_at"),
        outcome=None if item.get("outcome") is None else Outcome(item["outcome"]),
        resolved_at=opt_time(item.get("resolved_at"), "resolved_at"),
        resolver=None if item.get("resolver") is None else who(item["resolver"], "resolver"),
        resolution_note=item.get("resolution_note"),
        resolution_source=item.get("resolution_source"),
        source_message_url=item.get("source_message_url"),
        tags=clean_tags(list(item.get("tags") or [])),
        discord_ids=ids,  # type: ignore[arg-type]
        reminders=None
        if not isinstance(reminders, dict)
        else (
            opt_time(reminders.get("next_at"), "reminders.next_at"),
            int(reminders.get("sent") or 0),
            opt_time(reminders.get("close_warning_at"), "reminders.close_warning_at"),
        ),
    )
    for n, event in enumerate(item.get("vote_history") or [], start=1):
        permille = event.get("permille")
        if permille is not None and not MIN_PERMILLE <= int(permille) <= MAX_PERMILLE:
            raise ValueError(f"vote {n}: permille {permille} is outside 10–990")
        prediction.events.append(
            ImportedEvent(
                parse_time(event["created_at"], f"vote {n} time"),
                who(event["forecaster"], f"vote {n} forecaster"),
                None if permille is None else int(permille),
                VoteSource(event["source"]),
            )
        )
    prediction.votes = [
        (
            who(v["forecaster"], "vote forecaster"),
            int(v["permille"]),
            VoteSource(v["source"]),
            parse_time(v["updated_at"], "vote time"),
        )
        for v in item.get("votes") or []
    ]
    prediction.follows = [
        (who(f["member"], "follower"), bool(f["following"])) for f in item.get("follows") or []
    ]
    prediction.edits = [
        (
            who(e["editor"], "editor"),
            str(e["field"]),
            e.get("old"),
            e.get("new"),
            parse_time(e["at"], "edit time"),
        )
        for e in item.get("edits") or []
    ]
    return prediction


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
    cleaned = " ".join(name.split())
    if cleaned.casefold() in members:
        return members[cleaned.casefold()]
    return Outsider(f"{prefix}:{cleaned.casefold()}", cleaned or "unknown")


def parse_fatebook_csv(text: str, members: dict[str, int]) -> ImportedRecord:
    problems = _Problems()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = reader.fieldnames or []
    missing = [h for h in FATEBOOK_REQUIRED if h not in headers]
    if missing:
        raise MalformedFile(
            [f"line 1: not a Fatebook CSV export; missing column(s) {', '.join(missing)}"]
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
                raise ValueError(f"forecast `{raw_forecast}` is not a number from 0 to 1") from None
            if not 0 <= fraction <= 1:
                raise ValueError(f"forecast {fraction} is outside 0–1")
            forecast_at = _fatebook_time(row["Forecast created at"] or "", "Forecast created at")
            resolution = (row.get("Resolution") or "").strip().upper()
            if resolution and resolution not in FATEBOOK_OUTCOMES:
                raise ValueError(f"resolution `{resolution}` is not YES, NO or AMBIGUOUS")
            key = (title, row["Question created at"].strip())
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
    problems = _Problems()
    items = document.get("predictions") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise MalformedFile(["not a PredictionBook export: expected a list of predictions"])
    members = {k.casefold(): v for k, v in members.items()}
    labels = {  # user id → name, from every response in the file (creators have no label)
        r.get("user_id"): r.get("user_label")
        for item in items
        if isinstance(item, dict)
        for r in item.get("responses") or []
        if isinstance(r, dict) and r.get("user_label")
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


def _pb_person(user_id: Any, label: Any, members: dict[str, int]) -> Person:
    name = str(label).strip() if label else f"PredictionBook user {user_id}"
    if name.casefold() in members:
        return members[name.casefold()]
    return Outsider(f"predictionbook:{user_id if user_id is not None else name}", name)


def _predictionbook_item(
    item: Any, members: dict[str, int], labels: dict[Any, Any]
) -> ImportedPrediction:
    if not isinstance(item, dict):
        raise ValueError("is not an object")
    if "id" not in item or "description" not in item:
        raise ValueError("needs `id` and `description`")
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
    creator = None
    events: list[ImportedEvent] = []
    for n, response in enumerate(responses, start=1):
        if not isinstance(response, dict):
            raise ValueError(f"response {n} is not an object")
        who = _pb_person(response.get("user_id"), response.get("user_label"), members)
        if response.get("user_id") == item.get("creator_id") and creator is None:
            creator = who
        confidence = response.get("confidence")
        if confidence is None:
            continue  # a comment without a forecast
        if not isinstance(confidence, int | float) or not 0 <= confidence <= 100:
            raise ValueError(f"response {n}: confidence {confidence!r} is outside 0–100")
        events.append(
            ImportedEvent(
                parse_time(response.get("created_at"), f"response {n} created_at"),
                who,
                clamp_probability(confidence / 100),
            )
        )
    creator_id = item.get("creator_id")
    author = creator or _pb_person(creator_id, labels.get(creator_id), members)
    withdrawn = bool(item.get("withdrawn"))
    status = Status.CANCELLED if withdrawn else Status.RESOLVED if outcome else Status.OPEN
    events.sort(key=lambda e: e.when)
    return ImportedPrediction(
        key=f"predictionbook:{item.get('uuid') or item['id']}",
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
