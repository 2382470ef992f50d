"""The one shape every imported record takes, and what the readers share.

Readers (:mod:`bot.services.records.readers`, :mod:`bot.services.records.foreign`) turn a file
into an :class:`ImportedRecord`; :mod:`bot.services.records.importing` writes it. Pure: no
database. Every problem is collected with its line (CSV) or item (JSON) number, so a malformed
file is reported whole and nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import AuguryError
from bot.domain.numbers import NUMBER_MAX
from bot.domain.tags import TAGS_PER_PREDICTION, normalise_tag
from bot.domain.text import STATEMENT_MAX, without_invisible
from bot.domain.vocabulary import Outcome, Status, Visibility, VoteSource
from bot.domain.words import plural
from bot.forecasting.probability import MAX_PERMILLE, MIN_PERMILLE, clamp_permille

#: The largest import file read (bytes): a 200,000-forecast Fatebook CSV is about 40 MB.
MAX_IMPORT_BYTES = 100 * 1024 * 1024
#: The most forecasts (vote changes) one import may carry.
MAX_IMPORT_FORECASTS = 500_000
#: The longest CSV field (characters): Fatebook's longest field is a question's notes.
MAX_CSV_FIELD = 64 * 1024
#: Discord ids (snowflakes) are below 2**63: a larger number names nothing and overflows BIGINT.
DISCORD_ID_MAX = 2**63 - 1
#: How long one reported problem may be, and how many are named in the one-line error.
PROBLEM_CHARS = 200
PROBLEMS_SHOWN = 3

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
    """The file cannot be imported; ``problems`` name rows or items.

    The message is ONE line (the command line prints it as is): the first few problems, and
    how many more there are.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = [one_line(p) for p in problems]
        shown = "; ".join(self.problems[:PROBLEMS_SHOWN])
        more = len(self.problems) - PROBLEMS_SHOWN
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(
            f"Nothing was imported; the file has {plural(len(problems), 'problem')}: {shown}{tail}"
        )


def one_line(text: str) -> str:
    """A problem as one visible line of bounded length (it may echo the file's text)."""
    flat = " ".join(without_invisible(text).split())
    return flat if len(flat) <= PROBLEM_CHARS else flat[: PROBLEM_CHARS - 1] + "…"


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
    """ISO 8601 or ``YYYY-MM-DD HH:MM:S(S)``; naive times are UTC.

    A moment that cannot be said in UTC (``9999-12-31T23:30-05:00`` is past year 9999 there)
    is refused here; whether it is plausible is :mod:`bot.services.records.checks`' question.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is missing")
    text = value.strip().replace("Z", "+00:00")
    shown = one_line(value)[:40]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise ValueError(f"{what} `{shown}` is not a date like 2024-05-01 13:45:00") from None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{what} `{shown}` is outside the years a date can have") from None


def discord_id(value: Any, what: str) -> int:
    """A Discord id from a file (a number or its digits): 1…2**63-1, like every snowflake."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{what} is not a Discord id")
    text = str(value).strip()
    if not text.isdecimal() or len(text) > len(str(DISCORD_ID_MAX)):
        raise ValueError(f"{what} `{one_line(text)[:30]}` is not a Discord id")
    number = int(text)
    if not 0 < number <= DISCORD_ID_MAX:
        raise ValueError(f"{what} `{text}` is not a Discord id")
    return number


def prediction_number(value: Any) -> int:
    """A prediction's number from a file: 1…NUMBER_MAX, as the database stores it."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("the number is missing or not a whole number")
    text = str(value).strip()
    if not text.isdecimal() or len(text) > len(str(NUMBER_MAX)) or not 1 <= int(text) <= NUMBER_MAX:
        raise ValueError(f"the number `{one_line(text)[:30]}` is not a whole number 1–{NUMBER_MAX}")
    return int(text)


def permille_of(value: Any, what: str) -> int:
    """A stored per-mille from a file: a whole number 10…990 (finite, not a bool)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (MIN_PERMILLE <= value <= MAX_PERMILLE)
    ):
        raise ValueError(f"{what}: permille {one_line(repr(value))[:30]} is not 10–990")
    return value


def clamp_probability(fraction: float) -> int:
    """0–1 → per-mille within Augury's 1–99 % (the ends count as 1 % and 99 %, like a vote)."""
    if not 0 <= fraction <= 1:  # also NaN
        raise ValueError(f"forecast {fraction} is outside 0–1")
    return clamp_permille(round(fraction * 1000))


def fit_statement(title: str, details: str | None) -> tuple[str, str | None]:
    """A title longer than a statement may be is cut, and kept whole in the details."""
    title = " ".join(title.split())
    if len(title) <= STATEMENT_MAX:
        return title, details
    cut = title[: STATEMENT_MAX - 1] + "…"
    return cut, f"{title}\n\n{details}" if details else title


def clean_tags(raw: list[Any]) -> tuple[str, ...]:
    """Tags by the slash command's rule (:func:`normalise_tag`), invisible characters removed."""
    names: list[str] = []
    for part in raw:
        if not isinstance(part, str):
            raise ValueError("a tag is not text")
        part = without_invisible(part)
        if part.strip():
            name = normalise_tag(part)
            if name not in names:
                names.append(name)
    return tuple(names[:TAGS_PER_PREDICTION])


def stable_key(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"{prefix}:{digest}"
