"""Once ready, the bot's long-lived objects are no longer walked by full collections."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.runtime.heap import set_aside_startup_heap


@pytest.fixture
def unfrozen_afterwards() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_objects_alive_at_ready_are_set_aside_and_later_ones_are_not(
    unfrozen_afterwards: None,
) -> None:
    long_lived = {"cache": [object()]}
    frozen = set_aside_startup_heap()
    later = {"vote events": [object()]}

    walked = {id(obj) for obj in gc.get_objects()}
    assert frozen >= 1
    assert id(long_lived) not in walked
    assert id(later) in walked


class Node:
    def __init__(self) -> None:
        self.me: Node | None = None


def test_garbage_made_after_ready_is_still_collected(unfrozen_afterwards: None) -> None:
    set_aside_startup_heap()
    cycle = Node()
    cycle.me = cycle
    watch = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert watch() is None
