"""FakeDiscord: the gateway and REST API on one aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import time
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from . import routes_app, routes_channels, routes_events, routes_interactions, routes_roles
from .errors import Violation
from .faults import Fault
from .gateway import Frame, Gateway
from .helpers import BuilderMixin
from .ids import ATTACHMENT_SIZE_LIMIT
from .payloads import JSON
from .rest import RecordedRequest, RestApi, Router
from .state import NONCE_WINDOW, FakeState, InteractionRecord
from .world import build_world, join_guild

API_PREFIX = "/api/v10"
#: A gateway event that is not Discord's: ``barrier`` sends it so an in-process client can tell
#: when it has read everything sent before it (clients ignore event names they do not know).
BARRIER_EVENT = "FAKEDISCORD_BARRIER"


def build_router() -> Router:
    router = Router()
    for module in (routes_app, routes_channels, routes_interactions, routes_events, routes_roles):
        module.register(router)
    return router


class FakeDiscord(BuilderMixin):
    """A fake Discord good enough for the real, unmodified discord.py.

    Start it in the test's event loop (``await fake.start()``), point the client at
    ``fake.api_base`` and ``fake.gateway_url``, drive it with ``dispatch`` and read what the bot
    did in ``requests`` (and what Discord would have refused in ``violations``).

    Options: ``allowed_intents`` (privileged intents the app may use; None allows all),
    ``echo_events`` (send MESSAGE_CREATE, THREAD_CREATE, ... for what the bot does over REST, as
    Discord does), ``forum_tags`` / ``forum_requires_tag`` (the forum's tags), ``extra_members``
    (more plain member handles), ``interaction_deadline`` (seconds after which a callback gets
    10062 Unknown interaction, like Discord's 3 s; off by default because machines are noisy),
    ``nonce_window`` (seconds a repeated ``enforce_nonce`` send returns the first message, like
    Discord's few minutes; also ``fake.state.nonce_window``, read on every send, and
    ``fake.state.clock``, the monotonic time it is measured on),
    ``guilds`` (how many servers the bot is in) and ``shard_count`` (what ``GET /gateway/bot``
    recommends; server ``i`` lands on shard ``i % shard_count``).
    """

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        heartbeat_interval_ms: int = 41250,
        allowed_intents: int | None = None,
        attachment_size_limit: int = ATTACHMENT_SIZE_LIMIT,
        echo_events: bool = True,
        forum_tags: Sequence[str] = (),
        forum_requires_tag: bool = False,
        extra_members: Sequence[str] = (),
        interaction_deadline: float | None = None,
        nonce_window: float = NONCE_WINDOW,
        guilds: int = 1,
        shard_count: int = 1,
    ) -> None:
        self.token = token
        self.echo_events = echo_events
        self.world = build_world(
            forum_tags=forum_tags,
            forum_requires_tag=forum_requires_tag,
            extra_members=extra_members,
            guilds=guilds,
            shard_count=shard_count,
        )
        self.state = FakeState(
            self.world,
            attachment_size_limit=attachment_size_limit,
            interaction_deadline=interaction_deadline,
            nonce_window=nonce_window,
        )
        self.port = 0
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.gateway = Gateway(
            self.state,
            token=token,
            resume_url=lambda: f"ws://127.0.0.1:{self.port}/gateway-resume",
            notify=self._notify,
            heartbeat_interval_ms=heartbeat_interval_ms,
            allowed_intents=allowed_intents,
        )
        self.rest = RestApi(
            self.state,
            build_router(),
            token=token,
            gateway_url=lambda: self.gateway_url,
            publish=self._publish,
            notify=self._notify,
        )

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway-resume", self.gateway.handle)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        await self.gateway.close_sockets(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- what happened -------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.rest.requests

    @property
    def violations(self) -> list[Violation]:
        return self.rest.violations

    @property
    def gateway_frames(self) -> list[Frame]:
        """Every payload clients sent on the gateway (IDENTIFY is op 2, RESUME 6, chunks 8)."""
        return self.gateway.frames

    @property
    def in_flight(self) -> int:
        """REST requests the fake has received and not answered yet."""
        return self.rest.in_flight

    def identifies(self) -> list[Frame]:
        return [f for f in self.gateway.frames if f.op == 2]

    def mark(self) -> int:
        """The index the next request will get: pass it as ``after=`` to ignore older ones."""
        return len(self.rest.requests)

    def find_requests(
        self, method: str | None = None, path: str | None = None, *, after: int = 0
    ) -> list[RecordedRequest]:
        return [r for r in self.rest.requests[after:] if r.matches(method, path)]

    def _notify(self) -> None:
        self._changed.set()

    async def wait_for(
        self,
        condition: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API: wait_for(cond, timeout)
        *,
        message: str = "",
    ) -> Any:
        """Wait until ``condition()`` is truthy, re-checking after every request or frame.

        Also re-checks every 50 ms, for conditions on the bot's own state.
        """
        deadline = time.monotonic() + timeout
        while True:
            self._changed.clear()
            result = condition()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = "\n  ".join(repr(r) for r in self.rest.requests[-15:])
                raise TimeoutError(
                    f"condition not met within {timeout}s {message}\nlast requests:\n  {recent}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API
        *,
        method: str | None = None,
        path: str | None = None,
        after: int = 0,
    ) -> RecordedRequest:
        """The first recorded request (index ≥ ``after``) matching method/path regex/predicate."""

        def found() -> RecordedRequest | None:
            for request in self.rest.requests[after:]:
                if request.matches(method, path) and (predicate is None or predicate(request)):
                    return request
            return None

        where = f"for {method or '*'} {path or '*'} (after {after})"
        result: RecordedRequest = await self.wait_for(found, timeout, message=where)
        return result

    async def until_idle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - test API
        """Wait until every REST request received so far has been answered (and recorded)."""
        await self.wait_for(
            lambda: self.rest.in_flight == 0, timeout, message="for the REST requests to finish"
        )

    # --- driving the client --------------------------------------------------------------------

    async def dispatch(self, event: str, payload: JSON, *, check_intents: bool = True) -> int:
        """Send a gateway event to the connected client(s); returns how many sessions got it.

        Interactions, messages and reactions are also recorded in the fake's state, so the bot
        can answer, fetch or edit them. Raises if no session subscribed to the event.
        """
        if event == "INTERACTION_CREATE":
            self.state.register_interaction(payload).created = time.monotonic()
        elif event == "MESSAGE_CREATE":
            self.state.messages.setdefault(payload["id"], payload)
        elif event in ("MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE"):
            stored = self.state.messages.get(payload["message_id"])
            if stored is not None:
                emoji = payload["emoji"]
                text = f"{emoji['name']}:{emoji['id']}" if emoji.get("id") else emoji["name"]
                self.state.react(stored, text, payload["user_id"], add=event.endswith("ADD"))
        sent = await self.gateway.broadcast(event, payload, check_intents=check_intents)
        if sent == 0:
            sessions = [(s.session_id, s.intents) for s in self.gateway.live_sessions()]
            raise RuntimeError(
                f"{event} reached no gateway session (sessions and intents: {sessions}); "
                "is the client connected with the intent this event needs?"
            )
        return sent

    async def join_guild(self, *, system_channel: bool = True, bot_can_post: bool = True) -> str:
        """The bot is invited to a new server while connected: Discord sends GUILD_CREATE
        without ``unavailable`` (discord.py's ``on_guild_join``). Returns the server's id; see
        ``world.join_guild``."""
        guild_id = join_guild(
            self.state.world, system_channel=system_channel, bot_can_post=bot_can_post
        )
        await self.dispatch("GUILD_CREATE", self.joined_guild_payload(guild_id))
        return guild_id

    def joined_guild_payload(self, guild_id: str) -> JSON:
        """GUILD_CREATE as sent when the bot joins (not when a known server comes back)."""
        payload = self.state.guild_payload(all_members=False, guild_id=guild_id)
        payload.pop("unavailable")
        return payload

    async def barrier(self, nonce: str) -> None:
        """Send every session a ``BARRIER_EVENT`` carrying ``nonce``, after everything sent before.

        Frames arrive in order, so a client that has processed it has processed every earlier
        gateway event (discord.py: wait on ``ws.wait_for(BARRIER_EVENT, ...)``, registered
        before calling this). Not a Discord event; clients ignore names they do not know.
        """
        await self.gateway.broadcast(
            BARRIER_EVENT, {"nonce": nonce}, check_intents=False, to_owner=False
        )

    async def interact(self, payload: JSON) -> InteractionRecord:
        """Dispatch an INTERACTION_CREATE and return its record (``responded``, ``original_id``)."""
        await self.dispatch("INTERACTION_CREATE", payload)
        return self.state.interactions[str(payload["id"])]

    async def _publish(self, events: list[tuple[str, JSON]]) -> None:
        if not self.echo_events:
            return
        for event, payload in events:
            await self.gateway.broadcast(event, payload)

    # --- faults --------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        times: int | None = 1,
        *,
        retry_after: float = 0.05,
        code: int | None = None,
        message: str | None = None,
        is_global: bool = False,
    ) -> Fault:
        """Answer the next ``times`` matching requests with ``status`` (None: forever).

        429 carries ``retry_after`` and rate-limit headers; 403 defaults to 50013 Missing
        Permissions, 404 to 10008 Unknown Message, 500 to a server error (discord.py retries
        5xx after 1 s, 3 s, ...: keep ``times`` small).
        """
        fault = Fault(
            method.upper(),
            re.compile(path_regex),
            status,
            times,
            retry_after,
            code=code,
            message=message,
            is_global=is_global,
        )
        self.rest.faults.append(fault)
        return fault

    def delay(
        self,
        method: str,
        path_regex: str,
        seconds: float,
        times: int | None = 1,
        *,
        late: bool = False,
    ) -> Fault:
        """Answer matching requests normally, but only after ``seconds``; with ``late`` the
        request takes effect at once and only the answer waits (a crash meanwhile leaves the
        client not knowing it happened)."""
        fault = Fault(method.upper(), re.compile(path_regex), None, times, delay=seconds, late=late)
        self.rest.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.rest.faults.clear()

    async def reconnect(self) -> None:
        """Ask clients to reconnect (op 7); discord.py then RESUMEs at resume_gateway_url."""
        await self.gateway.send_op(7)

    async def invalidate_session(self, resumable: bool = False) -> None:
        await self.gateway.send_op(9, resumable)

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway socket as a network failure would (discord.py resumes)."""
        await self.gateway.close_sockets(code)
