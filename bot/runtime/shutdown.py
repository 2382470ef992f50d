"""Stopping quietly: handlers still running get a grace period, then are cancelled.

discord.py runs every event listener, button, form and command in its own task and closes
its HTTP session on ``close()``; a handler still mid-request (adding keycaps to a new
prediction) would then fail with "Session is closed" and log a traceback. Closing first waits
for those tasks (up to :data:`GRACE_SECONDS`), then cancels what is left, which discord.py's
event runner swallows quietly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0
#: Task names discord.py gives event listeners, view and dynamic-item callbacks, commands.
HANDLER_PREFIXES = ("discord.py: ", "discord-ui-", "CommandTree-invoker")


def running_handlers() -> list[asyncio.Task[object]]:
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(HANDLER_PREFIXES)
    ]


async def finish_handlers(grace: float = GRACE_SECONDS) -> None:
    """Wait up to ``grace`` seconds for running handlers, then cancel the rest quietly."""
    tasks = running_handlers()
    if not tasks:
        return
    log.info("Waiting for %d running handler(s) before stopping", len(tasks))
    _done, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    if pending:
        log.info("Stopped %d handler(s) still running after %.0f s", len(pending), grace)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pending, return_exceptions=True)
