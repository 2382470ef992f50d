"""The seasons' rules, pure: names, what "well calibrated" means, what roles can be earned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import InvalidInput, InvalidState, NotAllowed
from bot.domain.seasons import (
    CALIBRATION_BOUND,
    Achievement,
    RoleFacts,
    calibration_error,
    check_mapping,
    check_new_season,
    check_role_mappable,
    is_well_calibrated,
    season_name,
)

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("buckets", "expected"),
    [
        ([], None),
        ([(0, 0.5, 0.5)], None),  # empty buckets do not count
        ([(10, 0.7, 0.7)], 0.0),
        ([(10, 0.9, 0.8)], 0.1),  # always 90 % for what happens 80 % of the time
        ([(30, 0.2, 0.2), (10, 0.8, 0.4)], 0.1),  # weighted by count: (0 * 30 + 0.4 * 10) / 40
        ([(1, 0.1, 1.0), (1, 0.9, 0.0)], 0.9),  # always wrong
    ],
)
def test_calibration_error_is_the_count_weighted_mean_gap(
    buckets: list[tuple[int, float, float]], expected: float | None
) -> None:
    error = calibration_error(buckets)
    assert error == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("forecasts", "error", "minimum", "earned"),
    [
        (20, 0.1, 20, True),  # the bound itself is within
        (20, 0.1001, 20, False),
        (19, 0.0, 20, False),  # too few forecasts, however good
        (50, None, 1, False),
    ],
)
def test_well_calibrated_needs_enough_forecasts_within_the_bound(
    forecasts: int, error: float | None, minimum: int, earned: bool
) -> None:
    assert CALIBRATION_BOUND == 0.1
    assert is_well_calibrated(forecasts, error, minimum) is earned


def test_a_season_name_is_one_line_of_1_to_50_characters() -> None:
    assert season_name("  Winter\n 2027 ") == "Winter 2027"
    for bad in ("", "   ", "x" * 51):
        with pytest.raises(InvalidInput):
            season_name(bad)


def test_a_new_season_needs_none_running_a_new_name_and_a_future_end() -> None:
    check_new_season("Q1", ends_at=NOW + timedelta(days=1), now=NOW, running=None, taken=False)
    with pytest.raises(InvalidState, match="`Q4` is still running"):
        check_new_season("Q1", ends_at=None, now=NOW, running="Q4", taken=False)
    with pytest.raises(InvalidInput, match="already had a season"):
        check_new_season("Q1", ends_at=None, now=NOW, running=None, taken=True)
    with pytest.raises(InvalidInput, match="in the future"):
        check_new_season("Q1", ends_at=NOW, now=NOW, running=None, taken=False)
    with pytest.raises(InvalidInput, match="at most 5 tags"):
        check_new_season(
            "Q1", ends_at=None, now=NOW, running=None, taken=False, tags=tuple("abcdef")
        )


@pytest.mark.parametrize(
    ("facts", "error"),
    [
        (RoleFacts(False, False, 2, 3, True), None),
        (RoleFacts(True, False, 0, 3, True), InvalidInput),
        (RoleFacts(False, True, 1, 3, True), InvalidInput),
        (RoleFacts(False, False, 1, 3, False), NotAllowed),
        (RoleFacts(False, False, 3, 3, True), NotAllowed),
    ],
)
def test_only_roles_below_the_bots_own_can_be_earned(
    facts: RoleFacts, error: type[Exception] | None
) -> None:
    if error is None:
        check_role_mappable("Champion", facts)
    else:
        with pytest.raises(error):
            check_role_mappable("Champion", facts)


def test_options_fit_their_achievement_and_mappings_are_capped() -> None:
    check_mapping(Achievement.TOP, 3, None, 0)
    with pytest.raises(InvalidInput, match="`forecasts` only applies"):
        check_mapping(Achievement.TOP, None, 5, 0)
    with pytest.raises(InvalidInput, match="at most 10"):
        check_mapping(Achievement.FIRST_FORECAST, None, None, 10)
    assert Achievement.TOP.describe(1, None) == "best forecaster of a season"
    assert "at least 1 resolved YES/NO forecast," in Achievement.WELL_CALIBRATED.describe(None, 1)
