"""The bot hands the interpreter back to its event loop within a millisecond."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from bot.runtime.interpreter import favour_the_event_loop


@pytest.fixture
def default_interval_afterwards() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_a_computing_thread_lets_the_loop_in_after_a_millisecond(
    default_interval_afterwards: None,
) -> None:
    sys.setswitchinterval(0.005)  # CPython's default
    favour_the_event_loop()
    assert sys.getswitchinterval() <= 0.001
