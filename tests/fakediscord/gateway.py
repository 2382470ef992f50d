"""The gateway half: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, chunks.

Sharding as Discord does it: IDENTIFY may carry ``shard: [shard_id, shard_count]``; that
connection gets READY and GUILD_CREATE for the servers on its shard only (``(guild_id >> 22)
% shard_count``), and every event about a server goes to the connection that owns it (events
without a server, such as DMs, to shard 0). Without ``shard`` a connection is shard [0, 1].

Frames go out as uncompressed JSON text even when the client asked for ``compress=zlib-stream``:
discord.py only runs its decompressor on binary frames and parses text frames as they are.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .payloads import JSON
from .state import FakeState

GUILDS, GUILD_MEMBERS, GUILD_PRESENCES = 1 << 0, 1 << 1, 1 << 8
GUILD_MESSAGES, GUILD_MESSAGE_REACTIONS = 1 << 9, 1 << 10
DIRECT_MESSAGES, DIRECT_MESSAGE_REACTIONS = 1 << 12, 1 << 13
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


def required_intent(event: str, payload: Mapping[str, Any]) -> int:
    """The intent Discord requires before it sends ``event`` (0: always sent)."""
    in_guild = "guild_id" in payload
    if event.startswith(("GUILD_CREATE", "GUILD_UPDATE", "CHANNEL_", "THREAD_", "GUILD_ROLE")):
        return GUILDS
    if event.startswith("GUILD_MEMBER_"):
        return GUILD_MEMBERS
    if event.startswith("GUILD_SCHEDULED_EVENT_"):
        return GUILD_SCHEDULED_EVENTS
    if event.startswith("MESSAGE_REACTION_"):
        return GUILD_MESSAGE_REACTIONS if in_guild else DIRECT_MESSAGE_REACTIONS
    if event.startswith("MESSAGE_"):
        return GUILD_MESSAGES if in_guild else DIRECT_MESSAGES
    return 0


@dataclass
class Frame:
    """One gateway payload the client sent (op, d)."""

    session_id: str | None
    op: int
    d: Any


@dataclass
class Session:
    """A gateway session: survives its websocket so the client can RESUME it."""

    session_id: str
    intents: int
    identify: JSON
    seq: int = 0
    ws: web.WebSocketResponse | None = None
    sent: deque[JSON] = field(default_factory=lambda: deque(maxlen=1000))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    shard: tuple[int, int] = (0, 1)

    def owns(self, guild_id: object) -> bool:
        """Whether Discord sends this server's events on this session (None: DMs → shard 0)."""
        shard_id, shard_count = self.shard
        if guild_id is None:
            return shard_id == 0
        return (int(str(guild_id)) >> 22) % shard_count == shard_id

    async def send(self, frame: JSON) -> None:
        async with self.lock:
            if self.ws is not None and not self.ws.closed:
                await self.ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: JSON) -> None:
        self.seq += 1
        frame = {"op": 0, "t": event, "s": self.seq, "d": data}
        self.sent.append(frame)
        await self.send(frame)


