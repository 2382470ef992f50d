"""custom_ids carry ids of 1–18 ASCII digits; anything else is not ours and matches nothing."""

from __future__ import annotations

import re

import pytest

from bot.rendering.custom_ids import RESOLVE_BUTTON_TEMPLATE, VOTE_BUTTON


@pytest.mark.parametrize(
    "custom_id",
    [
        "augury:vote:",
        "augury:vote:" + "9" * 19,
        "augury:vote:²",
        "augury:vote:١٢",
        "augury:vote:-1",
    ],
)
def test_ids_that_cannot_be_stored_match_nothing(custom_id: str) -> None:
    assert VOTE_BUTTON.prediction_id(custom_id) is None
    assert re.fullmatch(VOTE_BUTTON.template, custom_id) is None


def test_ids_of_up_to_eighteen_digits_match() -> None:
    assert VOTE_BUTTON.prediction_id("augury:vote:" + "9" * 18) == 10**18 - 1
    assert re.fullmatch(RESOLVE_BUTTON_TEMPLATE, "augury:resolve:" + "1" * 19 + ":yes") is None
    assert re.fullmatch(RESOLVE_BUTTON_TEMPLATE, "augury:resolve:12:yes") is not None
