"""The numeric kind's running pool (a running sum of CDFs, O(grid) per change) scores a
question's history exactly as pooling everyone again at each change does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.kinds import kind_for
from bot.domain.kinds.base import RunningPool
from bot.domain.kinds.numeric import Numeric
from bot.domain.kinds.ranges import RangeForecast, RangeKind, RangeOutcome
from bot.domain.kinds.replay import replay_scores

START = datetime(2026, 1, 1, tzinfo=UTC)
SPEC = {"low": 0, "high": 100, "unit": "", "open_low": False, "open_high": True}


class FromScratch(Numeric):
    """The same kind with the default running pool (pools everyone again at each change)."""

    def running_pool(self) -> RunningPool[RangeForecast]:
        return RunningPool(self)


NUMERIC = kind_for("numeric", SPEC)
assert isinstance(NUMERIC, RangeKind)
SCRATCH = FromScratch(NUMERIC.spec)


@st.composite
def forecasts(draw: st.DrawFn) -> RangeForecast | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None  # a retraction
    median = draw(st.integers(5, 120))
    return RangeForecast(
        median - draw(st.integers(1, 4)), median, median + draw(st.integers(1, 30))
    )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 5), forecasts()), min_size=1, max_size=25
    ),
    st.integers(0, 130),
)
def test_the_running_pool_scores_as_pooling_from_scratch(
    steps: list[tuple[int, int, RangeForecast | None]], outcome: int
) -> None:
    events = sorted(
        ((START + timedelta(hours=hour), member, forecast) for hour, member, forecast in steps),
        key=lambda event: event[0],
    )
    end = START + timedelta(days=3)
    fast = replay_scores(NUMERIC, events, end, RangeOutcome(outcome))
    slow = replay_scores(SCRATCH, events, end, RangeOutcome(outcome))
    assert [m.user_id for m in fast.members] == [m.user_id for m in slow.members]
    for a, b in zip(fast.members, slow.members, strict=True):
        assert a.penalty == pytest.approx(b.penalty, abs=1e-9)
        assert a.time_penalty == pytest.approx(b.time_penalty, abs=1e-9)
        assert a.relative_penalty == pytest.approx(b.relative_penalty, abs=1e-9)
