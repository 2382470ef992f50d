"""Member and server records, calibration, leaderboards and history against a real database.

Most tests write ``scores`` rows directly (what resolution leaves behind) so each one states
exactly the numbers it ranks; one test goes the whole way from votes to the leaderboard.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, update

from bot.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.forecasting.calibration import calibration_table
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from bot.services.resolution.score_writer import write_scores
from bot.services.track_record.stats import Leaderboard, StatsService
from db.models import Prediction, Score
from tests.conftest import AUTHOR, GUILD, OTHER_GUILD, START, VOTER

DAY = timedelta(days=1)
MEMBER = 3_000_000_000_000_000  # members 3…000, 3…001, … in the seeded boards


def score(
    user_id: int,
    *,
    value: float = 0.1,
    permille: int = 600,
    outcome: bool = True,
    days_ago: float = 1,
    log: float | None = None,
    guild_id: int = GUILD,
) -> dict[str, Any]:
    """A scores row whose Brier, time-averaged and relative Brier all equal ``value``."""
    return {
        "guild_id": guild_id,
        "user_id": user_id,
        "permille": permille,
        "outcome": outcome,
        "brier": value,
        "time_brier": value,
        "relative_brier": value,
        "log_score": -value if log is None else log,
        "resolved_at": START - days_ago * DAY,
    }


async def seed(services: Services, rows: list[dict[str, Any]]) -> None:
    """Insert the rows, giving each member's n-th row the n-th prediction (one per member)."""
    seen: dict[int, int] = {}
    for row in rows:
        row["prediction_id"] = seen[row["user_id"]] = seen.get(row["user_id"], 0) + 1
    for number in range(max(seen.values(), default=0)):
        info = await services.predictions.create(
            NewPrediction(
                guild_id=GUILD, author_id=AUTHOR, statement=f"P{number}", resolves="2030-01-01"
            )
        )
        assert info.id == number + 1
    if rows:
        async with services.ctx.sessions.begin() as session:
            await session.execute(insert(Score), rows)


@pytest.fixture
def stats(services: Services) -> StatsService:
    return StatsService(services.ctx)


async def test_empty_server_and_member(stats: StatsService) -> None:
    member = await stats.member(GUILD, VOTER)
    assert member.resolved == 0
    assert (
        member.mean_brier,
        member.mean_time_brier,
        member.mean_relative_brier,
        member.mean_log,
    ) == (None, None, None, None)
    server = await stats.server(GUILD)
    assert (server.forecasts, server.members, server.resolved_predictions) == (0, 0, 0)
    assert server.mean_brier is None and server.community_brier is None
    buckets = await stats.calibration(GUILD, None)
    assert len(buckets) == 11 and all(b.count == 0 for b in buckets)
    board = await stats.leaderboard(GUILD, caller_id=VOTER)
    assert (board.rows, board.total, board.pages, board.page) == ((), 0, 1, 0)
    assert board.caller is None and board.caller_count == 0 and board.min_resolved == 5


async def test_member_and_server_means(services: Services, stats: StatsService) -> None:
    await seed(
        services,
        [
            score(VOTER, value=0.1, log=-0.2),
            score(VOTER, value=0.3, log=-0.6),
            score(MEMBER, value=0.5, log=-1.0),
            score(MEMBER, value=0.9, guild_id=OTHER_GUILD),
        ],
    )
    member = await stats.member(GUILD, VOTER)
    assert member.resolved == 2
    assert member.mean_brier == pytest.approx(0.2)
    assert member.mean_time_brier == pytest.approx(0.2)
    assert member.mean_relative_brier == pytest.approx(0.2)
    assert member.mean_log == pytest.approx(-0.4)
    server = await stats.server(GUILD)
    assert (server.forecasts, server.members) == (3, 2)
    assert server.mean_brier == pytest.approx(0.3) and server.mean_log == pytest.approx(-0.6)


