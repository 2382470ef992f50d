"""A multiple-choice question through the services: created, voted on, pooled, resolved to an
option and scored — the time-averaged and relative scores checked by hand (issue #19)."""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, InvalidState
from bot.domain.kinds import kind_for
from bot.domain.kinds.base import RunningPool
from bot.domain.kinds.multiple_choice import MultipleChoice
from bot.domain.kinds.replay import replay_scores
from bot.domain.vocabulary import Outcome
from bot.forecasting.multiclass import normalise_permille
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from db.models import Prediction, Score
from tests.conftest import AUTHOR, GUILD, START, VOTER

DAY = timedelta(days=1)


async def test_a_question_is_pooled_resolved_to_an_option_and_scored_against_the_community(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Which lab ships first?",
            resolves="2026-12-07 12:00",
            probability="A 50, B 30, C 20",
            kind="multiple_choice",
            kind_fields={"options": "A | B | C"},
        )
    )
    assert info.kind_spec == {"options": ["A", "B", "C"]}
    clock.set(START + DAY)
    await services.votes.vote(GUILD, info.id, VOTER, (200, 300, 500), "slash")
    with pytest.raises(InvalidInput, match="at least 1 %"):
        await services.votes.vote(GUILD, info.id, VOTER, (500, 500), "slash")

    # sqrt(.5·.2), sqrt(.3·.3), sqrt(.2·.5) normalised: .3391, .3217, .3391 → per-mille.
    community = await services.votes.community(info.id)
    assert (community.count, community.pooled) == (2, (339, 322, 339))

    clock.set(START + 10 * DAY)
    resolved = await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "c")
    assert resolved.prediction.outcome == Outcome.ANSWERED
    assert resolved.prediction.outcome_value == {"option": 2, "text": "C"}

    async with services.ctx.sessions() as session:
        scores = {
            s.user_id: s
            for s in await session.scalars(select(Score).where(Score.prediction_id == info.id))
        }
        row = await session.get(Prediction, info.id)
    author_brier = 0.5**2 + 0.3**2 + 0.8**2  # 0.98
    voter_brier = 0.2**2 + 0.3**2 + 0.5**2  # 0.38
    pooled_brier = 0.339**2 + 0.322**2 + 0.661**2
    assert row is not None and row.community_brier == pytest.approx(pooled_brier)
    author, voter = scores[AUTHOR], scores[VOTER]
    assert author.brier == pytest.approx(author_brier)
    assert voter.brier == pytest.approx(voter_brier)
    assert voter.log_score == pytest.approx(-0.6931471805599453)  # ln 0.5
    # The author alone for a day (the community was their forecast), then pooled for nine.
    community_over_author = (author_brier + 9 * pooled_brier) / 10
    assert author.relative_brier == pytest.approx(author_brier - community_over_author)
    assert voter.relative_brier == pytest.approx(voter_brier - pooled_brier)
    assert voter.forecast == {"permille": [200, 300, 500]}


def test_the_running_pool_replays_as_pooling_from_scratch_would() -> None:
    """The running pool (what makes 20,000 changes of 5,000 voters O(events): see
    ``bench/multiple_choice_chart.py``) gives the scores the from-scratch pool gives."""
    kind = kind_for("multiple_choice", {"options": [f"Option {i}" for i in range(10)]})
    assert isinstance(kind, MultipleChoice)

    class FromScratch(MultipleChoice):
        def running_pool(self) -> RunningPool[tuple[int, ...]]:  # type: ignore[override]
            return RunningPool(self)  # the default: pools everyone again at each change

    rng = random.Random(19)

    def events(voters: int, changes: int) -> list[tuple[object, int, object]]:
        out = []
        for step in range(changes):
            forecast = normalise_permille([rng.random() for _ in range(10)])
            retract = step % 13 == 0
            out.append(
                (
                    START + timedelta(minutes=step),
                    rng.randrange(voters),
                    None if retract else forecast,
                )
            )
        return out

    small = events(60, 400)
    end = START + timedelta(days=30)
    fast = replay_scores(kind, small, end, 3)
    slow = replay_scores(FromScratch(kind.options), small, end, 3)
    assert fast.community == slow.community
    assert [(m.user_id, round(m.relative_penalty, 9)) for m in fast.members] == [
        (m.user_id, round(m.relative_penalty, 9)) for m in slow.members
    ]


