"""The community history at a real community's size: 5,000 voters, 20,000 vote changes.

No timings here (``bench/history.py`` prints those): the cost is shown by counting how many
times two votes are compared, which is what re-sorting every vote after every event multiplies.
"""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from bot.forecasting.aggregation import community_series

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
Event = tuple[datetime, int, int | None]


class CountedVote(int):
    """A per-mille vote that counts how often it is compared with another."""

    comparisons = 0

    def __lt__(self, other: object) -> bool:
        CountedVote.comparisons += 1
        return int(self) < int(other)  # type: ignore[call-overload]

    def __gt__(self, other: object) -> bool:
        CountedVote.comparisons += 1
        return int(self) > int(other)  # type: ignore[call-overload]

    def __le__(self, other: object) -> bool:
        CountedVote.comparisons += 1
        return int(self) <= int(other)  # type: ignore[call-overload]

    def __ge__(self, other: object) -> bool:
        CountedVote.comparisons += 1
        return int(self) >= int(other)  # type: ignore[call-overload]

    def __neg__(self) -> CountedVote:  # a max-heap may store negated votes
        return CountedVote(-int(self))

    __hash__ = int.__hash__


def busy_events(voters: int, events: int, seed: int = 11) -> list[Event]:
    """Every member votes once, then random changes and some retractions, a second apart."""
    rng = random.Random(seed)
    out: list[Event] = []
    for index in range(events):
        member = index if index < voters else rng.randrange(voters)
        permille: int | None = rng.randrange(10, 991)
        if index >= voters and rng.random() < 0.05:
            permille = None
        out.append((T0 + timedelta(seconds=index), member, permille))
    return out


def test_five_thousand_voter_history_matches_the_median_of_current_votes() -> None:
    events = busy_events(5_000, 20_000)
    series = community_series(events)
    assert len(series) == 20_000  # one point per moment; somebody always holds a vote
    checkpoints = {999, 4_999, 5_000, 12_345, 19_999}
    current: dict[int, int] = {}
    for index, (when, member, permille) in enumerate(events):
        if permille is None:
            current.pop(member, None)
        else:
            current[member] = permille
        if index in checkpoints:
            assert series[index] == (when, float(statistics.median(current.values())))


def test_each_vote_event_costs_logarithmic_comparisons_not_a_re_sort() -> None:
    voters, count = 200, 1_000
    events: list[Event] = [
        (when, member, None if p is None else CountedVote(p))
        for when, member, p in busy_events(voters, count)
    ]
    CountedVote.comparisons = 0
    community_series(events)
    # O(events · log voters): a handful of binary searches per event. Re-sorting the current
    # votes after every event costs about events · voters · log voters (≈ 1.5 million here).
    assert CountedVote.comparisons <= count * 4 * (voters.bit_length() + 1)


@example(changes=[(0, 2), (1, 1), (1, 3), (0, 1)])  # the lower half emptied by a change
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.one_of(st.none(), st.integers(1, 12))),
        max_size=60,
    )
)
def test_the_series_is_the_median_of_current_votes_after_every_event(
    changes: list[tuple[int, int | None]],
) -> None:
    """Few members and few values: duplicates and retractions stress the lazy deletions."""
    events: list[Event] = [
        (T0 + timedelta(seconds=i), member, p) for i, (member, p) in enumerate(changes)
    ]
    expected: list[tuple[datetime, float]] = []
    current: dict[int, int] = {}
    for when, member, permille in events:
        if permille is None:
            current.pop(member, None)
        else:
            current[member] = permille
        if current:
            expected.append((when, float(statistics.median(current.values()))))
    assert community_series(events) == expected