async def test_votes_to_scores_to_records(services: Services, clock: FakeClock) -> None:
    """The whole way: votes, resolution (write_scores), then every figure of the record."""
    stats = StatsService(services.ctx)
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    ids = []
    for statement in ("Rain", "Snow", "Hail"):
        info = await services.predictions.create(
            NewPrediction(
                guild_id=GUILD, author_id=AUTHOR, statement=statement, resolves="in 10 days"
            )
        )
        ids.append(info.id)
        await services.votes.vote(GUILD, info.id, VOTER, 800, "slash")
        await services.votes.vote(GUILD, info.id, AUTHOR, 400, "slash")
    clock.advance(days=10)
    for prediction_id, outcome in zip(ids, ("yes", "no", "ambiguous"), strict=True):
        async with services.ctx.sessions.begin() as session:
            row = await session.get(Prediction, prediction_id)
            assert row is not None
            await write_scores(session, row, outcome, clock.now())
            row.status, row.outcome = "resolved", outcome

    voter = await stats.member(GUILD, VOTER)
    assert voter.resolved == 2 and voter.mean_brier == pytest.approx((0.04 + 0.64) / 2)
    server = await stats.server(GUILD)
    assert (server.forecasts, server.members, server.resolved_predictions) == (4, 2, 3)
    # The community said 60 % both times: Brier .16 on YES, .36 on NO.
    assert server.community_scored == 2
    assert server.community_brier == pytest.approx((0.16 + 0.36) / 2)
    board = await stats.leaderboard(GUILD, metric="brier", caller_id=VOTER)
    assert [(r.rank, r.user_id, r.count) for r in board.rows] == [(1, AUTHOR, 2), (2, VOTER, 2)]
    assert board.caller is not None and board.caller.rank == 2
    buckets = await stats.calibration(GUILD, VOTER)
    assert (buckets[8].count, buckets[8].yes_count) == (2, 1)


async def test_calibration_buckets_edges_in_sql(services: Services, stats: StatsService) -> None:
    """An edge belongs to the bucket above; the database agrees with bot.forecasting.calibration."""
    pairs = [
        (10, False),
        (49, False),
        (50, True),
        (149, True),
        (150, False),
        (449, True),
        (450, True),
        (500, False),
        (949, True),
        (950, True),
        (990, False),
        (990, True),
    ]
    await seed(
        services,
        [score(MEMBER + i, permille=p, outcome=o) for i, (p, o) in enumerate(pairs)]
        + [score(VOTER, permille=700, outcome=True, guild_id=OTHER_GUILD)],
    )
    buckets = await stats.calibration(GUILD, None)
    assert buckets == calibration_table(pairs)
    assert [b.count for b in buckets] == [2, 2, 1, 0, 1, 2, 0, 0, 0, 1, 3]
    assert buckets[10].yes_count == 2 and buckets[10].mean_forecast == pytest.approx(0.976666, 1e-5)
    assert buckets[1].observed_frequency == 1.0 and buckets[3].observed_frequency is None
    mine = await stats.calibration(GUILD, MEMBER + 2)
    assert [b.count for b in mine] == [0, 1] + [0] * 9
    assert sum(b.count for b in await stats.calibration(OTHER_GUILD, None)) == 1


async def board_of(stats: StatsService, **kw: Any) -> Leaderboard:
    return await stats.leaderboard(GUILD, **kw)


async def test_metric_ordering(services: Services, stats: StatsService) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    # Brier and relative: lower is better; log: higher (less negative) is better.
    await seed(
        services,
        [
            score(MEMBER, value=0.30, log=-0.1),
            score(MEMBER + 1, value=0.10, log=-0.9),
            score(MEMBER + 2, value=-0.05, log=-0.5),
        ],
    )
    relative = await board_of(stats, metric="relative")
    assert [r.user_id - MEMBER for r in relative.rows] == [2, 1, 0]
    assert [r.value for r in relative.rows] == pytest.approx([-0.05, 0.10, 0.30])
    log = await board_of(stats, metric="log")
    assert [r.user_id - MEMBER for r in log.rows] == [0, 2, 1]
    assert [r.rank for r in log.rows] == [1, 2, 3]


async def test_minimum_count_and_caller_short_of_it(
    services: Services, stats: StatsService
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=3)
    await seed(
        services,
        [score(MEMBER, value=0.2) for _ in range(3)] + [score(VOTER, value=0.01) for _ in range(2)],
    )
    board = await board_of(stats, caller_id=VOTER)
    assert [r.user_id for r in board.rows] == [MEMBER] and board.total == 1
    assert board.min_resolved == 3
    assert board.caller is None and board.caller_count == 2  # one more to go


