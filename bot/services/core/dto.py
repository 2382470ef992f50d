"""Plain values handed from services to cogs and rendering (no ORM objects leak upward).

Fields are typed with the domain's vocabulary, and the questions rendering asks of a
prediction ("is voting open?", "may the votes be shown?") are answered by the domain's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import rules
from bot.domain.vocabulary import Outcome, ShownStatus, Status, Visibility, VoteSource


@dataclass(frozen=True)
class Community:
    """The aggregate of the current votes."""

    count: int
    median: float | None = None  # per-mille
    geometric_mean: float | None = None  # per-mille
    permilles: tuple[int, ...] = ()
    # Any kind but yes/no (whose figures are the per-mille ones above): the kind's pool.
    pooled: object = None


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
    status: Status
    visibility: Visibility
    edited_at: datetime | None = None
    outcome: Outcome | None = None
    resolved_at: datetime | None = None
    resolver_id: int | None = None
    resolution_note: str | None = None
    resolution_source: str | None = None
    channel_id: int | None = None
    message_id: int | None = None
    thread_id: int | None = None
    source_message_url: str | None = None
    community: Community = field(default_factory=lambda: Community(count=0))
    render_version: int = 0
    tags: tuple[str, ...] = ()
    claimant_id: int | None = None  # "Track as prediction": who made the claim
    # Display names the bot has seen (issue 11): embeds show names, not raw <@id>.
    names: tuple[tuple[int, str], ...] = ()
    # The web view (issue 20): @everyone can read the channel (None: unknown), and the server
    # opted in; together they decide whether the message links to the prediction's page.
    public_channel: bool | None = None
    server_on_web: bool = False
    kind: str = "yes_no"  # the question kind (bot.domain.kinds)
    outcome_value: object = None  # the kind's outcome when ``outcome`` is ANSWERED
    kind_spec: object = None  # the question's setup for its kind (options, a range)
    # The keycaps the bot adds to the message (the server's setting), for the footer's legend
    # (issue 23); None: not read, the legend stays general.
    keycaps: tuple[int, ...] | None = None

    def name_of(self, user_id: int) -> str | None:
        return dict(self.names).get(user_id)

    def voting_open(self, now: datetime) -> bool:
        return rules.voting_open(self.status, self.closes_at, now)

    def shown_status(self, now: datetime) -> ShownStatus:
        return rules.shown_status(self.status, self.closes_at, now)

    def votes_shown(self, now: datetime) -> bool:
        return rules.votes_shown(self.visibility, self.status, self.closes_at, now)


@dataclass(frozen=True)
class VoteTarget:
    """The few facts about a prediction that voting needs."""

    id: int
    guild_id: int
    number: int
    author_id: int
    status: Status
    closes_at: datetime
    visibility: Visibility
    channel_id: int | None
    message_id: int | None
    kind: str = "yes_no"
    kind_spec: object = None  # the question's setup for its kind (options, a range)

    def voting_open(self, now: datetime) -> bool:
        return rules.voting_open(self.status, self.closes_at, now)


@dataclass(frozen=True)
class VoteResult:
    target: VoteTarget
    previous: int | None
    permille: int | None  # None: retracted
    previous_source: VoteSource | None = None
    changed: bool = True
    # The forecasts in the kind's own terms (for yes/no the same per-mille as above).
    previous_forecast: object = None
    forecast: object = None


@dataclass(frozen=True)
class MyVote:
    target: VoteTarget
    current: int | None
    history: tuple[tuple[datetime, int | None, VoteSource], ...]
    following: bool
    reason: str | None = None
    brier: float | None = None  # once resolved (not AMBIGUOUS)
    relative_brier: float | None = None


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
    default_visibility: Visibility
    reminder_interval_hours: int
    reminder_count: int
    close_warning: bool
    archive_on_resolve: bool
    reaction_keycaps: tuple[int, ...]
    leaderboard_min_resolved: int
    voters_follow: bool = False
