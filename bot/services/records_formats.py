"""The one shape every imported record takes, and what the readers share.

Readers (:mod:`bot.services.records_readers`, :mod:`bot.services.records_foreign`) turn a file
into an :class:`ImportedRecord`; :mod:`bot.services.records_import` writes it. Pure: no
database. Every problem is collected with its line (CSV) or item (JSON) number, so a malformed
file is reported whole and nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import AuguryError
from bot.domain.tags import TAGS_PER_PREDICTION, normalise_tag
from bot.domain.text import STATEMENT_MAX
from bot.domain.vocabulary import Outcome, Status, Visibility, VoteSource
from bot.forecasting.probability import clamp_permille

MIN_PERMILLE, MAX_PERMILLE = 10, 990

#: The server settings a JSON record carries (export writes them, import restores them).
SERVER_SETTINGS = (
    "prediction_channel_id",
    "moderator_role_id",
    "timezone",
    "default_visibility",
    "reminder_interval_hours",
    "reminder_count",
    "close_warning",
    "archive_on_resolve",
    "reaction_keycaps",
    "leaderboard_min_resolved",
    "voters_follow",
)


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
    reason: str | None = None


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
    claimant: Person | None = None  # whose message it was tracked from
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


# --- shared ----------------------------------------------------------------------------------


class Problems:
    """Problems found while reading, each with its line or item; raised together."""

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
    """0–1 → per-mille within Augury's 1–99 %: the ends as the keycaps and typed votes keep them."""
    return clamp_permille(round(fraction * 1000))


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
