"""Channel routes: messages, reactions, threads and forum posts, channel edits, DMs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import errors as e
from . import limits
from .constants import MessageFlag
from .payloads import partial_emoji
from .rest import Call, Reply, Router
from .state import THREAD_TYPES, UploadedFile

ARCHIVE_DURATIONS = {60, 1440, 4320, 10080}


def validate_message(
    body: Mapping[str, Any],
    files: Sequence[UploadedFile],
    *,
    prefix: tuple[str, ...] = (),
    new: bool = True,
) -> None:
    """Discord's limits, and 50006 for a new message with nothing in it."""
    e.check(limits.check_message(body, files=len(files), prefix=prefix))
    if new and limits.is_empty_message(body, files=len(files)):
        raise e.bad_request(50006, "Cannot send an empty message")


def validate_thread(body: Mapping[str, Any], parent: Mapping[str, Any] | None = None) -> None:
    problems = limits.check_thread_name(body.get("name")) if "name" in body else []
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        problems.append(
            (
                ("auto_archive_duration",),
                "BASE_TYPE_CHOICES",
                f"Not one of {sorted(ARCHIVE_DURATIONS)}",
            )
        )
    tags = body.get("applied_tags")
    if tags is not None:
        problems += limits.max_items(("applied_tags",), tags, limits.APPLIED_TAGS)
        known = {t["id"] for t in (parent or {}).get("available_tags", [])}
        if parent is not None and any(str(t) not in known for t in tags):
            problems.append((("applied_tags",), "FORUM_TAG_UNKNOWN", "Unknown forum tag id"))
    e.check(problems)


def _is_emoji(emoji: str) -> bool:
    """Custom ``name:id`` or a real unicode emoji; plain ASCII text is Unknown Emoji."""
    if ":" in emoji:
        return emoji.rsplit(":", 1)[1].isdigit()
    return bool(emoji) and not emoji.isascii()


