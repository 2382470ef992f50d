"""The track-record embeds name a per-mille kind's penalty "Brier" by its shape, not by the
name yes/no: a toy second per-mille kind reads like yes/no, multiple choice keeps "Penalty"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.domain.kinds import register, unregister
from bot.forecasting.calibration import buckets_from_totals
from bot.services.track_record.stats import MemberStats
from cogs.track_record.embeds import member_embed
from tests.services.track_record.test_per_mille_kind import Binary


@pytest.fixture(autouse=True)
def binary_kind() -> Iterator[None]:
    register(Binary())
    yield
    unregister(Binary.name)


def test_a_per_mille_kinds_penalty_is_called_brier() -> None:
    stats = MemberStats(1, 2, 3, 0.2, 0.2, -0.01, -0.5, scale_kind=Binary.name, kind=Binary.name)
    embed = member_embed(stats, buckets_from_totals([(7, 3, 2, 2100)]), "bob")
    assert embed.description == "3 resolved forecasts\n-# Binary questions only."
    assert {"Brier (final forecast)", "Brier (time-averaged)"} <= {f.name for f in embed.fields}

    choice = MemberStats(
        1, 2, 3, 0.2, 0.2, -0.01, -0.5, scale_kind="multiple_choice", kind="multiple_choice"
    )
    embed = member_embed(choice, buckets_from_totals([]), "bob")
    assert embed.description == (
        "3 resolved forecasts\n-# Multiple choice questions only. Calibration is for yes/no."
    )
    assert "Penalty (final forecast)" in {f.name for f in embed.fields}