async def test_period_filters_by_resolution_date(services: Services, stats: StatsService) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await seed(
        services,
        [
            score(MEMBER, days_ago=29.9),
            score(MEMBER, days_ago=31),
            score(MEMBER + 1, days_ago=89),
            score(MEMBER + 2, days_ago=364),
            score(MEMBER + 3, days_ago=400),
        ],
    )
    counts = {}
    for period in ("30d", "90d", "365d", "all"):
        board = await board_of(stats, period=period)
        counts[period] = {r.user_id - MEMBER: r.count for r in board.rows}
    assert counts == {
        "30d": {0: 1},
        "90d": {0: 2, 1: 1},
        "365d": {0: 2, 1: 1, 2: 1},
        "all": {0: 2, 1: 1, 2: 1, 3: 1},
    }
    short = await board_of(stats, period="30d", caller_id=MEMBER + 3)
    assert short.caller is None and short.caller_count == 0


async def test_pages_ties_and_caller_off_the_page(services: Services, stats: StatsService) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=2)
    # 25 members with two forecasts each; members 0 and 1 tie for first place.
    rows = []
    for i in range(25):
        value = 0.0 if i < 2 else i / 100
        rows += [score(MEMBER + i, value=value), score(MEMBER + i, value=value)]
    await seed(services, rows)
    first = await board_of(stats, caller_id=MEMBER + 24)
    assert (first.total, first.pages, first.page, len(first.rows)) == (25, 3, 0, 10)
    assert [r.rank for r in first.rows[:3]] == [1, 1, 3]
    assert first.caller is not None
    assert (first.caller.rank, first.caller.user_id, first.caller.count) == (25, MEMBER + 24, 2)
    assert first.caller not in first.rows

    last = await board_of(stats, page=2, caller_id=MEMBER + 3)
    assert [r.rank for r in last.rows] == [21, 22, 23, 24, 25]
    assert last.caller is not None and last.caller.rank == 4
    beyond = await board_of(stats, page=99, page_size=7)
    assert (beyond.page, beyond.pages, [r.rank for r in beyond.rows]) == (3, 4, [22, 23, 24, 25])
    assert beyond.caller is None and beyond.caller_count == 0
    ranks = []
    for page in range(first.pages):
        ranks += [r.user_id for r in (await board_of(stats, page=page)).rows]
    assert ranks == [MEMBER + i for i in range(25)]  # every member once, in order


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"period": "7d"}, "30d, 90d, 365d, all"),
        ({"metric": "accuracy"}, "relative, brier, log"),
    ],
)
async def test_invalid_period_or_metric(
    stats: StatsService, kw: dict[str, str], fragment: str
) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        await board_of(stats, **kw)


async def test_history_of_an_open_prediction(services: Services, clock: FakeClock) -> None:
    stats = StatsService(services.ctx)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Rain",
            resolves="in 10 days",
            probability="40",
        )
    )
    clock.advance(hours=1)
    await services.votes.vote(GUILD, info.id, VOTER, 800, "slash")
    clock.advance(hours=1)
    await services.votes.retract(GUILD, info.id, AUTHOR, "slash")
    history = await stats.history(GUILD, info.id)
    assert (history.number, history.statement, history.status) == (1, "Rain", "open")
    assert history.votes == ((START, 400), (START + timedelta(hours=1), 800))
    assert history.community == (
        (START, 400.0),
        (START + timedelta(hours=1), 600.0),
        (START + timedelta(hours=2), 800.0),
    )
    assert history.voters == 2
    with pytest.raises(NotFound):
        await stats.history(OTHER_GUILD, info.id)
    with pytest.raises(NotFound):
        await stats.history(GUILD, info.id + 100)


async def test_history_of_a_resolved_prediction(services: Services, clock: FakeClock) -> None:
    stats = StatsService(services.ctx)
    info = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Rain", resolves="in 10 days")
    )
    empty = await stats.history(GUILD, info.id)
    assert (empty.votes, empty.community, empty.voters) == ((), (), 0)
    await services.votes.vote(GUILD, info.id, VOTER, 700, "slash")
    async with services.ctx.sessions.begin() as session:
        await session.execute(
            update(Prediction)
            .where(Prediction.id == info.id)
            .values(status="resolved", outcome="yes")
        )
    history = await stats.history(GUILD, info.id)
    assert (history.status, history.outcome, history.votes) == ("resolved", "yes", ((START, 700),))
