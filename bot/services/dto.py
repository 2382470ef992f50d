"""Plain values handed from services to cogs and rendering (no ORM objects leak upward)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Community:
    """The aggregate of the current votes."""

    count: int
    median: float | None = None  # per-mille
    geometric_mean: float | None = None  # per-mille
    permilles: tuple[int, ...] = ()


@dataclass(frozen=True)
class PredictionInfo:
    id: int
    guild_id: int
    number: int
    author_id: int
    statement: str
    details: str | None
    created_at: datetime
    resolves_at: datetime
    closes_at: datetime
    status: str
    visibility: str
    edited_at: datetime | None = None
    outcome: str | None = None
    resolved_at: datetime | None = None
    resolver_id: int | None = None
    resolution_note: str | None = None
    resolution_source: str | None = None
    channel_id: int | None = None
    message_id: int | None = None
    thread_id: int | None = None
    source_message_url: str | None = None
    community: Community = field(default_factory=lambda: Community(count=0))
    votes_version: int = 0

    def is_closed(self, now: datetime) -> bool:
        """Voting has stopped: closed by time, resolved or cancelled."""
        return self.status != "open" or now >= self.closes_at

    def display_status(self, now: datetime) -> str:
        if self.status == "open" and now >= self.closes_at:
            return "closed"
        return self.status


@dataclass(frozen=True)
class Page:
    items: tuple[PredictionInfo, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class EditResult:
    prediction: PredictionInfo
    changed: tuple[str, ...]


@dataclass(frozen=True)
class GuildConfig:
    guild_id: int
    prediction_channel_id: int | None
    moderator_role_id: int | None
    timezone: str | None
    default_visibility: str
    reminder_interval_hours: int
    reminder_count: int
    close_warning: bool
    archive_on_resolve: bool
    reaction_keycaps: tuple[int, ...]
    leaderboard_min_resolved: int
