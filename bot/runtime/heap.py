"""The start-up heap, set aside from the garbage collector once the bot is ready.

CPython's full (generation 2) collection walks every object the collector tracks. A ready bot
holds some 200,000 long-lived ones (modules, classes, discord.py's caches), so each full
collection stalled the event loop ~60 ms on a 2-core machine — and one comes whenever enough new
objects survive, e.g. after loading a popular prediction's 20,000 vote events for
``/predictions show`` (``bench/history.py``). ``gc.freeze()`` moves what exists at that moment to
the permanent generation, which collections skip; later garbage is collected as before.
"""

from __future__ import annotations

import gc

from bot.metrics import STARTUP_HEAP_OBJECTS


def set_aside_startup_heap() -> int:
    """Collect once, then freeze what survived; returns how many objects are set aside."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    STARTUP_HEAP_OBJECTS.set(frozen)
    return frozen
