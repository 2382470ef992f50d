"""The interpreter handed back to the event loop within a millisecond, not five.

The bot's event loop shares one interpreter with worker threads: the replay that scores a
resolved question (``asyncio.to_thread``), aiosqlite's connection thread, the export writer.
While such a thread computes, the loop thread can only take the interpreter back when the
thread is asked to let go, every *switch interval*: 5 ms by default. Each step of the loop that
waits on I/O gives the interpreter up and must wait to get it back, so one step can wait several
intervals. Scoring a numeric question with 5,000 forecasters stalled the loop 11–51 ms on a
fully loaded 2-core machine with 5 ms, 11–13 ms with 1 ms (``bench/numeric.py``). A shorter
interval costs the thread a little throughput (more hand-overs), not the loop.
"""

from __future__ import annotations

import sys

#: Seconds a thread may hold the interpreter while another waits for it.
SWITCH_INTERVAL = 0.001


def favour_the_event_loop() -> None:
    """Let a waiting thread (the event loop's) take the interpreter after 1 ms."""
    sys.setswitchinterval(SWITCH_INTERVAL)
