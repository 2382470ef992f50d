"""A discord.py client running in the test's own event loop against the fake.

``pointed_at`` sends discord.py's REST and gateway traffic to the fake. ``caught_up`` waits until
the client has read every gateway event the fake sent it, and ``ClientTasks`` records the asyncio
tasks the client spawns (event listeners, command, button and modal callbacks, and whatever
those start), so a test can wait until the client has finished reacting instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import weakref
from collections.abc import Collection, Coroutine, Iterator
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import BARRIER_EVENT, FakeDiscord

_barrier_nonces = itertools.count(1)
_owner: contextvars.ContextVar[ClientTasks | None] = contextvars.ContextVar(
    "fakediscord_client_tasks", default=None
)
#: What discord.py awaits only to let time pass: a view's or a modal's timeout.
DISCORD_PY_TIMERS = frozenset({"BaseView.__timeout_task_impl"})


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and gateway at the fake, restoring both afterwards."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


async def caught_up(fake: FakeDiscord, client: discord.Client) -> None:
    """Return once ``client`` has processed every gateway event the fake has sent it so far.

    Processing an event is synchronous in discord.py (parse, update the cache, schedule the
    listeners' tasks), so afterwards every task the earlier events start already exists.
    """
    nonce = f"barrier-{next(_barrier_nonces)}"
    seen = client.ws.wait_for(BARRIER_EVENT, lambda data: data.get("nonce") == nonce)
    await fake.barrier(nonce)
    await seen


def _awaiting(task: asyncio.Task[Any]) -> Iterator[str]:
    """The qualified names of the coroutines a suspended task is in, outermost first."""
    coro: Any = task.get_coro()
    while coro is not None and hasattr(coro, "cr_await"):
        yield str(getattr(coro, "__qualname__", ""))
        coro = coro.cr_await


class ClientTasks:
    """Every asyncio task spawned, directly or not, by the coroutine run with :meth:`start`.

    While :meth:`recording`, a task factory on the running loop keeps each new task whose
    creator belongs to the client (a task runs in a copy of its creator's context), so it sees
    what the client starts while handling events and what those tasks start in turn, but not
    the test's own tasks nor the fake's server.

    ``timers`` names coroutines (by qualified name) that only wait for time to pass, such as a
    fake clock's ``sleep``: a task suspended in one of them has no work in progress.
    """

    def __init__(self, *, timers: Collection[str] = ()) -> None:
        self._tasks: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._main: asyncio.Task[Any] | None = None
        self._timers = DISCORD_PY_TIMERS | frozenset(timers)

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        previous = loop.get_task_factory()

        def factory(
            loop: asyncio.AbstractEventLoop, coro: Any, /, **kwargs: Any
        ) -> asyncio.Future[Any]:
            context = kwargs.get("context")
            owner = _owner.get() if context is None else context.get(_owner)
            task: asyncio.Future[Any]
            if previous is not None:
                task = previous(loop, coro, **kwargs)
            else:
                task = asyncio.Task(coro, loop=loop, **kwargs)
            if owner is self and isinstance(task, asyncio.Task):
                self._tasks.add(task)
            return task

        loop.set_task_factory(factory)
        try:
            yield
        finally:
            loop.set_task_factory(previous)

    def start(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro``, the client's whole life (``client.start(token)``), as its main task."""
        context = contextvars.copy_context()
        context.run(_owner.set, self)
        self._main = asyncio.create_task(coro, context=context)
        return self._main

    def busy(self) -> list[asyncio.Task[Any]]:
        """The client's tasks with work in progress: unfinished, other than the main task (it
        reads the gateway as long as the client lives) and those only waiting for time."""
        return [
            task
            for task in self._tasks
            if not task.done()
            and task is not self._main
            and not self._timers.intersection(_awaiting(task))
        ]
