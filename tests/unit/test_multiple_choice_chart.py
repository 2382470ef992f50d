"""The multiple-choice history: the pool over time for the chart, and the chart itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.kinds import kind_for
from bot.domain.kinds.multiple_choice import MultipleChoice
from bot.forecasting.multiclass import geometric_pool
from bot.forecasting.multiple_choice_chart import choice_chart_packed, pack_steps, thinned
from bot.services.track_record.choice_history import replay_pool
from tests.cogs.helpers import PNG_SIGNATURE

START = datetime(2026, 1, 1, tzinfo=UTC)
OPTIONS = [f"Option {i}" for i in range(10)]


def question() -> MultipleChoice:
    kind = kind_for("multiple_choice", {"options": OPTIONS})
    assert isinstance(kind, MultipleChoice)
    return kind


def test_the_replay_keeps_the_pool_of_the_last_change_in_each_slice_of_time() -> None:
    a, b = (910, *[10] * 9), (10, 910, *[10] * 8)
    events: list[tuple[datetime, int, object]] = [
        (START, 1, a),
        (START, 2, b),  # the same moment: one change
        (START + timedelta(hours=1), 2, None),  # retracted
        (START + timedelta(hours=2), 3, b),
    ]
    steps, voters, changes = replay_pool(question(), events, limit=600)
    assert (voters, changes) == (3, 3)
    assert [pooled for _, pooled in steps] == [geometric_pool([a, b]), a, geometric_pool([a, b])]
    few, _, changes = replay_pool(question(), events, limit=1)
    assert changes == 3 and [pooled for _, pooled in few] == [a, geometric_pool([a, b])]


def test_the_chart_draws_ten_options_from_thousands_of_steps() -> None:
    steps = [
        (START.timestamp() + 60 * i, (100 + i % 10, *[100] * 8, 800 - i % 10)) for i in range(3000)
    ]
    assert len(thinned(steps)) <= 600 and thinned(steps)[-1] == steps[-1]
    png = choice_chart_packed(pack_steps(steps), OPTIONS, "#1: community forecast")
    assert png.startswith(PNG_SIGNATURE)