class Gateway:
    """Serves the websocket; one Session per IDENTIFY."""

    def __init__(
        self,
        state: FakeState,
        *,
        token: str,
        resume_url: Callable[[], str],
        notify: Callable[[], None],
        heartbeat_interval_ms: int = 41250,
        allowed_intents: int | None = None,
    ) -> None:
        self.state = state
        self.token = token
        self.resume_url = resume_url
        self.notify = notify
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.allowed_intents = allowed_intents
        self.ack_heartbeats = True
        self.sessions: dict[str, Session] = {}
        self.frames: list[Frame] = []
        self.connections: list[str] = []
        self.sockets: set[web.WebSocketResponse] = set()

    # --- serving -------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.sockets.add(ws)
        self.connections.append(str(request.rel_url))
        session: Session | None = None
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        )
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, d = frame.get("op"), frame.get("d")
                self.frames.append(Frame(session.session_id if session else None, op, d))
                session = await self._on_frame(ws, session, op, d)
                self.notify()
        finally:
            self.sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
            self.notify()
        return ws

    async def _on_frame(
        self, ws: web.WebSocketResponse, session: Session | None, op: int, d: Any
    ) -> Session | None:
        if op == 1:
            if self.ack_heartbeats:
                await self._send(ws, session, {"op": 11})
        elif op == 2:
            return await self._identify(ws, session, d)
        elif op == 6:
            return await self._resume(ws, d)
        elif session is None:
            await ws.close(code=4003, message=b"Not authenticated.")
        elif op == 8:
            await self._chunk(session, d)
        elif op not in (3, 4):
            await ws.close(code=4001, message=b"Unknown opcode.")
        return session

    async def _send(self, ws: web.WebSocketResponse, session: Session | None, frame: JSON) -> None:
        if session is not None and session.ws is ws:
            await session.send(frame)
        elif not ws.closed:
            await ws.send_str(json.dumps(frame))

    async def _identify(
        self, ws: web.WebSocketResponse, session: Session | None, d: JSON
    ) -> Session | None:
        if session is not None:
            await ws.close(code=4005, message=b"Already authenticated.")
            return session
        if d.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        intents = d.get("intents")
        if not isinstance(intents, int):
            await ws.close(code=4013, message=b"Invalid intent(s).")
            return None
        allowed = self.allowed_intents
        if allowed is not None and intents & PRIVILEGED & ~allowed:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard = d.get("shard") or [0, 1]
        valid = (
            isinstance(shard, list)
            and len(shard) == 2
            and all(isinstance(n, int) for n in shard)
            and 0 <= shard[0] < shard[1]
        )
        if not valid:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        for old in [s for s in self.sessions.values() if s.ws is None]:
            del self.sessions[old.session_id]
        session = Session(secrets.token_hex(16), intents, d, ws=ws, shard=(shard[0], shard[1]))
        self.sessions[session.session_id] = session
        await session.dispatch("READY", self._ready(session, d))
        for guild_id in self._guilds_of(session):
            guild = self.state.guild_payload(
                all_members=bool(intents & GUILD_PRESENCES), guild_id=guild_id
            )
            await session.dispatch("GUILD_CREATE", guild)
        return session

    def _guilds_of(self, session: Session) -> list[str]:
        return [g for g in self.state.world.guild_ids if session.owns(g)]

    def _ready(self, session: Session, identify: JSON) -> JSON:
        world = self.state.world
        return {
            "v": 10,
            "user": {**world.bot_user, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": g, "unavailable": True} for g in self._guilds_of(session)],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_url(),
            "shard": list(session.shard),
            "application": {"id": world.application_id, "flags": (1 << 15) | (1 << 19)},
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
            "_trace": ["fake-discord"],
        }

    async def _resume(self, ws: web.WebSocketResponse, d: JSON) -> Session | None:
        session = self.sessions.get(str(d.get("session_id")))
        if session is None or d.get("token") != self.token:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return None
        if session.ws is not None and session.ws is not ws and not session.ws.closed:
            await session.ws.close(code=4009, message=b"Session resumed elsewhere.")
        session.ws = ws
        last = int(d.get("seq") or 0)
        for frame in [f for f in session.sent if f["s"] > last]:
            await session.send(frame)
        await session.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        return session

    async def _chunk(self, session: Session, d: JSON) -> None:
        members = list(self.state.world.members.values())
        wanted = d.get("user_ids")
        if wanted is not None:
            wanted = {str(u) for u in (wanted if isinstance(wanted, list) else [wanted])}
            members = [m for m in members if m["user"]["id"] in wanted]
        query = (d.get("query") or "").lower()
        members = [m for m in members if m["user"]["username"].lower().startswith(query)]
        limit = int(d.get("limit") or 0)
        if limit:
            members = members[:limit]
        found = {m["user"]["id"] for m in members}
        chunk: JSON = {
            "guild_id": str(d.get("guild_id")),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": sorted((wanted or set()) - found),
        }
        if d.get("presences"):
            chunk["presences"] = []
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # --- test control --------------------------------------------------------------------------

    def live_sessions(self) -> list[Session]:
        return list(self.sessions.values())

    async def broadcast(
        self, event: str, payload: JSON, *, check_intents: bool = True, to_owner: bool = True
    ) -> int:
        """Send to every session that subscribed (by intents) and owns the event's server (by
        shard; ``to_owner=False``: to every session); returns how many got it."""
        need = required_intent(event, payload) if check_intents else 0
        sent = 0
        for session in self.live_sessions():
            if need and not session.intents & need:
                continue
            if to_owner and not session.owns(payload.get("guild_id")):
                continue
            data = dict(payload)
            if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
                data = self._without_content(session, data)
            await session.dispatch(event, data)
            sent += 1
        return sent

    def _without_content(self, session: Session, data: JSON) -> JSON:
        """Without MESSAGE_CONTENT, Discord blanks other users' messages unless they mention us."""
        bot_id = self.state.bot_id
        if session.intents & MESSAGE_CONTENT or "guild_id" not in data:
            return data
        author = (data.get("author") or {}).get("id")
        mentioned = any(u.get("id") == bot_id for u in data.get("mentions") or [])
        if author == bot_id or mentioned:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    async def send_op(self, op: int, d: Any = None) -> None:
        """Send a raw opcode (7 RECONNECT, 9 INVALID_SESSION, ...) to every open socket."""
        for ws in list(self.sockets):
            if not ws.closed:
                await ws.send_str(json.dumps({"op": op, "d": d}))

    async def close_sockets(self, code: int = 4000) -> None:
        for ws in list(self.sockets):
            await ws.close(code=code)
