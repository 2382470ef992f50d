"""Question kinds (bot/domain/kinds): the yes/no kind says what the rest of the bot always
said, and the replay that scores any kind agrees with yes/no's own fast path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.kinds import (
    YES_NO,
    StoredOutcome,
    kind_for,
    parse_resolution,
    register,
)
from bot.domain.kinds.replay import replay_scores
from bot.domain.vocabulary import Outcome
from bot.services.resolution.score_writer import score_card

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "permille", "words"),
    [("70", 700, "70%"), ("72.5%", 725, "72.5%"), ("0.3", 300, "30%"), ("100", 990, "99%")],
)
def test_yes_no_reads_and_says_a_forecast_as_a_probability(
    typed: str, permille: int, words: str
) -> None:
    forecast = YES_NO.parse_forecast(typed)
    assert forecast == permille
    assert YES_NO.describe_forecast(forecast) == words
    stored = YES_NO.store_forecast(forecast)
    assert (stored.permille, stored.payload) == (permille, None)  # the indexed integer column
    assert YES_NO.load_forecast(stored.permille, stored.payload) == permille


@pytest.mark.parametrize("bad", [0, 5, 995, 1000, True, 70.0, "70", None])
def test_yes_no_refuses_a_forecast_outside_1_to_99_percent_whatever_path_it_came_by(
    bad: object,
) -> None:
    with pytest.raises(InvalidInput, match="between 1 and 99"):
        YES_NO.validate(bad)


@pytest.mark.parametrize(
    ("typed", "stored", "words"),
    [(" YES", Outcome.YES, "YES"), ("no", Outcome.NO, "NO")],
)
def test_yes_no_outcomes_are_yes_or_no_and_ambiguous_is_every_kinds(
    typed: str, stored: Outcome, words: str
) -> None:
    resolution = parse_resolution(YES_NO, typed)
    assert not resolution.annulled
    assert resolution.stored(YES_NO) == StoredOutcome(stored, None)
    assert YES_NO.describe_outcome(YES_NO.load_outcome(StoredOutcome(stored, None))) == words
    annulled = parse_resolution(YES_NO, "Ambiguous")
    assert annulled.annulled and annulled.stored(YES_NO) == StoredOutcome(Outcome.AMBIGUOUS, None)
    for bad in ("answered", "maybe", ""):
        with pytest.raises(InvalidInput, match="`yes`, `no` or `ambiguous`"):
            parse_resolution(YES_NO, bad)


def test_the_registry_knows_yes_no_by_name_and_as_the_kind_of_old_rows() -> None:
    assert kind_for("yes_no") is YES_NO
    assert kind_for(None) is YES_NO
    with pytest.raises(InvalidInput, match="no question kind `dice`"):
        kind_for("dice")
    with pytest.raises(ValueError, match="already registered"):
        register(type(YES_NO)())  # another object under a taken name


def test_yes_no_pools_to_the_median_members_see() -> None:
    assert YES_NO.pool([]) is None
    assert YES_NO.pool([200, 900, 300]) == 300
    assert YES_NO.pool([200, 301]) == 250.5


events = st.lists(
    st.tuples(
        st.integers(0, 20),  # hour (ties happen)
        st.integers(1, 6),  # member
        st.one_of(st.none(), st.integers(10, 990)),  # forecast, or a retraction
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(events, st.booleans(), st.integers(1, 24))
def test_the_replay_for_any_kind_scores_yes_no_as_its_fast_path_does(
    raw: list[tuple[int, int, int | None]], outcome: bool, end_hour: int
) -> None:
    timed = sorted(
        ((START + timedelta(hours=h), member, p) for h, member, p in raw), key=lambda e: e[0]
    )
    end = START + timedelta(hours=end_hour)
    fast = score_card(timed, end, outcome)
    generic = replay_scores(YES_NO, timed, end, outcome)
    assert [m.user_id for m in generic.members] == [m.user_id for m in fast.members]
    for slow, quick in zip(generic.members, fast.members, strict=True):
        assert round(slow.forecast) == quick.permille
        assert slow.penalty == pytest.approx(quick.brier)
        assert slow.log == pytest.approx(quick.log_score)
        assert slow.time_penalty == pytest.approx(quick.time_brier)
        assert slow.relative_penalty == pytest.approx(quick.relative_brier, abs=1e-9)
    assert generic.community == fast.community_permille
    if fast.community_brier is None:
        assert generic.community_score is None
    else:
        assert generic.community_score is not None
        assert generic.community_score.penalty == pytest.approx(fast.community_brier)