def register(router: Router) -> None:
    @router.route("GET", "/channels/{channel_id}")
    def get_channel(call: Call) -> Reply:
        return 200, call.state.channel(call.params["channel_id"])

    @router.route("PATCH", "/channels/{channel_id}")
    def edit_channel(call: Call) -> Reply:
        channel = call.state.channel(call.params["channel_id"])
        body = call.body()
        if channel["type"] in THREAD_TYPES:
            validate_thread(body, call.state.channels.get(channel["parent_id"]))
        else:
            problems = limits.check_thread_name(body["name"]) if "name" in body else []
            if "available_tags" in body:
                problems += limits.check_forum_tags(
                    body["available_tags"], prefix=("available_tags",)
                )
            e.check(problems)
        return 200, call.state.update_channel(channel, body)

    @router.route("POST", "/channels/{channel_id}/messages")
    def send(call: Call) -> Reply:
        body = call.body()
        validate_message(body, call.files)
        if int(body.get("flags") or 0) & MessageFlag.EPHEMERAL:
            raise e.bad_request(50035, "Only interaction responses can be ephemeral", field="flags")
        seen = call.state.nonce_seen(call.state.bot_id, body)
        if seen is not None:
            return 200, seen  # Discord's nonce window: the first message, nothing new
        message = call.state.create_message(call.params["channel_id"], body, call.files)
        call.state.remember_nonce(call.state.bot_id, body, message)
        return 200, message

    @router.route("GET", "/channels/{channel_id}/messages")
    def history(call: Call) -> Reply:
        channel_id = call.state.channel(call.params["channel_id"])["id"]
        found = [
            m
            for m in call.state.messages.values()
            if m["channel_id"] == channel_id and not m["flags"] & MessageFlag.EPHEMERAL
        ]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        if "before" in call.query:
            found = [m for m in found if int(m["id"]) < int(call.query["before"])]
        if "after" in call.query:
            found = [m for m in found if int(m["id"]) > int(call.query["after"])]
        return 200, found[: int(call.query.get("limit", 50))]

    def _visible(call: Call) -> dict[str, Any]:
        message = call.state.message(call.params["message_id"], call.params["channel_id"])
        if message["flags"] & MessageFlag.EPHEMERAL:
            raise e.not_found(*e.UNKNOWN_MESSAGE)
        return message

    @router.route("GET", "/channels/{channel_id}/messages/{message_id}")
    def get_message(call: Call) -> Reply:
        return 200, _visible(call)

    @router.route("PATCH", "/channels/{channel_id}/messages/{message_id}")
    def edit_message(call: Call) -> Reply:
        message = _visible(call)
        if message["author"]["id"] != call.state.bot_id:
            raise e.ApiError(
                403, 50005, "Cannot edit a message authored by another user", violation=True
            )
        channel = call.state.channel(message["channel_id"])
        if (channel.get("thread_metadata") or {}).get("archived"):
            # Discord refuses edits inside an archived thread (forum posts auto-archive).
            raise e.ApiError(400, 50083, "Thread is archived")
        validate_message(call.body(), call.files, new=False)
        return 200, call.state.edit_message(message, call.body(), call.files)

    @router.route("DELETE", "/channels/{channel_id}/messages/{message_id}")
    def delete_message(call: Call) -> Reply:
        call.state.delete_message(_visible(call))
        return 204, None

    def react(call: Call, user_id: str, *, add: bool) -> Reply:
        message = _visible(call)
        emoji = call.params["emoji"]
        if not _is_emoji(emoji):
            raise e.ApiError(400, 10014, "Unknown Emoji", violation=True, field="emoji")
        if call.state.react(message, emoji, user_id, add=add):
            event = {
                "user_id": user_id,
                "channel_id": message["channel_id"],
                "message_id": message["id"],
                "emoji": partial_emoji(emoji),
                "burst": False,
                "type": 0,
            }
            if message.get("guild_id"):
                event["guild_id"] = message["guild_id"]
                if add:
                    event["member"] = call.state.member(user_id)
            call.state.emit("MESSAGE_REACTION_ADD" if add else "MESSAGE_REACTION_REMOVE", event)
        return 204, None

    reaction = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}"
    router.add("PUT", reaction + "/@me", lambda c: react(c, c.state.bot_id, add=True))
    router.add("DELETE", reaction + "/@me", lambda c: react(c, c.state.bot_id, add=False))
    router.add(
        "DELETE", reaction + "/{user_id}", lambda c: react(c, c.params["user_id"], add=False)
    )

    @router.route("GET", reaction)
    def reaction_users(call: Call) -> Reply:
        message = _visible(call)
        emoji = partial_emoji(call.params["emoji"])
        entry = next((r for r in message["reactions"] if r["emoji"] == emoji), None)
        return 200, [call.state.user(u) for u in (entry or {}).get("_fake_users", [])]

    @router.route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions")
    def clear_reactions(call: Call) -> Reply:
        message = _visible(call)
        message["reactions"] = []
        event = {"channel_id": message["channel_id"], "message_id": message["id"]}
        if message.get("guild_id"):
            event["guild_id"] = message["guild_id"]
        call.state.emit("MESSAGE_REACTION_REMOVE_ALL", event)
        return 204, None

    @router.route("POST", "/channels/{channel_id}/messages/{message_id}/threads")
    def thread_from_message(call: Call) -> Reply:
        parent = call.state.channel(call.params["channel_id"])
        if parent["type"] not in (0, 5):
            raise e.bad_request(50024, "Cannot execute action on this channel type")
        body = call.body()
        validate_thread({"name": body.get("name"), **body})
        thread = call.state.create_thread(
            parent,
            body["name"],
            message_id=call.params["message_id"],
            auto_archive_duration=body.get("auto_archive_duration") or 1440,
        )
        return 201, thread

    @router.route("POST", "/channels/{channel_id}/threads")
    def start_thread(call: Call) -> Reply:
        parent = call.state.channel(call.params["channel_id"])
        body = call.body()
        validate_thread(
            {"name": body.get("name"), **body}, parent if parent["type"] == 15 else None
        )
        duration = body.get("auto_archive_duration") or 1440
        if parent["type"] not in (15, 16):
            if parent["type"] not in (0, 5):
                raise e.bad_request(50024, "Cannot execute action on this channel type")
            kind = int(body.get("type") or 12)
            return 201, call.state.create_thread(
                parent, body["name"], type=kind, auto_archive_duration=duration
            )
        message_body = body.get("message")
        if not isinstance(message_body, dict):
            raise e.invalid_form_body(
                [(("message",), "BASE_TYPE_REQUIRED", "This field is required")]
            )
        validate_message(message_body, call.files, prefix=("message",))
        thread = call.state.create_thread(
            parent,
            body["name"],
            auto_archive_duration=duration,
            applied_tags=body.get("applied_tags") or [],
        )
        message = call.state.create_message(
            thread["id"], message_body, call.files, message_id=thread["id"]
        )
        return 201, {**thread, "message": message}

    @router.route("POST", "/channels/{channel_id}/typing")
    def typing(call: Call) -> Reply:
        call.state.channel(call.params["channel_id"])
        return 204, None

    @router.route("PUT", "/channels/{channel_id}/thread-members/{user_id}")
    def join_thread(call: Call) -> Reply:
        call.state.channel(call.params["channel_id"])
        return 204, None

    @router.route("POST", "/users/@me/channels")
    def open_dm(call: Call) -> Reply:
        return 200, call.state.open_dm(str(call.body().get("recipient_id")))
