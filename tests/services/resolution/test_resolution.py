"""Resolving and reopening against a migrated database (SQLite, or PostgreSQL when given).

Every prediction here resolves on day 10 from the fake clock's start; the author forecast 60 %
on day 0, VOTER 80 % on day 1 and THIRD 20 % on day 2, so all three hold a vote from day 2 on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import (
    AuguryError,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    PredictionNotFound,
)
from bot.services.registry import Services
from db.models import PredictionEdit
from tests.conftest import AUTHOR, GUILD, MOD, OTHER_GUILD, VOTER
from tests.services.resolution.scene import (
    AUTHOR_ACTOR,
    BYSTANDER,
    DAY,
    MOD_ROLE,
    OTHER_ROLE,
    RESOLVES_AT,
    ROLE_MODERATOR,
    SERVER_MANAGER,
    THIRD,
    create,
    everything,
    row_of,
    scores_of,
)

# --- resolving ----------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["yes", "no", "ambiguous"])
@pytest.mark.parametrize(
    "actor",
    [AUTHOR_ACTOR, ROLE_MODERATOR, SERVER_MANAGER],
    ids=["author", "moderator-role", "manage-server"],
)
async def test_author_or_moderator_resolves_early(
    services: Services, clock: FakeClock, actor: Actor, outcome: str
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock)
    now = clock.now()
    assert now < RESOLVES_AT  # early resolution is allowed

    resolved = await services.resolution.resolve(
        GUILD, 1, actor, outcome, note="  The council opened it.  ", source="https://example.org"
    )

    info = resolved.prediction
    assert (info.id, info.status, info.outcome) == (prediction_id, "resolved", outcome)
    assert (info.resolver_id, info.resolved_at) == (actor.user_id, now)
    assert info.resolution_note == "The council opened it."
    assert info.resolution_source == "https://example.org"
    assert info.community.count == 3
    assert resolved.followers == (AUTHOR, VOTER, THIRD)
    assert resolved.archive_thread is False
    stored = await services.predictions.get(GUILD, 1)
    assert (stored.status, stored.outcome) == ("resolved", outcome)
    assert stored.resolver_id == actor.user_id


@pytest.mark.parametrize(("outcome", "happened"), [("yes", True), ("no", False)])
async def test_yes_and_no_write_everyones_scores(
    services: Services, clock: FakeClock, outcome: str, happened: bool
) -> None:
    prediction_id = await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, outcome.upper())
    scores = await scores_of(services, prediction_id)
    assert set(scores) == {AUTHOR, VOTER, THIRD}
    assert {user: s.permille for user, s in scores.items()} == {
        AUTHOR: 600,
        VOTER: 800,
        THIRD: 200,
    }
    for user, score in scores.items():
        assert score.outcome is happened
        assert score.guild_id == GUILD and score.resolved_at == clock.now()
        expected = (score.permille / 1000 - (1.0 if happened else 0.0)) ** 2
        assert score.brier == pytest.approx(expected), user
    row = await row_of(services, prediction_id)
    assert row.community_permille == 600  # median of 20 %, 60 %, 80 %
    assert row.community_brier == pytest.approx((0.6 - (1.0 if happened else 0.0)) ** 2)


async def test_ambiguous_writes_no_scores(services: Services, clock: FakeClock) -> None:
    prediction_id = await create(services, clock)
    resolved = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "ambiguous")
    assert resolved.prediction.outcome == "ambiguous"
    assert await scores_of(services, prediction_id) == {}
    row = await row_of(services, prediction_id)
    assert (row.community_permille, row.community_brier, row.community_log) == (None, None, None)


async def test_resolving_stops_reminders_and_close_warnings(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, close_warning=True)
    prediction_id = await create(services, clock)
    before = await row_of(services, prediction_id)
    assert before.next_reminder_at == RESOLVES_AT and before.close_warning_at is not None
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    after = await row_of(services, prediction_id)
    assert (after.next_reminder_at, after.close_warning_at) == (None, None)
    clock.set(RESOLVES_AT + 30 * DAY)
    assert await services.reminders.due(clock.now()) == []


async def test_followers_exclude_unfollowers_and_include_explicit_followers(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, archive_on_resolve=True)
    prediction_id = await create(services, clock)
    await services.votes.set_following(GUILD, prediction_id, VOTER, False)
    await services.votes.set_following(GUILD, prediction_id, BYSTANDER, True)
    resolved = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    assert resolved.followers == (AUTHOR, THIRD, BYSTANDER)
    assert resolved.archive_thread is True
    # Unfollowing stops pings, not scoring.
    assert VOTER in await scores_of(services, prediction_id)


async def test_exactly_1000_character_note_is_accepted(
    services: Services, clock: FakeClock
) -> None:
    await create(services, clock, votes=False)
    resolved = await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes", note="n" * 1000)
    assert resolved.prediction.resolution_note == "n" * 1000


async def test_concurrent_resolutions_let_exactly_one_win(
    services: Services, clock: FakeClock
) -> None:
    """Two moderators press Yes and No at the same moment: one wins, the other is told."""
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock)
    results = await asyncio.gather(
        services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes"),
        services.resolution.resolve(GUILD, 1, ROLE_MODERATOR, "no"),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], InvalidState) and "already resolved" in str(lost[0])
    winner = won[0].prediction
    row = await row_of(services, prediction_id)
    assert (row.outcome, row.resolver_id) == (winner.outcome, winner.resolver_id)
    scores = await scores_of(services, prediction_id)
    assert {s.outcome for s in scores.values()} == {winner.outcome == "yes"}


async def test_concurrent_reopens_log_once(services: Services, clock: FakeClock) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    results = await asyncio.gather(
        services.resolution.reopen(GUILD, 1, SERVER_MANAGER, reason="Misread"),
        services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Misread"),
        return_exceptions=True,
    )
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(lost) == 1 and isinstance(lost[0], InvalidState), results
    # the resolution and one reopen
    assert len(await services.predictions.edits(GUILD, 1)) == 2


# --- reopening ----------------------------------------------------------------------------------


async def test_reopen_removes_scores_logs_and_resumes_reminders(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes", note="Opened", source="x")
    assert len(await scores_of(services, prediction_id)) == 3
    clock.advance(hours=1)

    reopened = await services.resolution.reopen(GUILD, 1, SERVER_MANAGER, reason="Not yet open")
    info = reopened.prediction
    assert reopened.reason == "Not yet open"

    assert (info.status, info.outcome, info.resolver_id, info.resolved_at) == (
        "open",
        None,
        None,
        None,
    )
    assert (info.resolution_note, info.resolution_source) == (None, None)
    assert await scores_of(services, prediction_id) == {}
    row = await row_of(services, prediction_id)
    assert (row.community_permille, row.community_brier, row.community_log) == (None, None, None)
    # Reopened before its date: the first reminder is at the resolution date again.
    assert (row.next_reminder_at, row.reminders_sent) == (RESOLVES_AT, 0)
    resolved_at = clock.now() - timedelta(hours=1)
    assert await services.predictions.edits(GUILD, 1) == [
        (AUTHOR, "outcome", resolved_at),
        (MOD, "outcome", clock.now()),
    ]
    async with services.ctx.sessions() as session:
        logged = await session.execute(
            select(PredictionEdit.old_value, PredictionEdit.new_value).order_by(PredictionEdit.id)
        )
        assert list(logged) == [(None, "yes"), ("yes", None)]
    clock.set(RESOLVES_AT)
    [due] = await services.reminders.due(clock.now())
    assert due.prediction_id == prediction_id


async def test_reopen_after_the_date_reminds_one_interval_later(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, reminder_interval_hours=24)
    prediction_id = await create(services, clock)
    clock.set(RESOLVES_AT + DAY)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "no")
    await services.resolution.reopen(GUILD, 1, SERVER_MANAGER, reason="Misread")
    row = await row_of(services, prediction_id)
    assert row.next_reminder_at == clock.now() + timedelta(hours=24)
    assert await services.reminders.due(clock.now()) == []


async def test_resolving_again_after_reopen_replaces_the_resolution(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    prediction_id = await create(services, clock)
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")
    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Misread")
    clock.advance(DAY)
    again = await services.resolution.resolve(GUILD, 1, SERVER_MANAGER, "no", note="Misread")
    assert (again.prediction.outcome, again.prediction.resolver_id) == ("no", MOD)
    assert again.prediction.resolved_at == clock.now()
    assert again.prediction.resolution_note == "Misread"
    scores = await scores_of(services, prediction_id)
    assert set(scores) == {AUTHOR, VOTER, THIRD}
    assert all(s.outcome is False and s.resolved_at == clock.now() for s in scores.values())
    assert scores[VOTER].brier == pytest.approx(0.64)
    row = await row_of(services, prediction_id)
    assert row.next_reminder_at is None
    # resolve, reopen, resolve again: each in the log
    assert [field for _, field, _ in await services.predictions.edits(GUILD, 1)] == ["outcome"] * 3
    # And once more: reopen, ambiguous, nothing scored.
    await services.resolution.reopen(GUILD, 1, ROLE_MODERATOR, reason="Void")
    await services.resolution.resolve(GUILD, 1, SERVER_MANAGER, "ambiguous")
    assert await scores_of(services, prediction_id) == {}


# --- refusals: explained, and nothing written ----------------------------------------------------

Action = Callable[[Services], Awaitable[object]]


async def _resolve_yes(services: Services) -> None:
    await services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes")


async def _cancel(services: Services) -> None:
    await services.predictions.cancel(GUILD, 1, AUTHOR_ACTOR)


async def _nothing(services: Services) -> None:
    return None


def _resolve(actor: Actor, outcome: str = "no", **kw: str) -> Action:
    def action(services: Services) -> Awaitable[object]:
        return services.resolution.resolve(GUILD, 1, actor, outcome, **kw)

    return action


def _reopen(actor: Actor) -> Action:
    def action(services: Services) -> Awaitable[object]:
        return services.resolution.reopen(GUILD, 1, actor)

    return action


REFUSALS: list[tuple[str, Action, Action, type[AuguryError], str]] = [
    ("twice", _resolve_yes, _resolve(AUTHOR_ACTOR), InvalidState, "already resolved YES"),
    ("cancelled", _cancel, _resolve(AUTHOR_ACTOR), InvalidState, "cancelled"),
    ("voter", _nothing, _resolve(Actor(VOTER)), NotAllowed, "Only the author of #1"),
    (
        "other-role",
        _nothing,
        _resolve(Actor(VOTER, frozenset({OTHER_ROLE}))),
        NotAllowed,
        "moderator",
    ),
    ("unknown-outcome", _nothing, _resolve(AUTHOR_ACTOR, "maybe"), InvalidInput, "`yes`, `no`"),
    ("empty-outcome", _nothing, _resolve(AUTHOR_ACTOR, " "), InvalidInput, "`ambiguous`"),
    ("long-note", _nothing, _resolve(AUTHOR_ACTOR, note="n" * 1001), InvalidInput, "1000"),
    ("long-source", _nothing, _resolve(AUTHOR_ACTOR, source="s" * 513), InvalidInput, "512"),
    ("reopen-open", _nothing, _reopen(AUTHOR_ACTOR), InvalidState, "not resolved"),
    ("reopen-cancelled", _cancel, _reopen(AUTHOR_ACTOR), InvalidState, "not resolved"),
    ("reopen-by-voter", _resolve_yes, _reopen(Actor(VOTER)), NotAllowed, "can reopen it"),
]


@pytest.mark.parametrize(
    ("setup", "action", "error", "fragment"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
async def test_refusals_are_explained_and_write_nothing(
    services: Services,
    clock: FakeClock,
    setup: Action,
    action: Action,
    error: type[AuguryError],
    fragment: str,
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    await create(services, clock)
    await setup(services)
    before = await everything(services)
    clock.advance(hours=1)
    with pytest.raises(error) as caught:
        await action(services)
    assert fragment in str(caught.value)
    assert await everything(services) == before


async def test_moderator_role_counts_only_once_configured(
    services: Services, clock: FakeClock
) -> None:
    await create(services, clock)
    before = await everything(services)
    with pytest.raises(NotAllowed):
        await services.resolution.resolve(GUILD, 1, ROLE_MODERATOR, "yes")
    assert await everything(services) == before
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    resolved = await services.resolution.resolve(GUILD, 1, ROLE_MODERATOR, "yes")
    assert resolved.prediction.resolver_id == MOD


async def test_another_servers_number_is_not_found(services: Services, clock: FakeClock) -> None:
    await create(services, clock, guild_id=OTHER_GUILD)
    before = await everything(services)
    with pytest.raises(PredictionNotFound, match="no prediction #1 in this server"):
        await services.resolution.resolve(GUILD, 1, SERVER_MANAGER, "yes")
    with pytest.raises(PredictionNotFound):
        await services.resolution.reopen(GUILD, 1, SERVER_MANAGER)
    assert await everything(services) == before


# --- the reminder buttons' permission check ------------------------------------------------------


async def test_can_resolve_gives_the_number_to_author_and_moderators_only(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, moderator_role_id=MOD_ROLE)
    await create(services, clock, votes=False)
    second = await create(services, clock, votes=False)
    for actor in (AUTHOR_ACTOR, ROLE_MODERATOR, SERVER_MANAGER):
        assert await services.resolution.can_resolve(GUILD, second, actor) == 2
    with pytest.raises(NotAllowed, match="Only the author of #2"):
        await services.resolution.can_resolve(GUILD, second, Actor(VOTER))
    with pytest.raises(NotFound, match="no longer exists"):
        await services.resolution.can_resolve(OTHER_GUILD, second, SERVER_MANAGER)
    with pytest.raises(NotFound, match="no longer exists"):
        await services.resolution.can_resolve(GUILD, second + 100, SERVER_MANAGER)


async def test_cancel_and_resolve_at_the_same_moment_let_exactly_one_win(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock)
    results = await asyncio.gather(
        services.resolution.resolve(GUILD, 1, AUTHOR_ACTOR, "yes"),
        services.predictions.cancel(GUILD, 1, AUTHOR_ACTOR),
        return_exceptions=True,
    )
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(lost) == 1 and isinstance(lost[0], InvalidState), results
    row = await row_of(services, prediction_id)
    scores = await scores_of(services, prediction_id)
    # Never a cancelled prediction carrying an outcome or scores.
    assert (row.status == "cancelled") == (row.outcome is None) == (not scores)
