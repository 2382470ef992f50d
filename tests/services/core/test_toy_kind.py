"""A question kind sketched here, in the test, flows through the unchanged services: created,
voted on, pooled, resolved, scored, reopened (issue #18's "done when").

The toy kind is a guess of a whole number 0…100, pooled by the lower median, scored by the
squared distance as a share of the range. Nothing in ``bot/services`` knows it: it is
registered from this module only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput
from bot.domain.kinds import (
    PointScore,
    QuestionKind,
    StoredForecast,
    StoredOutcome,
    register,
    unregister,
)
from bot.domain.kinds.base import Payload
from bot.domain.vocabulary import Outcome, Status
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Prediction, Score, Vote, VoteEvent
from tests.conftest import AUTHOR, GUILD, MOD, START, VOTER

THIRD = 2_000_000_000_000_004
DAY = timedelta(days=1)
SERVER_MANAGER = Actor(MOD, manages_guild=True)


class Guess(QuestionKind[int, int]):
    """Guess a whole number from 0 to 100."""

    name: ClassVar[str] = "toy_guess"
    title: ClassVar[str] = "guess"
    outcome_help: ClassVar[str] = "The outcome is a whole number from 0 to 100, or `ambiguous`."

    def parse_forecast(self, text: str) -> int:
        try:
            return self.validate(int(text.strip()))
        except ValueError:
            raise InvalidInput("Guess a whole number from 0 to 100, e.g. `42`.") from None

    def validate(self, forecast: object) -> int:
        if isinstance(forecast, bool) or not isinstance(forecast, int) or not 0 <= forecast <= 100:
            raise InvalidInput("Guess a whole number from 0 to 100, e.g. `42`.")
        return forecast

    def store_forecast(self, forecast: int) -> StoredForecast:
        return StoredForecast(None, {"guess": forecast})

    def load_forecast(self, permille: int | None, payload: Payload | None) -> int:
        return int(payload["guess"])

    def describe_forecast(self, forecast: int) -> str:
        return str(forecast)

    def pool(self, forecasts: Sequence[int]) -> int | None:
        ordered = sorted(forecasts)
        return ordered[(len(ordered) - 1) // 2] if ordered else None

    def parse_outcome(self, text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise InvalidInput(self.outcome_help) from None
        if not 0 <= value <= 100:
            raise InvalidInput(self.outcome_help)
        return value

    def store_outcome(self, outcome: int) -> StoredOutcome:
        return StoredOutcome(Outcome.ANSWERED, {"value": outcome})

    def load_outcome(self, stored: StoredOutcome) -> int:
        return int(stored.payload["value"])

    def describe_outcome(self, outcome: int) -> str:
        return str(outcome)

    def score(self, forecast: int, outcome: int) -> PointScore:
        distance = abs(forecast - outcome) / 100
        return PointScore(penalty=distance**2, log=-distance)


GUESS = Guess()


def penalty(guess: int, outcome: int) -> float:
    return ((guess - outcome) / 100) ** 2


@pytest.fixture(autouse=True)
def guess_kind() -> Iterator[Guess]:
    register(GUESS)
    yield GUESS
    unregister(GUESS.name)


async def create(services: Services, clock: FakeClock) -> int:
    """Author guesses 40 on day 0, VOTER 80 on day 1 then 60 on day 6, THIRD 20 on day 2;
    resolves (and closes) on day 10."""
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="How many boats enter the harbour on Sunday?",
            resolves="2026-12-07 12:00",
            probability="40",
            kind=GUESS.name,
        )
    )
    assert info.kind == GUESS.name
    clock.set(START + DAY)
    await services.votes.vote(GUILD, info.id, VOTER, 80, "slash")
    clock.set(START + 2 * DAY)
    await services.votes.vote(GUILD, info.id, THIRD, 20, "slash")
    clock.set(START + 6 * DAY)
    await services.votes.vote(GUILD, info.id, VOTER, 60, "slash")
    return info.id


async def test_a_kind_written_in_a_test_flows_through_create_vote_pool_resolve_and_score(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock)

    async with services.ctx.sessions() as session:
        stored = {
            uid: (permille, forecast)
            for uid, permille, forecast in await session.execute(
                select(Vote.user_id, Vote.permille, Vote.forecast).where(
                    Vote.prediction_id == prediction_id
                )
            )
        }
        events = await session.scalar(
            select(func.count()).select_from(VoteEvent).where(VoteEvent.forecast.is_not(None))
        )
    assert stored == {
        AUTHOR: (None, {"guess": 40}),
        VOTER: (None, {"guess": 60}),
        THIRD: (None, {"guess": 20}),
    }
    assert events == 4

    community = await services.votes.community(prediction_id)
    assert (community.count, community.pooled) == (3, 40)

    clock.set(START + 10 * DAY)
    resolved = await services.resolution.resolve(GUILD, 1, Actor(AUTHOR), "55")
    assert resolved.prediction.outcome == Outcome.ANSWERED
    assert resolved.prediction.outcome_value == {"value": 55}
    assert resolved.prediction.status == Status.RESOLVED

    async with services.ctx.sessions() as session:
        scores = {
            row.user_id: row
            for row in await session.scalars(
                select(Score).where(Score.prediction_id == prediction_id)
            )
        }
        row = await session.get(Prediction, prediction_id)
    assert row is not None
    community_penalty = penalty(40, 55)  # the pool is 40 from the first vote to the end
    assert row.community_brier == pytest.approx(community_penalty)
    assert set(scores) == {AUTHOR, VOTER, THIRD}
    author, voter, third = scores[AUTHOR], scores[VOTER], scores[THIRD]
    assert (author.permille, author.outcome, author.forecast) == (None, None, {"guess": 40})
    assert author.brier == pytest.approx(penalty(40, 55))
    assert author.relative_brier == pytest.approx(0.0)
    # VOTER: 80 for five days, then 60 for four; scored on the last, averaged over nine days.
    assert voter.forecast == {"guess": 60}
    assert voter.brier == pytest.approx(penalty(60, 55))
    voter_time = (5 * penalty(80, 55) + 4 * penalty(60, 55)) / 9
    assert voter.time_brier == pytest.approx(voter_time)
    assert voter.relative_brier == pytest.approx(voter_time - community_penalty)
    assert voter.log_score == pytest.approx(-0.05)
    assert third.relative_brier == pytest.approx(penalty(20, 55) - community_penalty)

    # Reopening removes the scores and the outcome; resolving AMBIGUOUS scores nobody.
    await services.resolution.reopen(GUILD, 1, SERVER_MANAGER, reason="the count was wrong")
    async with services.ctx.sessions() as session:
        row = await session.get(Prediction, prediction_id)
        left = await session.scalar(select(func.count()).select_from(Score))
    assert row is not None
    assert (row.outcome, row.outcome_value, left) == (None, None, 0)
    await services.resolution.resolve(GUILD, 1, SERVER_MANAGER, "ambiguous")
    async with services.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Score)) == 0


async def test_the_kind_refuses_a_bad_forecast_or_outcome_and_nothing_is_written(
    services: Services, clock: FakeClock
) -> None:
    prediction_id = await create(services, clock)
    async with services.ctx.sessions() as session:
        events_before = await session.scalar(select(func.count()).select_from(VoteEvent))

    with pytest.raises(InvalidInput, match="0 to 100"):
        await services.votes.vote(GUILD, prediction_id, VOTER, 150, "slash")
    with pytest.raises(InvalidInput, match="0 to 100"):
        await services.votes.vote(GUILD, prediction_id, VOTER, "many", "slash")
    clock.set(START + 10 * DAY)
    with pytest.raises(InvalidInput, match="whole number from 0 to 100"):
        await services.resolution.resolve(GUILD, 1, Actor(AUTHOR), "yes")

    async with services.ctx.sessions() as session:
        events_after = await session.scalar(select(func.count()).select_from(VoteEvent))
        row = await session.get(Prediction, prediction_id)
        scored = await session.scalar(select(func.count()).select_from(Score))
    assert events_after == events_before
    assert row is not None
    assert (row.status, row.outcome, scored) == (Status.OPEN, None, 0)
    my_vote = await services.votes.community(prediction_id)
    assert my_vote.pooled == 40


async def test_a_yes_no_prediction_refuses_another_kinds_forecast(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD, author_id=AUTHOR, statement="Rain on Sunday", resolves="in 5 days"
        )
    )
    assert info.kind == "yes_no"
    with pytest.raises(InvalidInput, match="between 1 and 99"):
        await services.votes.vote(GUILD, info.id, VOTER, {"guess": 40}, "slash")
    with pytest.raises(InvalidInput, match="`yes`, `no` or `ambiguous`"):
        await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "answered")
    with pytest.raises(InvalidInput, match="no question kind `dice`"):
        await services.predictions.create(
            NewPrediction(
                guild_id=GUILD, author_id=AUTHOR, statement="x", resolves="in 5 days", kind="dice"
            )
        )


async def test_one_leaderboard_ranks_every_kind_and_calibration_counts_yes_no_only(
    services: Services, clock: FakeClock
) -> None:
    await services.server_config.update_guild(GUILD, leaderboard_min_resolved=1)
    await create(services, clock)  # #1, a guess: everyone scored relative to the pool
    clock.set(START + 10 * DAY)
    await services.resolution.resolve(GUILD, 1, Actor(AUTHOR), "55")
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Rain on Sunday",
            resolves="in 2 days",
            probability="70",
        )
    )
    clock.set(START + 11 * DAY)
    await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "yes")

    board = await services.stats.leaderboard(GUILD)
    counts = {row.user_id: row.count for row in board.rows}
    assert counts == {AUTHOR: 2, VOTER: 1, THIRD: 1}  # both kinds on one board
    # The author was the community on the guess (relative 0) and alone on the yes/no (0).
    author = next(row for row in board.rows if row.user_id == AUTHOR)
    assert author.value == pytest.approx(0.0)

    buckets = await services.stats.calibration(GUILD, None)
    assert sum(bucket.count for bucket in buckets) == 1  # the 70 % only: a guess has none
    assert [b.centre_permille for b in buckets if b.count] == [700]


class Pick(QuestionKind[str, str]):
    """Pick one of the question's own options (a kind with a setup, bound per question)."""

    name: ClassVar[str] = "toy_pick"
    title: ClassVar[str] = "pick"
    spec_fields: ClassVar[tuple[str, ...]] = ("options",)

    def __init__(self, options: tuple[str, ...] = ()) -> None:
        self.options = options

    def parse_spec(self, fields: Mapping[str, str]) -> Payload | None:
        options = [o.strip() for o in fields.get("options", "").split("|") if o.strip()]
        if len(options) < 2:
            raise InvalidInput("Give at least two `options`, e.g. `red | blue`.")
        return {"options": options}

    def bind(self, spec: Payload | None) -> Pick:
        return Pick(tuple(spec["options"])) if spec else self

    def spec_of(self) -> Payload | None:
        return {"options": list(self.options)}

    def parse_forecast(self, text: str) -> str:
        return self.validate(text.strip())

    def validate(self, forecast: object) -> str:
        if forecast not in self.options:
            raise InvalidInput(f"Pick one of {', '.join(self.options)}.")
        return str(forecast)

    def store_forecast(self, forecast: str) -> StoredForecast:
        return StoredForecast(None, {"pick": forecast})

    def load_forecast(self, permille: int | None, payload: Payload | None) -> str:
        return str(payload["pick"])

    def describe_forecast(self, forecast: str) -> str:
        return forecast

    def pool(self, forecasts: Sequence[str]) -> str | None:
        return max(sorted(set(forecasts)), key=list(forecasts).count) if forecasts else None

    def parse_outcome(self, text: str) -> str:
        return self.validate(text.strip())

    def store_outcome(self, outcome: str) -> StoredOutcome:
        return StoredOutcome(Outcome.ANSWERED, {"pick": outcome})

    def load_outcome(self, stored: StoredOutcome) -> str:
        return str(stored.payload["pick"])

    def describe_outcome(self, outcome: str) -> str:
        return outcome

    def score(self, forecast: str, outcome: str) -> PointScore:
        right = forecast == outcome
        return PointScore(penalty=0.0 if right else 1.0, log=0.0 if right else -1.0)


