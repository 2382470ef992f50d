"""What the fake Discord remembers: channels, threads, messages, commands, interactions.

Route handlers call these methods; every change a real Discord would announce on the gateway
is queued in ``outbox`` and sent to connected clients after the request.
"""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import errors as e
from . import payloads as p
from . import perms
from .command_rules import stored_command
from .constants import CommandType, MessageFlag
from .mentions import pings
from .payloads import JSON
from .world import World

THREAD_TYPES = {10, 11, 12}
TEXT_TYPES = {0, 1, 5, 10, 11, 12}
#: The flags a bot may set on a message it sends or edits.
SENDABLE_FLAGS = (
    MessageFlag.SUPPRESS_EMBEDS
    | MessageFlag.EPHEMERAL
    | MessageFlag.SUPPRESS_NOTIFICATIONS
    | MessageFlag.IS_COMPONENTS_V2
)


PRIVATE = "_fake_"
#: Discord dedupes ``enforce_nonce`` sends for "the past few minutes".
NONCE_WINDOW = 300.0


def scrub(value: Any) -> Any:
    """A deep copy without the fake's private ``_fake_*`` keys (what goes on the wire)."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if not k.startswith(PRIVATE)}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request (``files[n]``)."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class InteractionRecord:
    """An interaction the test dispatched, and how the bot has answered it so far."""

    payload: JSON
    responded: bool = False
    response_type: int | None = None
    original_id: str | None = None
    loading: bool = False
    message_ids: list[str] = field(default_factory=list)
    modal: JSON | None = None
    created: float = field(default_factory=time.monotonic)

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def channel_id(self) -> str:
        return str(self.payload["channel_id"])


class FakeState:
    """Mutable server state; all ids are strings."""

    def __init__(
        self,
        world: World,
        *,
        attachment_size_limit: int = p.ATTACHMENT_SIZE_LIMIT,
        interaction_deadline: float | None = None,
        nonce_window: float = NONCE_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.world = world
        #: Seconds during which a repeated ``enforce_nonce`` send returns the first message.
        self.nonce_window = nonce_window
        self.clock = clock
        self.nonces: dict[tuple[str, str], tuple[float, str]] = {}
        self.attachment_size_limit = attachment_size_limit
        self.interaction_deadline = interaction_deadline
        self.channels: dict[str, JSON] = world.channels
        self.messages: dict[str, JSON] = {}
        self.dms: dict[str, str] = {}
        self.closed_dms: set[str] = set()
        self.commands: dict[str | None, list[JSON]] = {}
        self.interactions: dict[str, InteractionRecord] = {}
        self.outbox: list[tuple[str, JSON]] = []

    # --- lookups -----------------------------------------------------------------------------

    @property
    def bot_id(self) -> str:
        return str(self.world.bot_user["id"])

    def user(self, user_id: str) -> JSON:
        if user_id not in self.world.users:
            raise e.not_found(*e.UNKNOWN_USER)
        return self.world.users[user_id]

    def user_id(self, who: str) -> str:
        """A handle (``"alice"``) or an id → the user id."""
        if who in self.world.handles:
            return self.world.handles[who]
        if who in self.world.users:
            return who
        raise KeyError(f"no user {who!r}; handles: {sorted(self.world.handles)}")

    def member(self, user_id: str) -> JSON:
        if user_id not in self.world.members:
            raise e.not_found(*e.UNKNOWN_MEMBER)
        return self.world.members[user_id]

    def permissions(self, user_id: str) -> int:
        return perms.member_permissions(
            self.member(user_id),
            self.world.roles,
            guild_id=self.world.guild_id,
            owner_id=self.world.owner_id,
        )

    def channel(self, channel_id: str) -> JSON:
        if channel_id not in self.channels:
            raise e.not_found(*e.UNKNOWN_CHANNEL)
        return self.channels[channel_id]

    def message(self, message_id: str, channel_id: str | None = None) -> JSON:
        found = self.messages.get(message_id)
        if found is None or (channel_id is not None and found["channel_id"] != channel_id):
            raise e.not_found(*e.UNKNOWN_MESSAGE)
        return found

    def guild_channels(self, guild_id: str | None = None) -> list[JSON]:
        guild_id = guild_id or self.world.guild_id
        return [
            c
            for c in self.channels.values()
            if c.get("guild_id") == guild_id and c["type"] not in THREAD_TYPES
        ]

    def threads(self, *, active_only: bool = True, guild_id: str | None = None) -> list[JSON]:
        """Threads of every server (or of ``guild_id``)."""
        return [
            c
            for c in self.channels.values()
            if c["type"] in THREAD_TYPES
            and not (active_only and c["thread_metadata"]["archived"])
            and (guild_id is None or c.get("guild_id") == guild_id)
        ]

    def guild_payload(self, *, all_members: bool, guild_id: str | None = None) -> JSON:
        """GUILD_CREATE: without the presences intent Discord sends only the bot's member."""
        guild_id = guild_id or self.world.guild_id
        members = list(self.world.members.values())
        sent = members if all_members else [self.world.members[self.bot_id]]
        return p.guild(
            guild_id,
            self.world.guild_names[guild_id],
            owner_id=self.world.owner_id,
            roles=self.world.guild_roles[guild_id],
            channels=self.guild_channels(guild_id),
            members=sent,
            threads=self.threads(guild_id=guild_id),
            member_count=len(members),
            system_channel_id=self.world.system_channels.get(guild_id),
        )

    # --- messages ----------------------------------------------------------------------------

    def _attachments(
        self, body: Mapping[str, Any], files: Sequence[UploadedFile], existing: Sequence[JSON] = ()
    ) -> list[JSON]:
        by_index = {str(a.get("id")): a for a in body.get("attachments") or []}
        kept = (
            [a for a in existing if a["id"] in by_index]
            if "attachments" in body
            else list(existing)
        )
        for index, upload in enumerate(files):
            if len(upload.data) > self.attachment_size_limit:
                raise e.ApiError(413, 40005, "Request entity too large", violation=True)
            meta = by_index.get(str(index), {})
            filename = str(meta.get("filename") or upload.filename)
            kind = mimetypes.guess_type(filename)[0] or upload.content_type
            kept.append(p.attachment(p.new_id(), filename, len(upload.data), content_type=kind))
        return kept

    def _apply_body(self, message: JSON, body: Mapping[str, Any]) -> None:
        for key, empty in (("content", ""), ("components", []), ("tts", False)):
            if key in body:
                message[key] = empty if body[key] is None else body[key]
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **embed} for embed in body["embeds"] or []]
        if "flags" in body and body["flags"] is not None:
            message["flags"] = (message["flags"] & MessageFlag.LOADING) | (
                int(body["flags"]) & SENDABLE_FLAGS
            )
        users, roles, everyone = pings(message["content"] or "", body.get("allowed_mentions"))
        message["mentions"] = [self.world.users[u] for u in users if u in self.world.users]
        message["mention_roles"] = roles
        message["mention_everyone"] = everyone
        if "allowed_mentions" in body:
            message["_fake_allowed_mentions"] = body["allowed_mentions"]

    def create_message(
        self,
        channel_id: str,
        body: Mapping[str, Any],
        files: Sequence[UploadedFile] = (),
        *,
        author: JSON | None = None,
        extra: Mapping[str, Any] | None = None,
        message_id: str | None = None,
    ) -> JSON:
        """A message in a text channel, thread or DM (the bot's unless ``author`` is given)."""
        channel = self.channel(channel_id)
        if channel["type"] not in TEXT_TYPES:
            raise e.bad_request(50008, "Cannot send messages in a non-text channel")
        if channel["type"] in THREAD_TYPES:
            self._touch_thread(channel)
        if channel["type"] == 1 and channel["recipients"][0]["id"] in self.closed_dms:
            raise e.ApiError(403, 50007, "Cannot send messages to this user")
        author = author or self.world.bot_user
        guild_id = channel.get("guild_id")
        message = p.message(
            message_id or p.new_id(), channel_id, author, guild_id=guild_id, **(extra or {})
        )
        if "message_reference" in body:
            message["message_reference"] = body["message_reference"]
            message["type"] = 19 if message["type"] == 0 else message["type"]
        self._apply_body(message, body)
        message["attachments"] = self._attachments(body, files)
        self.messages[message["id"]] = message
        channel["last_message_id"] = message["id"]
        if not message["flags"] & MessageFlag.EPHEMERAL:
            self.emit("MESSAGE_CREATE", self._event_message(message))
        return message

    def nonce_seen(self, author_id: str, body: Mapping[str, Any]) -> JSON | None:
        """Discord's dedupe: the message this author sent with the same nonce within the
        window, if ``enforce_nonce`` is set and that message still exists."""
        nonce = body.get("nonce")
        if nonce is None or not body.get("enforce_nonce"):
            return None
        now = self.clock()
        while self.nonces:  # forget what fell out of the window (oldest first)
            key, (at, _) = next(iter(self.nonces.items()))
            if now - at < self.nonce_window:
                break
            del self.nonces[key]
        seen = self.nonces.get((author_id, str(nonce)))
        return None if seen is None else self.messages.get(seen[1])

    def remember_nonce(self, author_id: str, body: Mapping[str, Any], message: JSON) -> None:
        if body.get("nonce") is not None and body.get("enforce_nonce"):
            self.nonces[(author_id, str(body["nonce"]))] = (self.clock(), message["id"])

    def _touch_thread(self, thread: JSON) -> None:
        meta = thread["thread_metadata"]
        if meta["archived"]:
            if meta.get("locked"):
                raise e.ApiError(400, 50083, "Thread is archived")
            meta["archived"] = False
            self.emit("THREAD_UPDATE", thread)
        thread["message_count"] += 1
        thread["total_message_sent"] += 1

    def _event_message(self, message: JSON) -> JSON:
        data: JSON = scrub(message)
        author_id = message["author"]["id"]
        if data.get("guild_id") and author_id in self.world.members and "webhook_id" not in data:
            data["member"] = {k: v for k, v in self.world.members[author_id].items() if k != "user"}
        return data

    def edit_message(
        self, message: JSON, body: Mapping[str, Any], files: Sequence[UploadedFile] = ()
    ) -> JSON:
        self._apply_body(message, body)
        if "attachments" in body or files:
            message["attachments"] = self._attachments(body, files, message["attachments"])
        message["flags"] &= ~MessageFlag.LOADING
        message["edited_timestamp"] = p.iso()
        if not message["flags"] & MessageFlag.EPHEMERAL:
            self.emit("MESSAGE_UPDATE", self._event_message(message))
        return message

    def delete_message(self, message: JSON) -> None:
        self.messages.pop(message["id"], None)
        event = {"id": message["id"], "channel_id": message["channel_id"]}
        if message.get("guild_id"):
            event["guild_id"] = message["guild_id"]
        if not message["flags"] & MessageFlag.EPHEMERAL:
            self.emit("MESSAGE_DELETE", event)

    def react(self, message: JSON, emoji: str, user_id: str, *, add: bool) -> bool:
        """Add or remove one user's reaction; False when nothing changed."""
        partial = p.partial_emoji(emoji)
        reactions: list[JSON] = message["reactions"]
        entry = next((r for r in reactions if r["emoji"] == partial), None)
        if entry is None:
            if not add:
                return False
            entry = {
                "emoji": partial,
                "count": 0,
                "count_details": {"burst": 0, "normal": 0},
                "me": False,
                "me_burst": False,
                "burst_colors": [],
                "_fake_users": [],
            }
            reactions.append(entry)
        users: list[str] = entry["_fake_users"]
        if add == (user_id in users):
            return False
        if add:
            users.append(user_id)
        else:
            users.remove(user_id)
        entry["count"] = entry["count_details"]["normal"] = len(users)
        entry["me"] = self.bot_id in users
        if not users:
            reactions.remove(entry)
        return True

    # --- channels and threads ----------------------------------------------------------------

    def create_thread(
        self,
        parent: JSON,
        name: str,
        *,
        message_id: str | None = None,
        type: int = 11,
        auto_archive_duration: int = 1440,
        applied_tags: Sequence[str] = (),
    ) -> JSON:
        if message_id is not None:
            starter = self.message(message_id, parent["id"])
            if "thread" in starter:
                raise e.bad_request(160004, "A thread has already been created for this message")
        if parent["type"] == 15:
            known = {t["id"] for t in parent["available_tags"]}
            unknown = [t for t in applied_tags if str(t) not in known]
            if unknown:
                raise e.invalid_form_body(
                    [(("applied_tags",), "FORUM_TAG_UNKNOWN", f"Unknown forum tags {unknown}")]
                )
            if parent["flags"] & (1 << 4) and not applied_tags:
                raise e.bad_request(
                    40067, "A tag is required to create a forum post in this channel"
                )
        thread = p.thread_channel(
            message_id or p.new_id(),
            parent.get("guild_id") or self.world.guild_id,
            parent["id"],
            name,
            self.bot_id,
            type=type,
            auto_archive_duration=auto_archive_duration,
            applied_tags=[str(t) for t in applied_tags],
        )
        thread["member"] = {
            "id": thread["id"],
            "user_id": self.bot_id,
            "join_timestamp": p.iso(),
            "flags": 1,
        }
        self.channels[thread["id"]] = thread
        if message_id is not None:
            self.messages[message_id]["thread"] = thread
        self.emit("THREAD_CREATE", {**thread, "newly_created": True})
        return thread

    def update_channel(self, channel: JSON, body: Mapping[str, Any]) -> JSON:
        """PATCH a channel or thread: name, topic, archive state, tags."""
        for key in ("name", "topic", "rate_limit_per_user", "applied_tags", "flags"):
            if key in body:
                channel[key] = body[key]
        if "available_tags" in body:
            channel["available_tags"] = [
                p.forum_tag(
                    str(t.get("id") or p.new_id()),
                    t["name"],
                    moderated=bool(t.get("moderated")),
                    emoji_name=t.get("emoji_name"),
                )
                for t in body["available_tags"]
            ]
        if channel["type"] in THREAD_TYPES:
            meta = channel["thread_metadata"]
            for key in ("archived", "locked", "auto_archive_duration", "invitable"):
                if key in body:
                    meta[key] = body[key]
            if "archived" in body:
                meta["archive_timestamp"] = p.iso()
            self.emit("THREAD_UPDATE", channel)
        else:
            self.emit("CHANNEL_UPDATE", channel)
        return channel

    def open_dm(self, user_id: str) -> JSON:
        recipient = self.user(user_id)
        if user_id not in self.dms:
            channel = p.dm_channel(p.new_id(), recipient)
            self.channels[channel["id"]] = channel
            self.dms[user_id] = channel["id"]
        return self.channels[self.dms[user_id]]

    # --- commands and interactions -----------------------------------------------------------

    def put_commands(
        self, guild_id: str | None, commands: Sequence[Mapping[str, Any]]
    ) -> list[JSON]:
        """Bulk overwrite: ids stay stable per (type, name), as on Discord."""
        old = {(c["type"], c["name"]): c for c in self.commands.get(guild_id, [])}
        stored = []
        for command in commands:
            kind = int(command.get("type", CommandType.CHAT_INPUT))
            previous = old.get((kind, command["name"]))
            stored.append(
                stored_command(
                    command,
                    id=previous["id"] if previous else p.new_id(),
                    application_id=self.world.application_id,
                    guild_id=guild_id,
                )
            )
        self.commands[guild_id] = stored
        return stored

    def find_command(self, name: str, type: int = CommandType.CHAT_INPUT) -> JSON:
        """A synced command by name: guild commands first, then global ones."""
        for scope in [k for k in self.commands if k is not None] + [None]:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command["type"] == type:
                    return command
        synced = {k: [c["name"] for c in v] for k, v in self.commands.items()}
        raise LookupError(f"command {name!r} (type {type}) was never synced; synced: {synced}")

    def register_interaction(self, payload: JSON) -> InteractionRecord:
        """Remember an interaction so the bot can answer it (idempotent)."""
        if str(payload["id"]) in self.interactions:
            return self.interactions[str(payload["id"])]
        record = InteractionRecord(payload=payload)
        if payload.get("message"):
            self.messages.setdefault(payload["message"]["id"], payload["message"])
        self.interactions[record.id] = record
        return record

    def interaction_by_token(self, token: str) -> InteractionRecord:
        for record in self.interactions.values():
            if record.token == token:
                return record
        raise e.not_found(*e.UNKNOWN_WEBHOOK)

    def emit(self, event: str, payload: JSON) -> None:
        data = scrub(payload)
        if "guild_id" not in data and payload.get("type") in THREAD_TYPES | {0, 15}:
            data["guild_id"] = self.world.guild_id
        self.outbox.append((event, data))
