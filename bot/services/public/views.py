"""Plain values the public web view renders, as pages and as JSON.

Every field here is public by construction: the reader fills names only for listed members,
forecasts only when Discord shows them, and never a Discord id of a member who is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.vocabulary import Outcome, ShownStatus, Visibility
from bot.forecasting.calibration import Bucket


@dataclass(frozen=True)
class Person:
    """Someone named on a page: a link to their profile only when they are listed."""

    name: str
    user_id: int | None = None  # None: not listed (private, forgotten, imported, unknown)


@dataclass(frozen=True)
class PublicServer:
    guild_id: int
    name: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class PredictionRow:
    """One line of a list."""

    number: int
    statement: str
    status: ShownStatus
    resolves_at: datetime
    resolved_at: datetime | None
    outcome: Outcome | None
    community_permille: float | None  # None: no votes, or hidden
    voters: int
    # Any kind: the outcome in the kind's words ("YES", "Anthropic"); the question's kind.
    outcome_said: str | None = None
    kind: str = "yes_no"


@dataclass(frozen=True)
class RowPage:
    rows: tuple[PredictionRow, ...]
    next_cursor: str | None  # None: this was the last page


@dataclass(frozen=True)
class Edit:
    """One line of the edit log that proves the preregistration."""

    who: Person
    field: str
    old: str | None
    new: str | None
    when: datetime
    reason: str | None


@dataclass(frozen=True)
class PublicPrediction:
    id: int
    guild_id: int
    number: int
    statement: str
    details: str | None
    author: Person
    created_at: datetime
    resolves_at: datetime
    closes_at: datetime
    status: ShownStatus
    visibility: Visibility
    tags: tuple[str, ...]
    voters: int
    forecasts_shown: bool  # False: hidden until voting closes, exactly as in Discord
    median_permille: float | None
    geometric_mean_permille: float | None
    outcome: Outcome | None
    resolved_at: datetime | None
    resolver: Person | None
    resolution_note: str | None
    resolution_source: str | None
    edits: tuple[Edit, ...]
    version: int  # moves with every change the page shows (for caches and preview images)
    # Any kind, in its own words: the community forecast (None: no votes, or hidden) and
    # the outcome ("YES", "Anthropic"). The per-mille figures above are yes/no's only.
    kind: str = "yes_no"
    kind_title: str = "yes/no"
    community_said: str | None = None
    outcome_said: str | None = None


@dataclass(frozen=True)
class History:
    """The community forecast after each change, and every vote cast (no member ids)."""

    community: tuple[tuple[datetime, float], ...]
    votes: tuple[tuple[datetime, int], ...]


@dataclass(frozen=True)
class Forecast:
    """A member's current forecast on a prediction whose forecasts are shown."""

    number: int
    statement: str
    permille: int | None  # yes/no; None for another kind (see ``said``)
    when: datetime
    status: ShownStatus
    outcome: Outcome | None
    said: str = ""  # the forecast in its kind's words
    outcome_said: str | None = None


@dataclass(frozen=True)
class PublicMember:
    guild_id: int
    user_id: int
    name: str
    resolved: int
    mean_brier: float | None
    mean_relative_brier: float | None
    mean_log: float | None
    calibration: tuple[Bucket, ...]
    recent: tuple[Forecast, ...]


@dataclass(frozen=True)
class Ranked:
    rank: int
    who: Person
    value: float
    count: int


@dataclass(frozen=True)
class PublicLeaderboard:
    period: str
    metric: str
    tag: str | None
    page: int
    pages: int
    total: int
    min_resolved: int
    rows: tuple[Ranked, ...]
    #: The kind ranked (the raw metrics are one kind's scale); None: every kind together.
    kind: str | None = None
    kind_title: str | None = None