async def test_a_kind_with_a_setup_is_bound_to_each_questions_own_setup(
    services: Services, clock: FakeClock
) -> None:
    register(Pick())
    try:
        clock.set(START)
        with pytest.raises(InvalidInput, match="at least two"):
            await services.predictions.create(
                NewPrediction(
                    guild_id=GUILD,
                    author_id=AUTHOR,
                    statement="Colour?",
                    resolves="in 5 days",
                    kind="toy_pick",
                    kind_fields={"options": "red"},
                )
            )
        info = await services.predictions.create(
            NewPrediction(
                guild_id=GUILD,
                author_id=AUTHOR,
                statement="Colour?",
                resolves="in 5 days",
                probability="red",
                kind="toy_pick",
                kind_fields={"options": "red | blue"},
            )
        )
        assert info.kind_spec == {"options": ["red", "blue"]}
        with pytest.raises(InvalidInput, match="Pick one of red, blue"):
            await services.votes.vote(GUILD, info.id, VOTER, "green", "slash")
        await services.votes.vote(GUILD, info.id, VOTER, "blue", "slash")
        await services.votes.vote(GUILD, info.id, THIRD, "blue", "slash")
        assert (await services.votes.community(info.id)).pooled == "blue"
        clock.set(START + 6 * DAY)
        resolved = await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "blue")
        assert resolved.prediction.outcome_value == {"pick": "blue"}
        async with services.ctx.sessions() as session:
            scores = dict(
                (
                    await session.execute(
                        select(Score.user_id, Score.brier).where(Score.prediction_id == info.id)
                    )
                ).all()
            )
        assert scores == {AUTHOR: 1.0, VOTER: 0.0, THIRD: 0.0}
        # A yes/no question takes no setup, and says which field to leave out.
        with pytest.raises(InvalidInput, match="takes no `options`"):
            await services.predictions.create(
                NewPrediction(
                    guild_id=GUILD,
                    author_id=AUTHOR,
                    statement="Rain?",
                    resolves="in 5 days",
                    kind_fields={"options": "a | b"},
                )
            )
    finally:
        unregister("toy_pick")
