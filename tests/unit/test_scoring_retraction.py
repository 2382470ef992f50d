"""A retracted forecast is scored for the time it stood (issue 17: no dodging by retraction).

:func:`bot.services.resolution.score_writer.score_card` is pure; these check it against a
brute-force replay, day by day, of who held what.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forecasting.scoring import brier_score
from bot.services.resolution.score_writer import Event, score_card

DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
END_DAY = 20
MEMBERS = (1, 2, 3)


def day(n: int) -> datetime:
    return DAY0 + timedelta(days=n)


def test_ten_days_of_99_percent_then_retracted_is_scored_on_those_ten_days() -> None:
    """The reported dodge: 99 % held ten days, removed once NO was clear, resolved day 12."""
    events: list[Event] = [(day(0), 1, 600), (day(0), 2, 990), (day(10), 2, None)]
    card = score_card(events, day(12), outcome=False)
    dodger = next(m for m in card.members if m.user_id == 2)
    assert (dodger.permille, dodger.brier) == (990, pytest.approx(0.9801))
    assert dodger.time_brier == pytest.approx(0.9801)  # the ten days, not the two after
    assert dodger.relative_brier == pytest.approx(0.9801 - 0.795**2)  # vs median 79.5 %
    assert card.community_permille == 600  # the retracted vote left the community


def test_a_member_who_comes_back_is_scored_on_both_stretches_and_the_latest_forecast() -> None:
    events: list[Event] = [
        (day(0), 1, 500),
        (day(0), 2, 900),
        (day(2), 2, None),
        (day(6), 2, 300),
    ]
    card = score_card(events, day(10), outcome=True)
    member = next(m for m in card.members if m.user_id == 2)
    # 90 % for 2 days, 30 % for 4 days; the gap of 4 days counts for nobody.
    assert member.time_brier == pytest.approx((2 * 0.01 + 4 * 0.49) / 6)
    assert member.permille == 300


# Each step: (days after the previous step, member, per-mille or None for a retraction).
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),
        st.sampled_from(MEMBERS),
        st.one_of(st.none(), st.integers(min_value=10, max_value=990)),
    ),
    min_size=1,
    max_size=25,
)


def _brute_force(events: list[Event], outcome: bool) -> dict[int, tuple[int, float]]:
    """Per member: (last forecast held, Brier averaged over each whole day it was held)."""
    held: dict[int, list[float]] = {}
    last: dict[int, int] = {}
    for today in range(END_DAY):
        current: dict[int, int | None] = {}
        for when, user, permille in events:
            if when <= day(today):
                current[user] = permille
        for user, permille in current.items():
            if permille is not None:
                held.setdefault(user, []).append(brier_score(permille / 1000, outcome))
                last[user] = permille
    return {user: (last[user], sum(b) / len(b)) for user, b in held.items()}


@given(steps, st.booleans())
def test_every_forecast_that_stood_is_scored_over_the_time_it_stood(
    plan: list[tuple[int, int, int | None]], outcome: bool
) -> None:
    events: list[Event] = []
    elapsed = 0
    for gap, user, permille in plan:
        elapsed += gap
        if elapsed < END_DAY:
            events.append((day(elapsed), user, permille))
    card = score_card(events, day(END_DAY), outcome)

    expected = _brute_force(events, outcome)
    assert {m.user_id for m in card.members} == set(expected)
    for member in card.members:
        last, time_brier = expected[member.user_id]
        assert member.permille == last
        assert member.brier == pytest.approx(brier_score(last / 1000, outcome))
        assert member.time_brier == pytest.approx(time_brier)
    holding = [p for user, p in _final_votes(events).items() if p is not None]
    assert (card.community_permille is None) == (not holding)


def _final_votes(events: list[Event]) -> dict[int, int | None]:
    final: dict[int, int | None] = {}
    for _, user, permille in events:
        final[user] = permille
    return final