async def test_options_change_only_until_someone_else_votes_like_the_statement(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Which lab ships first?",
            resolves="in 10 days",
            probability="60/40",
            kind="multiple_choice",
            kind_fields={"options": "OpenAI | Anthropic"},
        )
    )
    author = Actor(AUTHOR)
    edited = await services.predictions.edit(
        GUILD, info.number, author, setup={"options": "OpenAI | Anthropic | Google"}
    )
    assert edited.changed == ("options",) and edited.withdrew_authors_forecast
    assert edited.prediction.kind_spec == {"options": ["OpenAI", "Anthropic", "Google"]}
    mine = await services.votes.my_vote(GUILD, info.id, AUTHOR)
    assert mine.current_forecast is None and mine.history_forecasts == ((600, 400), None)
    history = await services.predictions.edits(GUILD, info.number)
    assert [field for _, field, _ in history] == ["options"]

    await services.votes.vote(GUILD, info.id, VOTER, (200, 300, 500), "slash")
    with pytest.raises(InvalidState, match="no longer change"):
        await services.predictions.edit(
            GUILD, info.number, author, setup={"options": "OpenAI | Anthropic | Meta"}
        )
    with pytest.raises(InvalidState, match="no longer change"):
        await services.predictions.edit(
            GUILD, info.number, Actor(AUTHOR, manages_guild=True), setup={"options": "A | B | C"}
        )
    with pytest.raises(InvalidInput, match="2 to 10"):
        await services.predictions.edit(GUILD, info.number, author, setup={"options": "A"})
    stored = await services.predictions.get(GUILD, info.number)
    assert stored.kind_spec == {"options": ["OpenAI", "Anthropic", "Google"]}

    yes_no = await services.predictions.create(
        NewPrediction(guild_id=GUILD, author_id=AUTHOR, statement="Rain", resolves="in 5 days")
    )
    with pytest.raises(InvalidInput, match="takes no `options`"):
        await services.predictions.edit(GUILD, yes_no.number, author, setup={"options": "a | b"})


async def test_the_community_is_pooled_in_a_worker_thread_as_the_kind_pools_it(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each redraw of the message asks for the community forecast: for multiple choice, as
    for numeric, the payloads are decoded and pooled off the event loop (the one path for
    every kind whose forecast is not a per-mille), and the pool is the kind's own."""
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            GUILD, AUTHOR, "Which lab?", "2026-12-07 12:00", kind="multiple_choice",
            kind_fields={"options": "A | B | C | D"},
        )
    )  # fmt: skip
    kind = kind_for(info.kind, info.kind_spec)
    rng = random.Random(5)
    forecasts = [normalise_permille([rng.random() + 0.05 for _ in range(4)]) for _ in range(40)]
    for offset, forecast in enumerate(forecasts):
        await services.votes.vote(GUILD, info.id, 10_000 + offset, forecast, "slash")

    loop_thread = threading.get_ident()
    pooled_in: list[int] = []
    own_pool = MultipleChoice.pool

    def spied(self: MultipleChoice, held: Sequence[tuple[int, ...]]) -> tuple[int, ...] | None:
        pooled_in.append(threading.get_ident())
        return own_pool(self, held)

    monkeypatch.setattr(MultipleChoice, "pool", spied)
    community = await services.votes.community(info.id)
    assert community.count == 40
    assert community.pooled == own_pool(kind, forecasts)  # type: ignore[arg-type]
    assert pooled_in and loop_thread not in pooled_in
